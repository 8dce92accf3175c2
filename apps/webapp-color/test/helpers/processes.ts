import { spawn, type ChildProcess } from 'node:child_process';
import { request, type Agent, type IncomingHttpHeaders } from 'node:http';
import { fileURLToPath } from 'node:url';

export const builtServer = fileURLToPath(new URL('../../dist/server.js', import.meta.url));
export const slowServerFixture = fileURLToPath(
  new URL('../fixtures/slow-server.mjs', import.meta.url),
);

export type LogEntry = Record<string, unknown>;

export interface RunningProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Parsed JSON stdout lines so far; a non-JSON line fails the test. */
  readonly logs: LogEntry[];
  stderr(): string;
  /** Waits (bounded) for a log line that matches. */
  waitForLog(match: (entry: LogEntry) => boolean, timeoutMs?: number): Promise<LogEntry>;
}

/** Spawns a node script (the built server, or a fixture) with PORT=0 unless given. */
export function startProcess(
  script: string,
  args: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): RunningProcess {
  // Loopback only: nothing a test starts is reachable from elsewhere.
  const child = spawn(process.execPath, [script, ...args, '--host', '127.0.0.1'], {
    cwd: '/',
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogEntry[] = [];
  const waiters = new Set<() => void>();
  let stdoutRest = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (stdoutRest + chunk).split('\n');
    stdoutRest = parts.pop() ?? '';
    for (const line of parts) if (line !== '') logs.push(JSON.parse(line) as LogEntry);
    for (const wake of waiters) wake();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    exited,
    logs,
    stderr: () => stderr,
    waitForLog(match, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = logs.find(match);
          if (found === undefined) return false;
          cleanup();
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(`no matching log line within ${timeoutMs} ms; got ${JSON.stringify(logs)}`),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        const wake = () => void check();
        if (!check()) waiters.add(wake);
      });
    },
  };
}

/** Starts a server process and waits for its start line; returns the bound port. */
export async function startServerProcess(
  script: string,
  args: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): Promise<RunningProcess & { port: number; started: LogEntry }> {
  const running = startProcess(script, args, env);
  const started = await running.waitForLog((entry) => entry.msg === 'server started');
  return { ...running, port: started.port as number, started };
}

export interface SimpleResponse {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Whether the request went over a kept-alive connection. */
  readonly reusedSocket: boolean;
}

export function httpGet(
  port: number,
  path: string,
  options: { agent?: Agent; headers?: Record<string, string> } = {},
): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, agent: options.agent ?? false, headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({
            statusCode: res.statusCode ?? 0,
            headers: res.headers,
            body,
            reusedSocket: req.reusedSocket,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(5_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.end();
  });
}
