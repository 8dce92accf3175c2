import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { run } from '../src/program.js';

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

describe('rehearse CLI usage', () => {
  it('prints its usage with the exit codes', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    expect(stdout).toContain(
      'Exit codes: 0 succeeded, 1 rolled back or rejected at the approval, 2 bad usage or a missing tool',
    );
    expect(stdout).toContain('--approve');
    expect(stdout).toMatch(/continue\s+continue the gate a rehearsal waits at/);
    expect(stdout).toMatch(/rollback\s+answer the gate a rehearsal waits at with rollback/);
  });

  it('fails with exit code 2 naming the flag when a fault is unknown', async () => {
    const { code, stderr } = await cli('--fault', 'meteor');
    expect(code).toBe(2);
    expect(stderr).toContain(
      "option '--fault <fault>' argument 'meteor' is invalid. Allowed choices are smoke, unhealthy, crash.",
    );
  });

  it('fails with exit code 2 naming the flag and the value when a port is out of range', async () => {
    const { code, stderr } = await cli('--port', '80');
    expect(code).toBe(2);
    expect(stderr).toContain('--port "80": expected a whole number from 1024 to 65535');
  });

  it('fails with exit code 2 naming the flag when the rate is not a number', async () => {
    const { code, stderr } = await cli('--rate', 'fast');
    expect(code).toBe(2);
    expect(stderr).toContain('--rate "fast": expected a whole number from 1 to 10000');
  });

  it('fails with exit code 2 before rehearsing when the report has no folder to go to', async () => {
    const { code, stderr } = await cli('--report', '/nonexistent-folder/r.html');
    expect(code).toBe(2);
    expect(stderr).toContain(
      'rehearse: --report "/nonexistent-folder/r.html": the folder /nonexistent-folder does not exist',
    );
    const folder = await cli('--report', tmpdir());
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain(`--report "${tmpdir()}": is a folder; give a file name`);
  });

  it('fails with exit code 2 naming the flag, the value and the allowed ones when a controller is unknown', async () => {
    const { code, stderr } = await cli('--controller', 'aws');
    expect(code).toBe(2);
    expect(stderr).toContain('rehearse: --controller "aws": expected one of codedeploy, ecs');
  });

  it('fails with exit code 2 on an unknown flag', async () => {
    const { code, stderr } = await cli('--colour', 'pink');
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--colour'");
  });
});

describe('parseStrategy', () => {
  it('fails naming the value and what is allowed', async () => {
    const { parseStrategy } = await import('../src/settings.js');
    expect(parseStrategy('canary:10:5')).toEqual({
      type: 'canary',
      percent: 10,
      intervalMinutes: 5,
    });
    expect(() => parseStrategy('canary:100:5')).toThrow(
      '--strategy "canary:100:5": expected all-at-once, canary:<percent 1-99>:<minutes ≥ 1> or linear:<percent 1-99>:<minutes ≥ 1>',
    );
  });
});
