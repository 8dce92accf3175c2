import type { TaskContainerDefinition, TaskDefinition } from '@webapp-color/deploy-specs';
import type { ContainerEngine } from './engine.js';

/** The label every container of a rehearsal carries, so `down` finds them all. */
export const REHEARSAL_LABEL = 'webapp-color.rehearsal';

export interface TaskRunOptions {
  readonly engine: ContainerEngine;
  /** Container name on this machine. */
  readonly name: string;
  /** The image the task definition's `<IMAGE1_NAME>` stands for (imageDetail.json's ImageURI). */
  readonly image: string;
  /** The loopback port that stands for the task's own address (awsvpc: one address per task). */
  readonly hostPort: number;
  /** Labels for clean-up. */
  readonly labels: Readonly<Record<string, string>>;
  /** Environment that overrides the task definition's (only the fault injections use it). */
  readonly environmentOverrides?: Readonly<Record<string, string>>;
}

/** The task definition uses something the rehearsal does not emulate. */
export class UnsupportedTaskDefinitionError extends Error {
  constructor(field: string, why: string) {
    super(`taskdef.json ${field}: ${why}; the rehearsal runs only what it can honour`);
    this.name = 'UnsupportedTaskDefinitionError';
  }
}

/** The one container a webapp-color task runs, checked for what the rehearsal can honour. */
export function soleContainer(taskDefinition: TaskDefinition): TaskContainerDefinition {
  const containers = taskDefinition.containerDefinitions;
  if (containers.length !== 1) {
    throw new UnsupportedTaskDefinitionError(
      'containerDefinitions',
      `${containers.length} containers (the rehearsal runs tasks of exactly one)`,
    );
  }
  const container = containers[0]!;
  if (container.secrets?.length) {
    throw new UnsupportedTaskDefinitionError(
      'containerDefinitions[0].secrets',
      'secrets come from Secrets Manager or SSM, which are not stood in',
    );
  }
  if (
    container.portMappings?.length !== 1 ||
    container.portMappings[0]?.containerPort === undefined
  ) {
    throw new UnsupportedTaskDefinitionError(
      'containerDefinitions[0].portMappings',
      'expected one port mapping with a containerPort (the target group port)',
    );
  }
  return container;
}

/** Task CPU units as a CPU count (1024 units = one vCPU). */
export function cpusOf(cpu: string | undefined): string | undefined {
  if (cpu === undefined) return undefined;
  const units = Number(cpu.replace(/\s*vcpu$/i, '')) * (/vcpu$/i.test(cpu) ? 1024 : 1);
  if (!Number.isFinite(units) || units <= 0) {
    throw new UnsupportedTaskDefinitionError('cpu', `${JSON.stringify(cpu)} is not CPU units`);
  }
  return String(units / 1024);
}

/** Task memory as an engine memory limit. */
export function memoryOf(memory: string | undefined): string | undefined {
  if (memory === undefined) return undefined;
  const match = /^(\d+)\s*(gb)?$/i.exec(memory.trim());
  if (!match) {
    throw new UnsupportedTaskDefinitionError(
      'memory',
      `${JSON.stringify(memory)} is not MiB or GB`,
    );
  }
  return `${Number(match[1]) * (match[2] ? 1024 : 1)}m`;
}

/**
 * The `run` arguments of one task of a task definition, field by field:
 * environment, user, read-only root filesystem (without the tmpfs podman
 * would add), init process, stop timeout, the container health check,
 * CPU and memory limits from the task size, and the port mapping on
 * 127.0.0.1. `awslogs` is not emulated: the engine keeps the log.
 */
export function taskRunArgs(taskDefinition: TaskDefinition, options: TaskRunOptions): string[] {
  const container = soleContainer(taskDefinition);
  const { engine } = options;
  const args = ['run', '--detach', '--name', options.name, ...engine.runFlags];
  for (const [key, value] of Object.entries(options.labels))
    args.push('--label', `${key}=${value}`);
  const cpus = cpusOf(taskDefinition.cpu);
  if (cpus) args.push('--cpus', cpus);
  const memory = memoryOf(taskDefinition.memory);
  if (memory) args.push('--memory', memory);
  if (container.user) args.push('--user', container.user);
  if (container.readonlyRootFilesystem) {
    args.push('--read-only');
    if (engine.name === 'podman') args.push('--read-only-tmpfs=false');
  }
  for (const mount of container.mountPoints ?? []) {
    // A Fargate task volume without a host path is task-local scratch space.
    if (!mount.containerPath) continue;
    args.push(
      '--mount',
      `type=tmpfs,destination=${mount.containerPath}${mount.readOnly ? ',ro' : ''}`,
    );
  }
  if (container.linuxParameters?.initProcessEnabled) args.push('--init');
  if (container.stopTimeout !== undefined)
    args.push('--stop-timeout', String(container.stopTimeout));
  const environment = new Map(
    (container.environment ?? []).map((pair) => [pair.name ?? '', pair.value ?? ''] as const),
  );
  for (const [key, value] of Object.entries(options.environmentOverrides ?? {})) {
    environment.set(key, value);
  }
  for (const [key, value] of environment) if (key) args.push('--env', `${key}=${value}`);
  const health = container.healthCheck;
  if (health) {
    const [kind, ...command] = health.command;
    args.push(
      '--health-cmd',
      kind === 'CMD-SHELL'
        ? command.join(' ')
        : // podman takes the exec form as JSON; docker's --health-cmd is always a shell command.
          engine.name === 'podman'
          ? JSON.stringify(command)
          : command.map(shellQuote).join(' '),
      // podman schedules checks with systemd timers, which a container host
      // without systemd lacks: the rehearsal runs each check itself
      // (`podman healthcheck run`) on the task definition's interval.
      '--health-interval',
      engine.name === 'podman' ? 'disable' : `${health.interval ?? 30}s`,
      '--health-timeout',
      `${health.timeout ?? 5}s`,
      '--health-retries',
      String(health.retries ?? 3),
      '--health-start-period',
      `${health.startPeriod ?? 0}s`,
    );
  }
  const containerPort = container.portMappings![0]!.containerPort!;
  args.push('--publish', `127.0.0.1:${options.hostPort}:${containerPort}`);
  args.push(options.image);
  return args;
}

/** One argument for /bin/sh, single-quoted. */
function shellQuote(argument: string): string {
  return `'${argument.replace(/'/g, `'\\''`)}'`;
}
