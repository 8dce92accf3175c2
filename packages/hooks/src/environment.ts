import type { HookLifecycleEvent } from './api-calls.js';
import type { HookEnvironment, OptionalHookEnvironment } from './settings.js';

/**
 * What a hook reads from its environment, as typed values. Whoever sets a
 * hook's environment (the CDK construct, the rehearsal, a test) writes it
 * from these with {@link hookEnvironment} or {@link hookEnvironmentPatch};
 * only this package spells the variables' names.
 */
export interface HookEnvironmentValues {
  /** The lifecycle event the hook answers; it decides which checks run. */
  readonly lifecycleEvent: HookLifecycleEvent;
  /** The protocol of the listener the hook checks. */
  readonly listenerProtocol: 'http' | 'https';
  /** The port of the listener the hook checks. */
  readonly listenerPort: number;
  /** Host header of every check, and the TLS server name on https. */
  readonly siteHost: string;
  /** The health route, starting with '/'. */
  readonly healthPath: string;
  /** The page route, starting with '/'. */
  readonly pagePath: string;
  /** The version route, starting with '/'. */
  readonly versionPath: string;
  /** The container whose environment names the released version. */
  readonly containerName: string;
  /** The container environment variable holding the released version. */
  readonly versionVariable: string;
  /** Fail when a task answers without a version. */
  readonly requireVersion: boolean;
  /** Milliseconds the checks may take; the Lambda timeout leaves room to report after it. */
  readonly checkBudgetMs: number;
  /** The description EC2 gives the load balancer's network interfaces: `ELB app/<name>/<id>`. */
  readonly loadBalancerEniDescription: string;
  /**
   * Milliseconds one HTTP request may take.
   * @default 3000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Milliseconds between two rounds of checks.
   * @default 5000
   */
  readonly retryDelayMs?: number;
  /**
   * ECS controller: milliseconds all invocations of one hook execution may
   * take (each answers IN_PROGRESS until then), from the first.
   * @default 600000
   */
  readonly checkDeadlineMs?: number;
  /**
   * A PEM file of the CAs trusted on https instead of Node's own.
   * @default Node's own CAs
   */
  readonly listenerCaFile?: string;
  /**
   * The tag moved onto the image production serves (AfterAllowTraffic);
   * set with previousImageTag.
   * @default no image is tagged
   */
  readonly liveImageTag?: string;
  /**
   * The tag moved onto the image production served before.
   * @default no image is tagged
   */
  readonly previousImageTag?: string;
}

type Kind = 'text' | 'integer' | 'boolean';

/** One variable a hook reads: its name, how its value is written, what it means. */
export interface HookVariable {
  readonly name: keyof HookEnvironment | keyof OptionalHookEnvironment;
  readonly kind: Kind;
  /** One line for the README's table. */
  readonly summary: string;
  /** What the hook assumes when the variable is unset; absent when it is required. */
  readonly default?: string;
}

/** Every variable a hook reads, by the value it carries. */
export const HOOK_VARIABLES = {
  lifecycleEvent: {
    name: 'HOOK_LIFECYCLE_EVENT',
    kind: 'text',
    summary: '`AfterAllowTestTraffic` or `AfterAllowTraffic`',
  },
  listenerProtocol: { name: 'LISTENER_PROTOCOL', kind: 'text', summary: '`http` or `https`' },
  listenerPort: { name: 'LISTENER_PORT', kind: 'integer', summary: 'the listener checked' },
  siteHost: { name: 'SITE_HOST', kind: 'text', summary: 'Host header and TLS server name' },
  healthPath: { name: 'HEALTH_PATH', kind: 'text', summary: 'the health route' },
  pagePath: { name: 'PAGE_PATH', kind: 'text', summary: 'the page route' },
  versionPath: { name: 'VERSION_PATH', kind: 'text', summary: 'the version route' },
  containerName: {
    name: 'CONTAINER_NAME',
    kind: 'text',
    summary: 'the container naming the version',
  },
  versionVariable: {
    name: 'VERSION_VARIABLE',
    kind: 'text',
    summary: 'its variable holding the version',
  },
  requireVersion: {
    name: 'REQUIRE_VERSION',
    kind: 'boolean',
    summary: 'fail on a task without a version',
  },
  checkBudgetMs: { name: 'CHECK_BUDGET_MS', kind: 'integer', summary: 'time the checks may take' },
  loadBalancerEniDescription: {
    name: 'LOAD_BALANCER_ENI_DESCRIPTION',
    kind: 'text',
    summary: 'finds the load balancer’s addresses',
  },
  requestTimeoutMs: {
    name: 'REQUEST_TIMEOUT_MS',
    kind: 'integer',
    summary: 'time one request may take',
    default: '3000',
  },
  retryDelayMs: {
    name: 'RETRY_DELAY_MS',
    kind: 'integer',
    summary: 'pause between rounds',
    default: '5000',
  },
  checkDeadlineMs: {
    name: 'CHECK_DEADLINE_MS',
    kind: 'integer',
    summary: 'time all attempts may take (ECS)',
    default: '600000',
  },
  listenerCaFile: {
    name: 'LISTENER_CA_FILE',
    kind: 'text',
    summary: 'PEM file of the CAs trusted',
    default: 'Node’s CAs',
  },
  liveImageTag: {
    name: 'LIVE_IMAGE_TAG',
    kind: 'text',
    summary: 'tag for the image now served',
    default: 'no tagging',
  },
  previousImageTag: {
    name: 'PREVIOUS_IMAGE_TAG',
    kind: 'text',
    summary: 'tag for the image served before',
    default: 'no tagging',
  },
} as const satisfies { readonly [K in keyof HookEnvironmentValues]-?: HookVariable };

// Every variable the hook reads has a value here: a name added to
// settings.ts and not to HOOK_VARIABLES fails to compile.
type Unlisted = Exclude<
  keyof HookEnvironment | keyof OptionalHookEnvironment,
  (typeof HOOK_VARIABLES)[keyof typeof HOOK_VARIABLES]['name']
>;
const everyVariableListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyVariableListed;

type Field = keyof HookEnvironmentValues;
const FIELDS = Object.keys(HOOK_VARIABLES) as Field[];

/** The environment that gives a hook these values. */
export function hookEnvironment(values: HookEnvironmentValues): Record<string, string> {
  return hookEnvironmentPatch(values);
}

/**
 * The variables that change these values, and only these: spread over a
 * hook's environment to override part of it.
 */
export function hookEnvironmentPatch(
  values: Partial<HookEnvironmentValues>,
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = values[field];
    if (value !== undefined) environment[HOOK_VARIABLES[field].name] = String(value);
  }
  return environment;
}

/**
 * The values an environment gives a hook, as far as they can be read
 * without an account: variables that are unset, unresolved (a
 * CloudFormation token) or not of their kind are left out. The hook itself
 * reads with readHookSettings, which fails on those instead.
 */
export function readHookEnvironment(
  environment: Readonly<Record<string, unknown>>,
): Partial<HookEnvironmentValues> {
  const values: Record<string, string | number | boolean> = {};
  for (const field of FIELDS) {
    const { name, kind } = HOOK_VARIABLES[field];
    const raw = environment[name];
    if (typeof raw !== 'string' || raw === '') continue;
    const value = decode(kind, raw);
    if (value !== undefined) values[field] = value;
  }
  const { lifecycleEvent, listenerProtocol } = values;
  if (lifecycleEvent !== 'AfterAllowTestTraffic' && lifecycleEvent !== 'AfterAllowTraffic') {
    delete values.lifecycleEvent;
  }
  if (listenerProtocol !== 'http' && listenerProtocol !== 'https') delete values.listenerProtocol;
  return values;
}

function decode(kind: Kind, raw: string): string | number | boolean | undefined {
  switch (kind) {
    case 'text':
      return raw;
    case 'integer': {
      const value = Number(raw);
      return Number.isInteger(value) ? value : undefined;
    }
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : undefined;
  }
}
