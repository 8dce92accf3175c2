// `pnpm bench`: the built app with the request log on (LOG_LEVEL=info) and
// off (LOG_LEVEL=warn) against a bare node:http server sending the same
// bytes, all three loaded in turn with autocannon on loopback in the same
// run. Prints per-round figures, then the table that it also writes into the
// root README between its markers. Bounded: about a minute and a half.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { webappColor } from '@webapp-color/deploy-specs/definition';

const serverScript = fileURLToPath(new URL('../dist/server.js', import.meta.url));
const bareScript = fileURLToPath(new URL('./bare-server.mjs', import.meta.url));
const readmePath = fileURLToPath(new URL('../../../README.md', import.meta.url));
const healthPath = webappColor.container.healthCheckPath;

const CONNECTIONS = 10;
const WARMUP_SECONDS = 2;
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const COLD_STARTS = 5;
const TARGETS = { ratio: 0.8, p99Ms: 5, peakRssMb: 100 };
const README_START = '<!-- bench:start (written by `pnpm bench`; do not edit) -->';
const README_END = '<!-- bench:end -->';
// Headers node writes itself; the bare server gets them from node too.
const NODE_OWN_HEADERS = new Set(['date', 'connection', 'keep-alive']);
const SERVERS = ['app', 'quiet', 'bare'];
const LABELS = {
  app: 'app, request log on (`LOG_LEVEL=info`)',
  quiet: 'app, request log off (`LOG_LEVEL=warn`)',
  bare: 'bare `node:http`, same bytes',
};

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function get(port, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          statusCode: res.statusCode,
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.on('error', reject);
    req.setTimeout(2_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.end();
  });
}

async function waitFor200(port, path, deadlineMs) {
  const deadline = performance.now() + deadlineMs;
  while (performance.now() < deadline) {
    try {
      if ((await get(port, path)).statusCode === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(2);
  }
  throw new Error(`no 200 on ${path} within ${deadlineMs} ms`);
}

/**
 * The app's stdout is a pipe, as under a container runtime, read by a
 * separate `grep -c` that counts the request lines: at the end every
 * answered request must have its line.
 */
async function startApp(logLevel) {
  const port = await freePort();
  const lineCounter = spawn('grep', ['-c', '"msg":"request"'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let counted = '';
  lineCounter.stdout.setEncoding('utf8').on('data', (chunk) => (counted += chunk));
  const requestLines = new Promise((resolve) =>
    lineCounter.once('close', () => resolve(Number(counted.trim() || 0))),
  );
  const started = performance.now();
  const child = spawn(process.execPath, [serverScript, '--color', 'blue', '--host', '127.0.0.1'], {
    env: {
      ...process.env,
      PORT: String(port),
      APP_VERSION: 'bench',
      LOG_LEVEL: logLevel,
      NODE_ENV: 'production',
    },
    stdio: ['ignore', lineCounter.stdin, 'inherit'],
  });
  lineCounter.stdin.destroy(); // the app holds the write end now
  await waitFor200(port, healthPath, 5_000);
  return { child, port, coldStartMs: performance.now() - started, requestLines };
}

async function startBare(response) {
  const port = await freePort();
  const child = spawn(process.execPath, [bareScript], {
    env: { ...process.env, PORT: String(port), BARE_RESPONSE: response },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    child.stdout.once('data', resolve);
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return { child, port };
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

/** VmHWM: the peak resident set size of the process so far, in MB. */
function peakRssMb(pid) {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** CPU time (user + system) the process has used so far, in ms (clock ticks are 10 ms). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // After "pid (comm) ", utime and stime are the 12th and 13th fields.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function load(port, seconds) {
  return autocannon({
    url: `http://127.0.0.1:${port}/`,
    connections: CONNECTIONS,
    duration: seconds,
  });
}

function headerPairs(rawHeaders) {
  const pairs = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (!NODE_OWN_HEADERS.has(rawHeaders[i].toLowerCase()))
      pairs.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  return pairs;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fixed = (value, digits) => value.toFixed(digits);
const thousands = (value) => Math.round(value).toLocaleString('en-US').replace(/,/g, ' ');

function cpuModel() {
  const model = cpus()[0]?.model?.replace(/\s+/g, ' ').trim();
  return model && model !== 'unknown' ? model : 'CPU model not reported';
}

/** Checks that the bare server answers `GET /` with the app's exact status, headers and body. */
async function startMatchingBare(appPort) {
  const page = await get(appPort, '/');
  const appHeaders = headerPairs(page.rawHeaders);
  const keepAlive = /timeout=(\d+)/.exec(page.rawHeaders.join('\n'));
  const bareResponse = Buffer.from(
    JSON.stringify({
      statusCode: page.statusCode,
      headers: appHeaders,
      body: page.body.toString('base64'),
      keepAliveTimeout: keepAlive ? Number(keepAlive[1]) * 1000 : 5_000,
    }),
  ).toString('base64');
  const bare = await startBare(bareResponse);
  const barePage = await get(bare.port, '/');
  const sameBytes =
    barePage.body.equals(page.body) &&
    JSON.stringify(headerPairs(barePage.rawHeaders)) === JSON.stringify(appHeaders) &&
    JSON.stringify(barePage.rawHeaders.filter((_, i) => i % 2 === 0)) ===
      JSON.stringify(page.rawHeaders.filter((_, i) => i % 2 === 0));
  if (!sameBytes) throw new Error('the bare server does not send the same response as the app');
  return bare;
}

async function main() {
  const startedAt = new Date();
  const loadAtStart = loadavg()[0];
  // Cold start: spawn to the first 200 on the health route, several times.
  const coldStarts = [];
  for (let i = 0; i < COLD_STARTS - 1; i += 1) {
    const { child, coldStartMs } = await startApp('info');
    coldStarts.push(coldStartMs);
    await stop(child);
  }
  const app = await startApp('info');
  coldStarts.push(app.coldStartMs);
  const quiet = await startApp('warn');
  const bare = await startMatchingBare(app.port);

  const servers = { app, quiet, bare };
  const results = { app: [], quiet: [], bare: [] };
  const answered = { app: 0, quiet: 0, bare: 0 };
  const sent = { app: 0, quiet: 0, bare: 0 };
  const track = (name, result) => {
    answered[name] += result.requests.total;
    sent[name] += result.requests.sent;
  };
  console.log(
    `node ${process.version}, ${cpus().length} CPUs (${cpuModel()}), ${CONNECTIONS} connections, ` +
      `${ROUNDS} rounds of ${ROUND_SECONDS} s per server (order rotating) after ${WARMUP_SECONDS} s warm-up each`,
  );
  for (const name of SERVERS) track(name, await load(servers[name].port, WARMUP_SECONDS));
  for (let round = 0; round < ROUNDS; round += 1) {
    // Rotate the order so that no server always runs first or last in a round.
    const order = SERVERS.map((_, i) => SERVERS[(i + round) % SERVERS.length]);
    for (const name of order) {
      const cpuBefore = cpuMs(servers[name].child.pid);
      const result = await load(servers[name].port, ROUND_SECONDS);
      result.cpuUsPerRequest =
        ((cpuMs(servers[name].child.pid) - cpuBefore) * 1000) / result.requests.total;
      if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
        throw new Error(
          `${name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
        );
      }
      track(name, result);
      results[name].push(result);
      console.log(
        `round ${round + 1} ${name.padEnd(5)} ${fixed(result.requests.average, 0).padStart(7)} req/s  ` +
          `p99 ${result.latency.p99} ms  server CPU ${fixed(result.cpuUsPerRequest, 1)} µs/req`,
      );
    }
  }

  const summary = {};
  for (const name of SERVERS) {
    const rounds = results[name];
    summary[name] = {
      reqPerSec: rounds.reduce((sum, r) => sum + r.requests.average, 0) / rounds.length,
      p99Ms: Math.max(...rounds.map((r) => r.latency.p99)),
      peakRssMb: peakRssMb(servers[name].child.pid),
      cpuUsPerRequest: median(rounds.map((r) => r.cpuUsPerRequest)),
    };
  }
  const exitCodes = await Promise.all(SERVERS.map((name) => stop(servers[name].child)));
  if (exitCodes.some((code) => code !== 0)) throw new Error(`exit codes ${exitCodes.join(', ')}`);

  // Every answered request of the logged app has its line, flushed at shutdown at the latest.
  const logged = await app.requestLines;
  const quietLogged = await quiet.requestLines;
  // The one `GET /` that startMatchingBare sent is logged too.
  if (logged < answered.app + 1 || logged > sent.app + 1 || quietLogged !== 0) {
    throw new Error(
      `request lines: ${logged} for ${answered.app} answered / ${sent.app} sent requests` +
        ` (request log on), ${quietLogged} with it off`,
    );
  }

  // The machine may be shared: each round's servers run back to back, and the
  // median of the per-round ratios is less sensitive to a noisy neighbour.
  const ratios = {};
  for (const name of ['app', 'quiet']) {
    const perRound = results[name].map(
      (result, i) => result.requests.average / results.bare[i].requests.average,
    );
    ratios[name] = {
      median: median(perRound),
      perRound,
      // Server CPU per request barely depends on what else the machine runs:
      // its inverse ratio is what the throughput ratio would be with a core to spare.
      cpu: summary.bare.cpuUsPerRequest / summary[name].cpuUsPerRequest,
    };
  }
  const coldStartMs = median(coldStarts);
  const verdict = (ok) => (ok ? 'met' : '**missed**');
  const loadAtEnd = loadavg()[0];

  const rows = SERVERS.map((name) => {
    const s = summary[name];
    const ratio =
      name === 'bare'
        ? '1'
        : `**${fixed(ratios[name].median, 2)}** (rounds ${ratios[name].perRound.map((r) => fixed(r, 2)).join(', ')})`;
    const cpuRatio = name === 'bare' ? '1' : fixed(ratios[name].cpu, 2);
    return `| ${LABELS[name]} | ${thousands(s.reqPerSec)} | ${ratio} | ${fixed(s.cpuUsPerRequest, 1)} | ${cpuRatio} | ${s.p99Ms} | ${fixed(s.peakRssMb, 1)} |`;
  });
  const table = `Measured by \`pnpm bench\` on ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${cpus().length} vCPUs (${cpuModel()}), ${fixed(totalmem() / 2 ** 30, 0)} GiB, Linux ${release()}, Node ${process.version}; autocannon on the same cores, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${ROUND_SECONDS} s per server. Load average ${fixed(loadAtStart, 1)} at the start and ${fixed(loadAtEnd, 1)} at the end.

| server | req/s (mean) | ratio to bare (median of rounds) | server CPU µs/req (median) | CPU ratio bare/app | p99 ms (worst round) | peak RSS MB |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}

- Target ratio ≥ ${TARGETS.ratio} with the request log on: ${verdict(ratios.app.median >= TARGETS.ratio)} (${fixed(ratios.app.median, 2)}); with it off: ${fixed(ratios.quiet.median, 2)}.
- App p99 ≤ ${TARGETS.p99Ms} ms: ${verdict(summary.app.p99Ms <= TARGETS.p99Ms)}; peak RSS ≤ ${TARGETS.peakRssMb} MB: ${verdict(summary.app.peakRssMb <= TARGETS.peakRssMb)}.
- Cold start to the first 200 on \`${healthPath}\`: ${fixed(coldStartMs, 0)} ms (median of ${COLD_STARTS}).
- Request lines with the log on: ${logged}, for ${answered.app + 1} requests autocannon saw answered and ${sent.app + 1} it sent (the difference was in flight when a round ended): none lost. The app's stdout was a pipe, as in a container.
- The machine is shared with other work (load average above), so the throughput ratios vary from round to round; the CPU ratio varies less.`;

  console.log(`\n${table}\n`);
  writeReadmeTable(table);
  console.log(`written to ${readmePath}`);
}

/** Replaces what lies between the README's markers; refuses if they are missing. */
function writeReadmeTable(table) {
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start === -1 || end < start) {
    throw new Error(`${readmePath} lacks the markers ${README_START} … ${README_END}`);
  }
  const updated = `${readme.slice(0, start + README_START.length)}\n\n${table}\n\n${readme.slice(end)}`;
  writeFileSync(readmePath, updated);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
