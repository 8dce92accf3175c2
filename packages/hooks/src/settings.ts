import { readFileSync } from 'node:fs';
import type { CheckSettings } from './checks.js';

/**
 * The hook's settings, read from its environment (set by the CDK app, or by
 * whoever runs the hook outside Lambda). Every variable is named here;
 * environment.ts writes them from typed values (HookEnvironmentValues,
 * where each is described) and the compiler keeps the two lists equal.
 */
export interface HookEnvironment {
  /** `AfterAllowTestTraffic` or `AfterAllowTraffic`. */
  readonly HOOK_LIFECYCLE_EVENT: string;
  /** `http` or `https`: the listener's protocol. */
  readonly LISTENER_PROTOCOL: string;
  /** The listener's port. */
  readonly LISTENER_PORT: string;
  /** Host header, and the TLS server name on https. */
  readonly SITE_HOST: string;
  readonly HEALTH_PATH: string;
  readonly PAGE_PATH: string;
  readonly VERSION_PATH: string;
  readonly CONTAINER_NAME: string;
  readonly VERSION_VARIABLE: string;
  /** `true` or `false`. */
  readonly REQUIRE_VERSION: string;
  /** Milliseconds the checks may take; the Lambda timeout leaves room to report after it. */
  readonly CHECK_BUDGET_MS: string;
  /** The description EC2 gives the load balancer's network interfaces. */
  readonly LOAD_BALANCER_ENI_DESCRIPTION: string;
}

/** Optional knobs, for a loopback rehearsal. */
export interface OptionalHookEnvironment {
  /** @default 3000 */
  readonly REQUEST_TIMEOUT_MS?: string;
  /** @default 5000 */
  readonly RETRY_DELAY_MS?: string;
  /**
   * ECS controller: milliseconds all invocations of one hook execution may
   * take, from the first, before it answers FAILED. @default 600000
   */
  readonly CHECK_DEADLINE_MS?: string;
  /** A PEM file of the CAs trusted on https instead of Node's own. */
  readonly LISTENER_CA_FILE?: string;
  /**
   * Set both to tag the image production serves (AfterAllowTraffic): the
   * tag moved onto it, and the tag moved onto the image live before.
   */
  readonly LIVE_IMAGE_TAG?: string;
  readonly PREVIOUS_IMAGE_TAG?: string;
}

export interface HookSettings {
  readonly checks: CheckSettings;
  /**
   * ECS controller: how long, from the first invocation of a hook execution,
   * the checks may go on answering IN_PROGRESS, milliseconds.
   */
  readonly deadlineMs: number;
  readonly loadBalancerEniDescription: string;
  readonly listenerCa?: string;
}

/** Thrown when the environment lacks a setting or holds an unusable one; names each. */
export class HookSettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`hook environment: ${problems.join('; ')}`);
    this.name = 'HookSettingsError';
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

export function readHookSettings(env: Environment): HookSettings {
  const problems: string[] = [];
  const text = (name: keyof HookEnvironment): string => {
    const value = env[name];
    if (value === undefined || value === '') {
      problems.push(`${name} is not set`);
      return '';
    }
    return value;
  };
  const oneOf = <const T extends string>(name: keyof HookEnvironment, allowed: readonly T[]): T => {
    const value = text(name);
    if (value !== '' && !allowed.includes(value as T)) {
      problems.push(`${name} = ${JSON.stringify(value)}: expected one of ${allowed.join(', ')}`);
    }
    return value as T;
  };
  const integer = (
    name: keyof HookEnvironment | keyof OptionalHookEnvironment,
    min: number,
    max: number,
    fallback?: number,
  ): number => {
    const raw = env[name];
    if ((raw === undefined || raw === '') && fallback !== undefined) return fallback;
    if (raw === undefined || raw === '') {
      problems.push(`${name} is not set`);
      return 0;
    }
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(
        `${name} = ${JSON.stringify(raw)}: expected a whole number from ${min} to ${max}`,
      );
    }
    return value;
  };
  const path = (name: keyof HookEnvironment): string => {
    const value = text(name);
    if (value !== '' && !value.startsWith('/')) {
      problems.push(`${name} = ${JSON.stringify(value)}: expected a path starting with '/'`);
    }
    return value;
  };

  const checks: CheckSettings = {
    lifecycleEvent: oneOf('HOOK_LIFECYCLE_EVENT', ['AfterAllowTestTraffic', 'AfterAllowTraffic']),
    listener: {
      protocol: oneOf('LISTENER_PROTOCOL', ['http', 'https']),
      port: integer('LISTENER_PORT', 1, 65535),
    },
    host: text('SITE_HOST'),
    healthPath: path('HEALTH_PATH'),
    pagePath: path('PAGE_PATH'),
    versionPath: path('VERSION_PATH'),
    containerName: text('CONTAINER_NAME'),
    versionVariable: text('VERSION_VARIABLE'),
    requireVersion: oneOf('REQUIRE_VERSION', ['true', 'false']) === 'true',
    budgetMs: integer('CHECK_BUDGET_MS', 1, 15 * 60 * 1000),
    requestTimeoutMs: integer('REQUEST_TIMEOUT_MS', 1, 60_000, 3_000),
    retryDelayMs: integer('RETRY_DELAY_MS', 0, 60_000, 5_000),
  };
  const deadlineMs = integer('CHECK_DEADLINE_MS', 1, 24 * 60 * 60 * 1000, 600_000);
  const liveTag = env.LIVE_IMAGE_TAG ?? '';
  const previousTag = env.PREVIOUS_IMAGE_TAG ?? '';
  if ((liveTag === '') !== (previousTag === '') || (liveTag !== '' && liveTag === previousTag)) {
    problems.push(
      `LIVE_IMAGE_TAG = ${JSON.stringify(liveTag)}, PREVIOUS_IMAGE_TAG = ${JSON.stringify(previousTag)}: set both, to two different tags, or neither`,
    );
  }
  const loadBalancerEniDescription = text('LOAD_BALANCER_ENI_DESCRIPTION');
  let listenerCa: string | undefined;
  const caFile = env.LISTENER_CA_FILE;
  if (caFile !== undefined && caFile !== '') {
    try {
      listenerCa = readFileSync(caFile, 'utf8');
    } catch (error) {
      problems.push(
        `LISTENER_CA_FILE = ${JSON.stringify(caFile)}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  if (problems.length > 0) throw new HookSettingsError(problems);
  return {
    checks: { ...checks, ...(liveTag === '' ? {} : { protectImage: { liveTag, previousTag } }) },
    deadlineMs,
    loadBalancerEniDescription,
    ...(listenerCa === undefined ? {} : { listenerCa }),
  };
}
