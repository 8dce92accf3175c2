import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { realClock, type Clock } from './clock.js';

/**
 * The gates of an environment as a rehearsal meets them, in the pipeline's
 * order: the manual approval before the release (`promotion.approval`), then,
 * on the ECS controller, the PAUSE lifecycle hook inside the deployment
 * (`deployment.pause`). A waiting gate is answered from another terminal
 * (`pnpm rehearse continue|rollback`, through a file in the rehearsal's
 * state directory that the waiting run watches), by `--approve` at once, or
 * by its timeout.
 * - approval: https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals.html
 * - pause: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html
 */
export type GateKind = 'approval' | 'pause';

/** What answers a gate: go on, or stop (an approval rejected, a pause rolled back). */
export type GateDecision = 'continue' | 'rollback';

export interface GateRequest {
  readonly kind: GateKind;
  /** What the gate stands before, for the waiting message ("the production release"). */
  readonly before: string;
  /** pause: the ECS lifecycle stage it waits at. */
  readonly stage?: string;
  /** The configured timeout, minutes. */
  readonly timeoutMinutes: number;
  /** The timeout as the rehearsal waits it (scaled like every other wait). */
  readonly timeoutSeconds: number;
  /** What a timeout does: an approval is rejected; a pause takes its onTimeout. */
  readonly onTimeout: GateDecision;
}

/** Who or what answered a gate. */
export type GateAnswer =
  | { readonly by: '--approve' }
  | {
      readonly by: 'command';
      readonly command: 'continue' | 'rollback';
      /** The user name and process id of the `pnpm rehearse continue|rollback` that answered. */
      readonly user: string;
      readonly pid: number;
    }
  | { readonly by: 'timeout' }
  | { readonly by: 'interrupt' };

/** One gate as the summary records it. */
export interface GateRecord {
  readonly kind: GateKind;
  readonly stage?: string;
  readonly decision: GateDecision;
  readonly answer: GateAnswer;
  /** ISO time the gate began to wait. */
  readonly started: string;
  readonly waitedSeconds: number;
  readonly timeoutMinutes: number;
  readonly timeoutSeconds: number;
  readonly onTimeout: GateDecision;
}

/** Waits at a gate until it is answered; the record says how. */
export interface Gatekeeper {
  /**
   * `watch` runs at every look for an answer (ECS watches the deployment's
   * alarms while it is paused); what it throws ends the wait with that error.
   */
  wait(request: GateRequest, watch?: () => Promise<void>): Promise<GateRecord>;
}

/** The file a waiting rehearsal writes, and the one an answer is written to. */
export function gateFiles(directory: string): { waiting: string; answer: string } {
  return { waiting: join(directory, 'gate.json'), answer: join(directory, 'gate-answer.json') };
}

/** What `gate.json` holds while a rehearsal waits. */
export interface WaitingGate {
  readonly id: string;
  readonly pid: number;
  readonly kind: GateKind;
  readonly stage?: string;
  readonly before: string;
  readonly started: string;
  /** ISO time the timeout answers. */
  readonly deadline: string;
  readonly onTimeout: GateDecision;
}

interface WrittenAnswer {
  readonly id: string;
  readonly decision: GateDecision;
  readonly user: string;
  readonly pid: number;
}

export interface GatekeeperOptions {
  /** `--approve`: every gate continues at once. */
  readonly approve: boolean;
  /** The rehearsal's state directory (where `gate.json` goes). */
  readonly directory: string;
  readonly progress: (line: string) => void;
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
  /** This process (written to gate.json so an answer knows the run still waits). */
  readonly pid?: number;
  /** How often the answer file is looked for. @default 250 */
  readonly pollMs?: number;
}

/** How a gate is described in one line ("approval before the production release"). */
export function describeGate(gate: Pick<GateRequest, 'kind' | 'stage' | 'before'>): string {
  return gate.kind === 'approval'
    ? `manual approval before ${gate.before}`
    : `PAUSE lifecycle hook at ${gate.stage ?? 'its stage'} (${gate.before})`;
}

/**
 * The gatekeeper of one rehearsal: with `approve`, every gate continues at
 * once; otherwise each gate writes `gate.json`, says what it waits for and
 * how to answer, and waits for `gate-answer.json`, its timeout or Ctrl-C.
 */
export function gatekeeper(options: GatekeeperOptions): Gatekeeper {
  const clock = options.clock ?? realClock;
  const files = gateFiles(options.directory);
  return {
    async wait(request, watch) {
      const begun = clock.now();
      const record = (decision: GateDecision, answer: GateAnswer): GateRecord => ({
        kind: request.kind,
        ...(request.stage ? { stage: request.stage } : {}),
        decision,
        answer,
        started: new Date(begun).toISOString(),
        waitedSeconds: (clock.now() - begun) / 1000,
        timeoutMinutes: request.timeoutMinutes,
        timeoutSeconds: request.timeoutSeconds,
        onTimeout: request.onTimeout,
      });
      const what = describeGate(request);
      if (options.approve) {
        options.progress(`Gate       ${what}: continued by --approve`);
        return record('continue', { by: '--approve' });
      }
      const waiting: WaitingGate = {
        id: randomUUID(),
        pid: options.pid ?? process.pid,
        kind: request.kind,
        ...(request.stage ? { stage: request.stage } : {}),
        before: request.before,
        started: new Date(begun).toISOString(),
        deadline: new Date(begun + request.timeoutSeconds * 1000).toISOString(),
        onTimeout: request.onTimeout,
      };
      await mkdir(options.directory, { recursive: true });
      await rm(files.answer, { force: true });
      await writeAtomically(files.waiting, `${JSON.stringify(waiting, null, 2)}\n`);
      const timeoutSays =
        request.kind === 'approval'
          ? 'rejected'
          : `${request.onTimeout === 'continue' ? 'CONTINUE' : 'ROLLBACK'} (onTimeout)`;
      options.progress(
        `Waiting    ${what}; in ${request.timeoutSeconds.toFixed(0)} s (${request.timeoutMinutes} min configured) it times out: ${timeoutSays}`,
      );
      options.progress(
        `           answer from another terminal: \`pnpm rehearse continue\` or \`pnpm rehearse rollback\`${request.kind === 'approval' ? ' (rejects the release)' : ''}`,
      );
      try {
        for (;;) {
          const answer = await readAnswer(files.answer, waiting.id);
          if (answer) {
            const decided = record(answer.decision, {
              by: 'command',
              command: answer.decision,
              user: answer.user,
              pid: answer.pid,
            });
            options.progress(
              `Gate       ${what}: ${answer.decision} by \`pnpm rehearse ${answer.decision}\` (${answer.user}, pid ${answer.pid}) after ${decided.waitedSeconds.toFixed(1)} s`,
            );
            return decided;
          }
          if (options.signal?.aborted) {
            options.progress(`Gate       ${what}: interrupted (rollback)`);
            return record('rollback', { by: 'interrupt' });
          }
          await watch?.();
          if (clock.now() - begun >= request.timeoutSeconds * 1000) {
            options.progress(`Gate       ${what}: timed out, ${timeoutSays}`);
            return record(request.onTimeout, { by: 'timeout' });
          }
          await clock.sleep(options.pollMs ?? 250);
        }
      } finally {
        await rm(files.waiting, { force: true });
        await rm(files.answer, { force: true });
      }
    },
  };
}

async function readAnswer(path: string, id: string): Promise<WrittenAnswer | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const answer = JSON.parse(text) as WrittenAnswer;
    return answer.id === id ? answer : undefined;
  } catch {
    return undefined;
  }
}

/** No rehearsal waits at a gate: `continue` and `rollback` exit 2 with this. */
export class NoGateWaitingError extends Error {}

/** Whether a process runs (signal 0 checks without sending anything). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface AnswerOptions {
  readonly user?: string;
  readonly pid?: number;
  readonly clock?: Clock;
  /** How long to wait for the rehearsal to take the answer. @default 10 s */
  readonly takenWithinMs?: number;
}

/**
 * Writes the answer to the gate a rehearsal of this checkout waits at
 * (without waiting for it to be taken). Throws NoGateWaitingError where
 * none waits.
 */
export async function writeGateAnswer(
  directory: string,
  decision: GateDecision,
  options: Pick<AnswerOptions, 'user' | 'pid'> = {},
): Promise<WaitingGate> {
  const files = gateFiles(directory);
  const text = await readFile(files.waiting, 'utf8').catch(() => undefined);
  let waiting: WaitingGate | undefined;
  try {
    waiting = text === undefined ? undefined : (JSON.parse(text) as WaitingGate);
  } catch {
    waiting = undefined;
  }
  if (!waiting || !Number.isInteger(waiting.pid) || !running(waiting.pid)) {
    throw new NoGateWaitingError(
      `no rehearsal waits at a gate (${text === undefined ? `no ${files.waiting}` : `${files.waiting} names no running rehearsal`}); \`pnpm rehearse ${decision}\` answers the approval or pause of a rehearsal waiting in another terminal (e.g. \`pnpm rehearse --env production\`)`,
    );
  }
  const answer: WrittenAnswer = {
    id: waiting.id,
    decision,
    user: options.user ?? userInfo().username,
    pid: options.pid ?? process.pid,
  };
  await writeAtomically(files.answer, `${JSON.stringify(answer)}\n`);
  return waiting;
}

/**
 * `pnpm rehearse continue|rollback`: answers the gate a rehearsal of this
 * checkout waits at, then waits until the rehearsal has taken the answer.
 * Throws NoGateWaitingError where none waits (or the answer is not taken).
 */
export async function answerGate(
  directory: string,
  decision: GateDecision,
  options: AnswerOptions = {},
): Promise<WaitingGate> {
  const clock = options.clock ?? realClock;
  const waiting = await writeGateAnswer(directory, decision, options);
  const within = options.takenWithinMs ?? 10_000;
  const until = clock.now() + within;
  while (clock.now() < until) {
    const still = await readFile(gateFiles(directory).waiting, 'utf8').catch(() => undefined);
    if (still === undefined || !still.includes(waiting.id)) return waiting;
    await clock.sleep(100);
  }
  await rm(gateFiles(directory).answer, { force: true });
  throw new NoGateWaitingError(
    `the rehearsal (pid ${waiting.pid}) did not take the answer within ${within / 1000} s; is it still waiting?`,
  );
}

async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}
