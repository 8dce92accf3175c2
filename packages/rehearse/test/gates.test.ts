import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import {
  answerGate,
  gateFiles,
  gatekeeper,
  writeGateAnswer,
  type GateDecision,
  type GateRecord,
} from '../src/gates.js';
import { runNativeRelease, type NativeReleasePlan } from '../src/native.js';
import { run } from '../src/program.js';
import { rehearsalEnvironment } from '../src/environment.js';
import { shiftSteps } from '../src/settings.js';
import { approvalGate } from '../src/steps/approval.js';
import { formatSummary } from '../src/summary.js';
import { fakeClock, fakePlatform } from './support/release-fakes.js';

const directories: string[] = [];
afterEach(async () => {
  for (const directory of directories.splice(0))
    await rm(directory, { recursive: true, force: true });
});

async function stateDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'rehearse-gates-'));
  directories.push(directory);
  return directory;
}

/**
 * The fake clock, and another terminal: at the first sleep while a gate
 * waits (gate.json written), `pnpm rehearse <decision>` answers it as user
 * `alice` from pid 4242.
 */
function answeringClock(directory: string, decision?: GateDecision) {
  const clock = fakeClock();
  let answered = false;
  const answering: Clock & { elapsed(): number } = {
    now: () => clock.now(),
    elapsed: () => clock.elapsed(),
    async sleep(ms) {
      if (decision && !answered && existsSync(gateFiles(directory).waiting)) {
        answered = true;
        await writeGateAnswer(directory, decision, { user: 'alice', pid: 4242 });
      }
      return clock.sleep(ms);
    },
  };
  return answering;
}

const production = {
  environment: 'production',
  approval: { from: 'staging', timeoutMinutes: 1440 },
} as const;
/** A minute of configured waiting is a second, as the rehearsal scales it. */
const SCALE = 1 / 60;

describe('the approval before the release', () => {
  it('waits, saying how to answer, and continues on `pnpm rehearse continue`', async () => {
    const directory = await stateDirectory();
    const clock = answeringClock(directory, 'continue');
    const said: string[] = [];
    const keeper = gatekeeper({
      approve: false,
      directory,
      clock,
      progress: (line) => said.push(line),
    });
    const outcome = await approvalGate(production, SCALE, keeper);
    expect(outcome?.rejected).toBeUndefined();
    expect(outcome?.record).toEqual({
      kind: 'approval',
      decision: 'continue',
      answer: { by: 'command', command: 'continue', user: 'alice', pid: 4242 },
      started: '2026-01-01T00:00:00.000Z',
      waitedSeconds: 0.25,
      timeoutMinutes: 1440,
      timeoutSeconds: 1440,
      onTimeout: 'rollback',
    } satisfies GateRecord);
    expect(said.join('\n')).toContain(
      'Waiting    manual approval before the production release (promoted from staging); in 1440 s (1440 min configured) it times out: rejected',
    );
    expect(said.join('\n')).toContain('`pnpm rehearse continue` or `pnpm rehearse rollback`');
    // Nothing is left waiting for a later `continue` to answer.
    expect(existsSync(gateFiles(directory).waiting)).toBe(false);
    expect(existsSync(gateFiles(directory).answer)).toBe(false);
  });

  it('is rejected by `pnpm rehearse rollback`: the release is not made, and the reason says who', async () => {
    const directory = await stateDirectory();
    const keeper = gatekeeper({
      approve: false,
      directory,
      clock: answeringClock(directory, 'rollback'),
      progress: () => undefined,
    });
    const outcome = await approvalGate(production, SCALE, keeper);
    expect(outcome?.record.decision).toBe('rollback');
    expect(outcome?.record.answer).toEqual({
      by: 'command',
      command: 'rollback',
      user: 'alice',
      pid: 4242,
    });
    expect(outcome?.rejected).toBe(
      'approval before the production release rejected by `pnpm rehearse rollback` (alice, pid 4242); the release was not made',
    );
  });

  it('is rejected when its timeout runs out, after the scaled timeout', async () => {
    const directory = await stateDirectory();
    const clock = answeringClock(directory);
    const keeper = gatekeeper({ approve: false, directory, clock, progress: () => undefined });
    const outcome = await approvalGate(
      { environment: 'production', approval: { from: 'staging', timeoutMinutes: 30 } },
      SCALE,
      keeper,
    );
    expect(outcome?.record).toMatchObject({
      decision: 'rollback',
      answer: { by: 'timeout' },
      waitedSeconds: 30,
    });
    expect(outcome?.rejected).toMatch(
      /^approval before the production release timed out after 30\.0 s/,
    );
    expect(clock.elapsed()).toBe(30_000);
  });

  it('continues at once with --approve, writing no gate file', async () => {
    const directory = await stateDirectory();
    const said: string[] = [];
    const keeper = gatekeeper({
      approve: true,
      directory,
      clock: fakeClock(),
      progress: (line) => said.push(line),
    });
    const outcome = await approvalGate(production, SCALE, keeper);
    expect(outcome?.record).toMatchObject({
      decision: 'continue',
      answer: { by: '--approve' },
      waitedSeconds: 0,
    });
    expect(said).toEqual([
      'Gate       manual approval before the production release (promoted from staging): continued by --approve',
    ]);
    expect(existsSync(gateFiles(directory).waiting)).toBe(false);
  });

  it('is not met by an environment without promotion', async () => {
    const keeper = gatekeeper({
      approve: false,
      directory: await stateDirectory(),
      progress: () => undefined,
    });
    expect(await approvalGate({ environment: 'staging' }, SCALE, keeper)).toBeUndefined();
  });
});

const BLUE = 'arn:aws:ecs:us-east-2:000000000000:service-revision/app/app/1';
const GREEN = 'arn:aws:ecs:us-east-2:000000000000:service-revision/app/app/2';

function plan(pause: NativeReleasePlan['pause']): NativeReleasePlan {
  return {
    hooks: [{ functionName: 'native-hook', stages: ['TEST_TRAFFIC_SHIFT'] }],
    steps: shiftSteps({ type: 'all-at-once' }),
    healthGateSeconds: 20,
    healthGraceSeconds: 5,
    alarm: { thresholds: { loadBalancer: 5, targets: 5 }, periodSeconds: 1, periods: 2 },
    bakeSeconds: 5,
    scale: SCALE,
    identity: {
      serviceArn: 'arn:aws:ecs:us-east-2:000000000000:service/app/app',
      serviceDeploymentArn: 'arn:aws:ecs:us-east-2:000000000000:service-deployment/app/app/d1',
      revisionArns: { blue: BLUE, green: GREEN },
    },
    ...(pause ? { pause } : {}),
  };
}

async function pausedRelease(
  pause: NonNullable<NativeReleasePlan['pause']>,
  decision?: GateDecision,
) {
  const directory = await stateDirectory();
  const clock = answeringClock(directory, decision);
  const { platform, calls } = fakePlatform({ healthyAfter: 2 });
  const records: GateRecord[] = [];
  const pausing: string[] = [];
  const result = await runNativeRelease(
    plan(pause),
    platform,
    { finished: () => undefined, phase: () => undefined },
    {
      clock,
      gates: {
        gatekeeper: gatekeeper({ approve: false, directory, clock, progress: () => undefined }),
        records,
        paused: (request) => {
          pausing.push(`AWAITING_ACTION ${request.stage}`);
          calls.push('paused');
        },
        answered: (record) => {
          pausing.push(`answered ${record.stage} ${record.decision}`);
          calls.push('answered');
          return Promise.resolve();
        },
      },
    },
  );
  return { result, records, calls, pausing };
}

describe('the PAUSE hook inside an ECS deployment', () => {
  const pause = {
    stage: 'POST_TEST_TRAFFIC_SHIFT',
    timeoutMinutes: 60,
    onTimeout: 'ROLLBACK',
  } as const;

  it('waits at its stage, before production traffic, and goes on when continued', async () => {
    const { result, records, calls, pausing } = await pausedRelease(pause, 'continue');
    expect(result.outcome).toBe('succeeded');
    expect(records).toMatchObject([
      {
        kind: 'pause',
        stage: 'POST_TEST_TRAFFIC_SHIFT',
        decision: 'continue',
        answer: { by: 'command', command: 'continue', user: 'alice', pid: 4242 },
        timeoutMinutes: 60,
        timeoutSeconds: 60,
        onTimeout: 'rollback',
      },
    ]);
    expect(pausing).toEqual([
      'AWAITING_ACTION POST_TEST_TRAFFIC_SHIFT',
      'answered POST_TEST_TRAFFIC_SHIFT continue',
    ]);
    // The test rule is on green while paused; production moves only afterwards.
    expect(calls.indexOf('routeTest green')).toBeLessThan(calls.indexOf('paused'));
    expect(calls.indexOf('answered')).toBeLessThan(calls.indexOf('share 100'));
    const stage = result.events.find((event) => event.name === 'POST_TEST_TRAFFIC_SHIFT');
    expect(stage?.result).toBe('Succeeded');
    expect(stage?.detail).toMatch(
      /^PAUSE CONTINUE by `pnpm rehearse continue` \(alice, pid 4242\) after \d+\.\d s$/,
    );
  });

  it('takes onTimeout ROLLBACK when nobody answers: ECS rolls back, production never moved', async () => {
    const { result, records, calls } = await pausedRelease(pause);
    expect(result.outcome).toBe('rolled-back');
    expect(result.reason).toMatch(
      /^POST_TEST_TRAFFIC_SHIFT: PAUSE lifecycle hook at POST_TEST_TRAFFIC_SHIFT \(production traffic\): PAUSE ROLLBACK by timeout after 60\.\d s$/,
    );
    expect(records).toMatchObject([{ decision: 'rollback', answer: { by: 'timeout' } }]);
    expect(records[0]?.waitedSeconds).toBeGreaterThanOrEqual(60);
    expect(calls).not.toContain('share 100');
    expect(result.events.filter((event) => event.rollback).map((event) => event.name)).toEqual([
      'PRODUCTION_TRAFFIC_SHIFT',
      'TEST_TRAFFIC_SHIFT',
    ]);
  });

  it('takes onTimeout CONTINUE when nobody answers: the deployment goes on', async () => {
    const { result, records } = await pausedRelease({ ...pause, onTimeout: 'CONTINUE' });
    expect(result.outcome).toBe('succeeded');
    expect(records).toMatchObject([{ decision: 'continue', answer: { by: 'timeout' } }]);
  });

  it('is rolled back by `pnpm rehearse rollback`', async () => {
    const { result, records } = await pausedRelease(
      { ...pause, stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', onTimeout: 'CONTINUE' },
      'rollback',
    );
    expect(result.outcome).toBe('rolled-back');
    expect(records).toMatchObject([
      { stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', decision: 'rollback', answer: { by: 'command' } },
    ]);
  });

  it('continues at once with --approve', async () => {
    const { platform } = fakePlatform({ healthyAfter: 2 });
    const records: GateRecord[] = [];
    const result = await runNativeRelease(
      plan(pause),
      platform,
      { finished: () => undefined, phase: () => undefined },
      {
        clock: fakeClock(),
        gates: {
          gatekeeper: gatekeeper({
            approve: true,
            directory: await stateDirectory(),
            progress: () => undefined,
          }),
          records,
        },
      },
    );
    expect(result.outcome).toBe('succeeded');
    expect(records).toMatchObject([{ decision: 'continue', answer: { by: '--approve' } }]);
  });
});

describe('pnpm rehearse continue | rollback', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: { stdout: (text: string) => out.push(text), stderr: (text: string) => err.push(text) },
    };
  };

  it('exits 2 with a clear message when no rehearsal waits', async () => {
    const root = await stateDirectory();
    await rm(rehearsalEnvironment(root).directory, { recursive: true, force: true });
    for (const command of ['continue', 'rollback']) {
      const { io: streams, err, out } = io();
      expect(await run([command], streams, root)).toBe(2);
      expect(out).toEqual([]);
      expect(err.join('')).toMatch(/^rehearse: no rehearsal waits at a gate \(no .*gate\.json\)/);
    }
  });

  it('exits 2 when the rehearsal that waited is gone', async () => {
    const directory = await stateDirectory();
    // A pid above Linux's pid_max: no such process.
    await writeFile(
      gateFiles(directory).waiting,
      JSON.stringify({ id: 'x', pid: 99_999_999, kind: 'approval' }),
    );
    await expect(answerGate(directory, 'continue')).rejects.toThrow(/names no running rehearsal/);
  });

  it('answers a waiting rehearsal and returns once it has taken the answer', async () => {
    const directory = await stateDirectory();
    const keeper = gatekeeper({ approve: false, directory, progress: () => undefined, pollMs: 10 });
    const waiting = keeper.wait({
      kind: 'approval',
      before: 'the production release',
      timeoutMinutes: 1440,
      timeoutSeconds: 60,
      onTimeout: 'rollback',
    });
    while (!existsSync(gateFiles(directory).waiting)) await new Promise((r) => setTimeout(r, 5));
    const gate = await answerGate(directory, 'continue', { user: 'bob' });
    expect(gate).toMatchObject({ kind: 'approval', pid: process.pid, onTimeout: 'rollback' });
    const record = await waiting;
    expect(record.answer).toEqual({
      by: 'command',
      command: 'continue',
      user: 'bob',
      pid: process.pid,
    });
    await expect(readFile(gateFiles(directory).waiting)).rejects.toThrow();
  });
});

describe('the summary', () => {
  it('prints each gate: who answered, how long it waited', () => {
    const lines = formatSummary({
      outcome: 'rejected',
      reason: 'approval rejected',
      version: 'abc',
      source: { commitId: 'abc', headCommitId: 'abc', dirty: false, files: 1 },
      build: { status: 'SUCCEEDED', logFile: '/tmp/b.log', artifactFiles: [] },
      registry: { address: '', standsInFor: '', imageRequests: [] },
      engine: 'podman 5',
      infraEnvironment: 'production',
      controller: 'ecs',
      strategy: { type: 'all-at-once' },
      fault: null,
      colors: { blue: 'blue', green: 'green' },
      requests: 0,
      failedRequests: 0,
      phases: {},
      events: [],
      replacedTasks: [],
      timings: {
        buildSeconds: 1,
        greenHealthySeconds: null,
        healthGateSeconds: 10,
        hookSeconds: 0,
        shiftSeconds: null,
        drainSeconds: null,
        totalSeconds: 2,
      },
      timeScale: SCALE,
      productionUrl: '',
      testUrl: '',
      kept: false,
      environmentKey: 'k',
      awsCalls: [],
      gates: [
        {
          kind: 'approval',
          decision: 'rollback',
          answer: { by: 'command', command: 'rollback', user: 'alice', pid: 4242 },
          started: '2026-01-01T10:00:00.000Z',
          waitedSeconds: 12.5,
          timeoutMinutes: 1440,
          timeoutSeconds: 1440,
          onTimeout: 'rollback',
        },
      ],
    });
    expect(lines).toContain(
      'Gate       approval: rollback by `pnpm rehearse rollback` (alice, pid 4242), waited 12.5 s from 10:00:00 (timeout 1440 s: rollback)',
    );
  });
});
