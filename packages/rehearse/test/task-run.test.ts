import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { TaskDefinition } from '@webapp-color/deploy-specs';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import type { ContainerEngine } from '../src/engine.js';
import { cpusOf, memoryOf, taskRunArgs, UnsupportedTaskDefinitionError } from '../src/task-run.js';

const example = JSON.parse(
  readFileSync(
    new URL('../../deploy-specs/examples/release/taskdef.json', import.meta.url),
    'utf8',
  ),
) as TaskDefinition;
const podman: ContainerEngine = {
  name: 'podman',
  version: '4.3.1',
  globalFlags: ['--runtime', 'runc'],
  buildFlags: [],
  runFlags: ['--ulimit', 'nproc=4096:4096'],
  localBaseImage: true,
};
const options = {
  engine: podman,
  name: 'task-1',
  image: 'localhost/webapp-color:abc1234',
  hostPort: 40001,
  labels: { 'webapp-color.rehearsal': 'test' },
};

/** The value after a flag (the first occurrence). */
function flag(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

describe('taskRunArgs (the committed example release)', () => {
  const args = taskRunArgs(example, options);
  const container = example.containerDefinitions[0]!;

  it('runs the image the release names, detached, under the engine flags and labels', () => {
    expect(args.slice(0, 4)).toEqual(['run', '--detach', '--name', 'task-1']);
    expect(args).toContain('nproc=4096:4096');
    expect(flag(args, '--label')).toBe('webapp-color.rehearsal=test');
    expect(args.at(-1)).toBe(options.image);
  });

  it(`limits CPU and memory to the task size (${example.cpu} units, ${example.memory} MiB)`, () => {
    expect(flag(args, '--cpus')).toBe(String(Number(example.cpu) / 1024));
    expect(flag(args, '--memory')).toBe(`${example.memory}m`);
  });

  it("runs as the task definition's user with a read-only root and no podman tmpfs", () => {
    expect(flag(args, '--user')).toBe(webappColor.container.user);
    expect(args).toContain('--read-only');
    expect(args).toContain('--read-only-tmpfs=false');
  });

  it('runs an init process and honours the stop timeout', () => {
    expect(args).toContain('--init');
    expect(flag(args, '--stop-timeout')).toBe(String(container.stopTimeout));
  });

  it("passes the task definition's environment, APP_VERSION included", () => {
    const environment = args.flatMap((arg, index) => (args[index - 1] === '--env' ? [arg] : []));
    expect(environment).toEqual(container.environment!.map((pair) => `${pair.name}=${pair.value}`));
  });

  it("configures the task definition's container health check, run by the rehearsal on podman", () => {
    const [, ...command] = container.healthCheck!.command;
    expect(JSON.parse(flag(args, '--health-cmd')!)).toEqual(command);
    expect(flag(args, '--health-interval')).toBe('disable');
    expect(flag(args, '--health-timeout')).toBe(`${container.healthCheck!.timeout}s`);
    expect(flag(args, '--health-retries')).toBe(String(container.healthCheck!.retries));
    expect(flag(args, '--health-start-period')).toBe(`${container.healthCheck!.startPeriod}s`);
  });

  it('publishes the container port on 127.0.0.1 only', () => {
    expect(flag(args, '--publish')).toBe(`127.0.0.1:40001:${webappColor.container.port}`);
  });

  it('lets docker schedule the health check itself, at the interval', () => {
    const docker = taskRunArgs(example, { ...options, engine: { ...podman, name: 'docker' } });
    expect(flag(docker, '--health-interval')).toBe(`${container.healthCheck!.interval}s`);
    const [, ...command] = container.healthCheck!.command;
    // docker runs it with /bin/sh -c: the shell must give back the exact argv.
    const argv = execFileSync('sh', ['-c', `printf '%s\\0' ${flag(docker, '--health-cmd')}`], {
      encoding: 'utf8',
    });
    expect(argv.split('\0').slice(0, -1)).toEqual(command);
    expect(docker).not.toContain('--read-only-tmpfs=false');
  });

  it('overrides one environment variable when a fault asks for it', () => {
    const faulty = taskRunArgs(example, { ...options, environmentOverrides: { PORT: '8081' } });
    expect(faulty).toContain('PORT=8081');
  });
});

describe('taskRunArgs refusals', () => {
  it('fails when the task has more than one container', () => {
    const two = {
      ...example,
      containerDefinitions: [...example.containerDefinitions, ...example.containerDefinitions],
    };
    expect(() => taskRunArgs(two, options)).toThrow(UnsupportedTaskDefinitionError);
    expect(() => taskRunArgs(two, options)).toThrow(
      'taskdef.json containerDefinitions: 2 containers',
    );
  });

  it('fails when a container takes secrets (not stood in)', () => {
    const withSecrets = {
      ...example,
      containerDefinitions: [
        { ...example.containerDefinitions[0]!, secrets: [{ name: 'A', valueFrom: 'arn:x' }] },
      ],
    };
    expect(() => taskRunArgs(withSecrets, options)).toThrow('containerDefinitions[0].secrets');
  });

  it('fails on a task size it cannot read, naming the value', () => {
    expect(cpusOf('1 vCPU')).toBe('1');
    expect(memoryOf('2 GB')).toBe('2048m');
    expect(() => cpusOf('lots')).toThrow('taskdef.json cpu: "lots" is not CPU units');
    expect(() => memoryOf('512 MB')).toThrow('taskdef.json memory: "512 MB" is not MiB or GB');
  });
});
