/**
 * Fargate's valid task cpu/memory pairs (Linux), memory in MiB by cpu units.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */
export const FARGATE_MEMORY_BY_CPU: Readonly<Record<string, readonly number[]>> = {
  '256': [512, 1024, 2048],
  '512': range(1024, 4096, 1024),
  '1024': range(2048, 8192, 1024),
  '2048': range(4096, 16384, 1024),
  '4096': range(8192, 30720, 1024),
  '8192': range(16384, 61440, 4096),
  '16384': range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += step) values.push(value);
  return values;
}

/** Task cpu as the API takes it ("256", "1 vCPU", "0.25 vcpu", ".25 vcpu" as in AWS's ECS Exec example) in cpu units, or undefined. */
export function cpuUnits(value: string): number | undefined {
  const units = /^\s*(\d+)\s*$/.exec(value);
  if (units) return Number(units[1]);
  const vcpu = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*vcpu\s*$/i.exec(value);
  if (vcpu) return Math.round(Number(vcpu[1]) * 1024);
  return undefined;
}

/** Task memory as the API takes it ("512", "2 GB", "2GB", ".5 gb") in MiB, or undefined. */
export function memoryMiB(value: string): number | undefined {
  const mib = /^\s*(\d+)\s*$/.exec(value);
  if (mib) return Number(mib[1]);
  const gb = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*gb\s*$/i.exec(value);
  if (gb) return Math.round(Number(gb[1]) * 1024);
  return undefined;
}

/** Whether Fargate runs a task of this cpu and memory. */
export function isFargateSize(cpu: string, memory: string): boolean {
  const units = cpuUnits(cpu);
  const mib = memoryMiB(memory);
  if (units === undefined || mib === undefined) return false;
  return FARGATE_MEMORY_BY_CPU[String(units)]?.includes(mib) ?? false;
}

/** Human-readable memory values allowed for a cpu, e.g. "512, 1024, 2048". */
export function describeFargateMemory(cpu: string): string | undefined {
  const units = cpuUnits(cpu);
  const allowed = units === undefined ? undefined : FARGATE_MEMORY_BY_CPU[String(units)];
  return allowed?.join(', ');
}
