import { randomUUID } from 'node:crypto';
import { access, cp, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ContinueServiceDeploymentCommand, ECSClient } from '@aws-sdk/client-ecs';
import { TASK_DEFINITION_PLACEHOLDER } from '@webapp-color/deploy-specs';
import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import {
  hookEnvironmentPatch,
  readHookEnvironment,
  type HookEnvironmentValues,
} from '@webapp-color/hooks';
import {
  startAwsStandIn,
  startRollback,
  taskDefinitionArn,
  type AwsCall,
  type AwsStandIn,
  type AwsWorld,
} from '@webapp-color/aws-local';
import type { TaskSetColor } from './haproxy.js';
import type { HookEventName, HookOutcome } from './lifecycle.js';
import type { NativeDeploymentIdentity } from './native.js';
import {
  NATIVE_HOOK_STATUSES,
  type NativeHookInvocation,
  type NativeHookResult,
  type NativeHookStatus,
} from './native-stages.js';
import { exec } from './private/exec.js';
import type { LocalRelease } from './render.js';
import { LOCAL_ACCOUNT } from './render.js';
import type { InfraSettings } from './settings.js';
import type { SynthesizedApp, SynthesizedFunction } from './synthesized.js';

export interface HookRunner {
  run(event: HookEventName, functionName: string): Promise<HookOutcome>;
  /** ECS controller: invokes a lifecycle hook once with ECS's payload; what it returned. */
  runNative(invocation: NativeHookInvocation): Promise<NativeHookResult>;
  /** The ARNs of the service, its deployment and revisions in the stand-in's world (ECS controller). */
  readonly nativeIdentity: NativeDeploymentIdentity;
  /**
   * ECS controller: the service deployment reaches its PAUSE hook, which
   * DescribeServiceDeployments then shows in AWAITING_ACTION (lifecycleHookDetails).
   */
  paused(pause: {
    stage: string;
    timeoutSeconds: number;
    onTimeout: 'continue' | 'rollback';
  }): void;
  /**
   * The PAUSE hook answered: through ContinueServiceDeployment (CONTINUE or
   * ROLLBACK, the real SDK client against the stand-in), or, at its
   * timeout, by ECS itself (the hook TIMED_OUT).
   */
  pauseAnswered(answer: { decision: 'continue' | 'rollback'; timedOut: boolean }): Promise<void>;
  /** Every AWS call the hooks made, in order. */
  calls(): readonly AwsCall[];
  close(): Promise<void>;
}

export interface LocalListener {
  readonly port: number;
  readonly certificateFile?: string;
}

export interface HookRunnerOptions {
  readonly app: SynthesizedApp;
  /** Which controller the world's service is on. @default 'codedeploy' */
  readonly controller?: 'codedeploy' | 'ecs';
  readonly definition: DeliveryDefinition;
  readonly infra: InfraSettings;
  readonly releases: Readonly<Record<TaskSetColor, LocalRelease>>;
  /** The local listeners, with the certificate file a client trusts when one terminates TLS. */
  readonly listeners: {
    readonly production: LocalListener;
    readonly test: LocalListener;
  };
  /** The local image id each part's release runs (its manifest in the stand-in's repository). */
  readonly imageIds: Readonly<Record<TaskSetColor, string>>;
  /** The time scale of the rehearsal; the hook's check budget and retry pause follow it. */
  readonly scale: number;
  /** Where the function bundles are unpacked (with the AWS SDK the Lambda runtime provides). */
  readonly workDirectory: string;
  /** node_modules holding @aws-sdk/* (the Node.js Lambda runtimes ship the SDK). */
  readonly sdkModules: string;
}

/** The description EC2 gives the local load balancer's one network interface. */
export const LOCAL_LOAD_BALANCER_ENI = 'ELB app/rehearsal/0000000000000000';

/**
 * The values of a hook's synthesized environment that only an account
 * resolves, or that point at the account's listeners: the rehearsal gives
 * them local values (written with the hooks package's
 * hookEnvironmentPatch). Every other variable is the one CDK synthesized.
 */
export function localHookOverrides(
  fn: SynthesizedFunction,
  options: Pick<HookRunnerOptions, 'infra' | 'listeners' | 'scale'>,
): Partial<HookEnvironmentValues> {
  const synthesized = readHookEnvironment(fn.environment);
  const listener =
    synthesized.listenerPort === options.infra.testListenerPort
      ? options.listeners.test
      : options.listeners.production;
  const overrides: { -readonly [K in keyof HookEnvironmentValues]?: HookEnvironmentValues[K] } = {
    listenerPort: listener.port,
    loadBalancerEniDescription: LOCAL_LOAD_BALANCER_ENI,
  };
  if (listener.certificateFile) {
    // The local listener's self-signed certificate, for the site's name.
    overrides.listenerCaFile = listener.certificateFile;
  } else if (synthesized.listenerProtocol === 'https') {
    overrides.listenerProtocol = 'http';
  }
  if (options.scale !== 1) {
    const budget = synthesized.checkBudgetMs;
    if (budget !== undefined) {
      overrides.checkBudgetMs = Math.max(1_000, Math.round(budget * options.scale));
    }
    // The hook's default pause, 5 s, scaled.
    overrides.retryDelayMs = Math.max(100, Math.round(5_000 * options.scale));
    // ECS controller: the time all invocations of one hook execution may take.
    const deadline = synthesized.checkDeadlineMs ?? 600_000;
    overrides.checkDeadlineMs = Math.max(
      overrides.checkBudgetMs ?? 1_000,
      Math.round(deadline * options.scale),
    );
  }
  return overrides;
}

/** `d-` and nine characters, as CodeDeploy names deployments. */
function newDeploymentId(): string {
  return `d-${randomUUID().replace(/-/g, '').slice(0, 9).toUpperCase()}`;
}

/** The world the hooks' AWS calls are answered from: this deployment, its task definitions, the load balancer. */
export function rehearsalWorld(
  options: Pick<
    HookRunnerOptions,
    'definition' | 'infra' | 'releases' | 'imageIds' | 'controller'
  > & {
    readonly mutableImageTags?: readonly string[];
  },
): AwsWorld {
  const world: AwsWorld = {
    region: options.infra.region,
    accountId: LOCAL_ACCOUNT,
    deployments: [],
    services: [],
    taskDefinitions: [],
    networkInterfaces: [
      {
        networkInterfaceId: 'eni-0000000000rehearsal',
        description: LOCAL_LOAD_BALANCER_ENI,
        privateIpAddress: '127.0.0.1',
      },
    ],
  };
  const arns = {} as Record<TaskSetColor, string>;
  (['blue', 'green'] as const).forEach((set, index) => {
    const taskDefinition = options.releases[set].taskDefinition;
    world.taskDefinitions.push({
      family: taskDefinition.family,
      revision: index + 1,
      containerDefinitions: taskDefinition.containerDefinitions.map((container) => ({
        ...container,
        image: options.releases[set].imageUri,
      })),
      cpu: taskDefinition.cpu,
      memory: taskDefinition.memory,
      executionRoleArn: taskDefinition.executionRoleArn,
      taskRoleArn: taskDefinition.taskRoleArn,
    });
    arns[set] = taskDefinitionArn(world, taskDefinition.family, index + 1);
  });
  // The image repository: every release image by its local id (one manifest
  // per image, all the tags it carries), as the release build pushed them.
  const repositories = new Map<string, Map<string, Set<string>>>();
  for (const set of ['blue', 'green'] as const) {
    const uri = options.releases[set].imageUri;
    const at = uri.lastIndexOf(':');
    const [repositoryUri, tag] = [uri.slice(0, at), uri.slice(at + 1)];
    const repositoryName = repositoryUri.slice(repositoryUri.indexOf('/') + 1);
    const images = repositories.get(repositoryName) ?? new Map<string, Set<string>>();
    repositories.set(repositoryName, images);
    const tags = images.get(options.imageIds[set]) ?? new Set<string>();
    images.set(options.imageIds[set], tags.add(tag));
  }
  world.repositories = [...repositories].map(([repositoryName, images]) => ({
    repositoryName,
    mutableTags: [...(options.mutableImageTags ?? [])],
    images: [...images].map(([id, tags]) => ({
      manifest: JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: `sha256:${id.replace(/^sha256:/, '')}`,
        },
      }),
      tags: [...tags],
    })),
  }));
  const app = options.definition.app.name;
  const deploymentId = newDeploymentId();
  const previousDeploymentId = newDeploymentId();
  if (options.controller === 'ecs') {
    world.services.push(nativeService(world, app, arns, options.infra.taskCount));
    return world;
  }
  world.services.push({
    clusterName: app,
    serviceName: app,
    // externalId: the CodeDeploy deployment that created the set (green: this one).
    taskSets: (['blue', 'green'] as const).map((set) => ({
      id: `ecs-svc/${set}`,
      externalId: set === 'green' ? deploymentId : previousDeploymentId,
      taskSetArn: `arn:aws:ecs:${options.infra.region}:${LOCAL_ACCOUNT}:task-set/${app}/${app}/ecs-svc/${set}`,
      status: set === 'blue' ? 'PRIMARY' : 'ACTIVE',
      taskDefinition: arns[set],
      desiredCount: options.infra.taskCount,
    })),
  });
  // CodePipeline's CodeDeployToECS registers the task definition and puts its ARN in the AppSpec.
  const appSpecFile = options.releases.green.files.find((file) => file.name === 'appspec.yaml');
  world.deployments.push({
    deploymentId,
    applicationName: app,
    deploymentGroupName: `${app}-rehearsal`,
    appSpecContent: (appSpecFile?.content ?? '').replaceAll(
      TASK_DEFINITION_PLACEHOLDER,
      arns.green,
    ),
    lifecycleEventHookExecutionIds: [],
  });
  return world;
}

/** The hookId of the service deployment's PAUSE hook in the stand-in's world. */
const PAUSE_HOOK_ID = 'rehearsal-pause-hook';

/** The stand-in's names for the native service: its ARN, its deployment's, its revisions'. */
export function nativeIdentity(world: AwsWorld, app: string): NativeDeploymentIdentity {
  const base = `arn:aws:ecs:${world.region}:${world.accountId}`;
  return {
    serviceArn: `${base}:service/${app}/${app}`,
    serviceDeploymentArn: `${base}:service-deployment/${app}/${app}/rehearsal0000000000001`,
    revisionArns: {
      blue: `${base}:service-revision/${app}/${app}/1000000000000000001`,
      green: `${base}:service-revision/${app}/${app}/1000000000000000002`,
    },
  };
}

/**
 * The service on the ECS controller with one service deployment under way,
 * blue's revision to green's, in DescribeServiceDeployments' shape: the
 * hooks read its status (ROLLBACK_IN_PROGRESS while it rolls back) and stage.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeployment.html
 */
function nativeService(
  world: AwsWorld,
  app: string,
  taskDefinitions: Readonly<Record<TaskSetColor, string>>,
  taskCount: number,
): AwsWorld['services'][number] {
  const identity = nativeIdentity(world, app);
  const now = new Date();
  return {
    clusterName: app,
    serviceName: app,
    taskSets: [],
    desiredCount: taskCount,
    deploymentController: 'ECS',
    deployments: [
      {
        id: 'ecs-svc/green',
        status: 'PRIMARY',
        taskDefinition: taskDefinitions.green,
        desiredCount: taskCount,
        rolloutState: 'IN_PROGRESS',
        createdAt: now,
      },
      {
        id: 'ecs-svc/blue',
        status: 'ACTIVE',
        taskDefinition: taskDefinitions.blue,
        desiredCount: taskCount,
        rolloutState: 'COMPLETED',
        createdAt: now,
      },
    ],
    serviceDeployments: [
      {
        serviceDeploymentArn: identity.serviceDeploymentArn,
        createdAt: now,
        startedAt: now,
        status: 'IN_PROGRESS',
        lifecycleStage: 'RECONCILE_SERVICE',
        sourceServiceRevisions: [
          {
            arn: identity.revisionArns.blue,
            requestedTaskCount: taskCount,
            runningTaskCount: taskCount,
            pendingTaskCount: 0,
          },
        ],
        targetServiceRevision: {
          arn: identity.revisionArns.green,
          requestedTaskCount: taskCount,
          runningTaskCount: 0,
          pendingTaskCount: 0,
        },
      },
    ],
    // Each revision runs its part's task definition (DescribeServiceRevisions).
    serviceRevisions: (['blue', 'green'] as const).map((set) => ({
      serviceRevisionArn: identity.revisionArns[set],
      taskDefinition: taskDefinitions[set],
    })),
  };
}

/** The handler module as the Node.js Lambda runtime finds it: `.js`, `.mjs` or `.cjs`. */
async function handlerFile(directory: string, module: string): Promise<string> {
  for (const extension of ['.js', '.mjs', '.cjs']) {
    const candidate = join(directory, `${module}${extension}`);
    if (
      await access(candidate).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return join(directory, `${module}.js`);
}

/** Runs a Lambda bundle's handler once, in its own Node process, as the Lambda runtime would. */
const INVOKE = `
const [file, exportName, eventJson, timeoutMs] = process.argv.slice(1);
const started = Date.now();
const context = { getRemainingTimeInMillis: () => Number(timeoutMs) - (Date.now() - started) };
import(require('node:url').pathToFileURL(file).href)
  .then((module) => (module[exportName] ?? module.default?.[exportName])(JSON.parse(eventJson), context))
  .then((result) => console.log('@@result ' + JSON.stringify(result ?? null)))
  .catch((error) => { console.error(error && error.stack ? error.stack : String(error)); process.exitCode = 1; });
`;

/**
 * Starts the AWS stand-in and returns a runner that invokes the synthesized
 * hook bundles against it, the way CodeDeploy invokes them: one invocation
 * per lifecycle event with a fresh hook execution id, then the status the
 * function reported (none reported counts as Failed: CodeDeploy would wait
 * an hour, then fail).
 */
export async function startHookRunner(options: HookRunnerOptions): Promise<HookRunner> {
  const world = rehearsalWorld({ ...options, mutableImageTags: options.app.mutableImageTags });
  const aws: AwsStandIn = await startAwsStandIn(world);
  // CodeDeploy's deployment; under the ECS controller, none (its hooks are not invoked).
  const deployment = world.deployments[0] ?? {
    deploymentId: '',
    lifecycleEventHookExecutionIds: [] as string[],
  };
  await mkdir(options.workDirectory, { recursive: true });
  await symlink(options.sdkModules, join(options.workDirectory, 'node_modules')).catch(
    () => undefined,
  );

  /** One invocation of a bundle as the Lambda runtime runs it: what it printed and returned. */
  async function invokeBundle(
    fn: SynthesizedFunction,
    event: unknown,
  ): Promise<{ code: number | null; returned: unknown; last: string } | { unresolved: string }> {
    const environment: Record<string, string> = {};
    for (const [name, value] of Object.entries(fn.environment)) {
      if (typeof value === 'string') environment[name] = value;
    }
    Object.assign(environment, hookEnvironmentPatch(localHookOverrides(fn, options)));
    const unresolved = Object.keys(fn.environment).filter(
      (name) => environment[name] === undefined,
    );
    if (unresolved.length > 0) {
      return {
        unresolved: `${fn.name}: no local value for ${unresolved.join(', ')} (resolved only in an account)`,
      };
    }
    const codeDirectory = join(options.workDirectory, fn.logicalId);
    await cp(fn.codeDirectory, codeDirectory, { recursive: true });
    const [file, exportName] = fn.handler.split('.');
    const result = await exec(
      process.execPath,
      [
        '-e',
        INVOKE,
        await handlerFile(codeDirectory, file ?? 'index'),
        exportName ?? 'handler',
        JSON.stringify(event),
        String(fn.timeoutSeconds * 1000),
      ],
      {
        cwd: codeDirectory,
        timeoutMs: fn.timeoutSeconds * 1000,
        env: {
          PATH: process.env.PATH ?? '',
          ...environment,
          AWS_LAMBDA_FUNCTION_NAME: fn.name,
          AWS_REGION: options.infra.region,
          AWS_DEFAULT_REGION: options.infra.region,
          AWS_ENDPOINT_URL: aws.endpoint,
          AWS_ACCESS_KEY_ID: 'AKIDLOCALREHEARSAL',
          AWS_SECRET_ACCESS_KEY: 'local-rehearsal-secret',
          // Loopback only: never through the host's proxy.
          NO_PROXY: '*',
        },
      },
    );
    // What the function returned (its check messages), else its last log line.
    const lines = `${result.stdout}\n${result.stderr}`.split('\n').map((line) => line.trim());
    const printed = lines.find((line) => line.startsWith('@@result '));
    let returned: unknown;
    let messages: string[] = [];
    try {
      returned = JSON.parse(printed?.slice('@@result '.length) ?? 'null') as unknown;
      const said = (returned as { messages?: unknown } | null)?.messages;
      if (Array.isArray(said)) messages = said.map(String);
    } catch {
      // A handler that returned something else: the log lines say more.
    }
    // What the handler logged (console.log: stdout) before what the process
    // wrote on stderr, where Node's warnings go (the SDK's notice of Node
    // versions among them: several lines that say nothing of the hook).
    const logged = (text: string) =>
      text
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('@@result'));
    const [stdout, stderr] = [logged(result.stdout), logged(result.stderr)];
    const failing = (candidates: string[]) =>
      candidates.filter((line) => /fail|error/i.test(line)).pop();
    const last =
      messages.filter((m) => /fail/i.test(m)).pop() ??
      messages.at(-1) ??
      failing(stdout) ??
      failing(stderr) ??
      stdout.at(-1) ??
      stderr.at(-1) ??
      '';
    return { code: result.code, returned: printed ? returned : undefined, last };
  }

  async function invoke(fn: SynthesizedFunction, event: HookEventName): Promise<HookOutcome> {
    const executionId = randomUUID();
    deployment.lifecycleEventHookExecutionIds.push(executionId);
    const ran = await invokeBundle(fn, {
      DeploymentId: deployment.deploymentId,
      LifecycleEventHookExecutionId: executionId,
    });
    if ('unresolved' in ran) return { status: 'Failed', detail: ran.unresolved };
    const report = aws.hookReports.find((r) => r.lifecycleEventHookExecutionId === executionId);
    if (!report) {
      return {
        status: 'Failed',
        detail:
          `${fn.name} (${event}) reported nothing (exit ${ran.code}); CodeDeploy would wait an hour, then fail. ${ran.last}`.trim(),
      };
    }
    return {
      status: report.status === 'Succeeded' ? 'Succeeded' : 'Failed',
      detail: `reported ${report.status}${ran.last ? `: ${ran.last.slice(0, 300)}` : ''}`,
    };
  }

  /**
   * ECS's invocation: the service deployment in the state the release says
   * (its status and stage in the world the hook reads), the payload as the
   * event, and the function's return value as the answer; an error, a
   * timeout or no valid hookStatus is no hookStatus (ECS rolls back).
   */
  const identity = nativeIdentity(world, options.definition.app.name);
  async function invokeNative(invocation: NativeHookInvocation): Promise<NativeHookResult> {
    const fn = options.app.functions.find(
      (candidate) => candidate.name === invocation.functionName,
    );
    if (!fn) {
      return {
        detail: `no function named ${invocation.functionName} in the synthesized app (${options.app.cdkOut})`,
      };
    }
    const serviceDeployment = world.services[0]?.serviceDeployments?.[0];
    if (serviceDeployment) {
      serviceDeployment.lifecycleStage = invocation.payload.lifecycleStage;
      if (invocation.deploymentStatus === 'ROLLBACK_IN_PROGRESS') {
        // A rollback deploys the revision production ran before: blue's.
        if (serviceDeployment.status !== 'ROLLBACK_IN_PROGRESS') {
          startRollback(world, identity.serviceDeploymentArn, {
            reason: 'rolled back by the rehearsal',
            serviceRevisionArn: identity.revisionArns.blue,
          });
        }
      } else {
        serviceDeployment.status = invocation.deploymentStatus;
      }
    }
    const ran = await invokeBundle(fn, invocation.payload);
    if ('unresolved' in ran) return { detail: ran.unresolved };
    const returned = (ran.returned ?? {}) as {
      hookStatus?: unknown;
      callBackDelay?: unknown;
      hookDetails?: unknown;
    };
    const hookStatus = (NATIVE_HOOK_STATUSES as readonly unknown[]).includes(returned.hookStatus)
      ? (returned.hookStatus as NativeHookStatus)
      : undefined;
    return {
      ...(hookStatus ? { hookStatus } : {}),
      ...(typeof returned.callBackDelay === 'number' && returned.callBackDelay >= 0
        ? { callBackDelay: returned.callBackDelay }
        : {}),
      ...(returned.hookDetails && typeof returned.hookDetails === 'object'
        ? { hookDetails: returned.hookDetails as Record<string, unknown> }
        : {}),
      detail: hookStatus
        ? ran.last
        : `returned ${JSON.stringify(ran.returned ?? null).slice(0, 200)} (exit ${ran.code}), no valid hookStatus${ran.last ? `: ${ran.last}` : ''}`,
    };
  }

  return {
    async run(event, functionName) {
      const fn = options.app.functions.find((candidate) => candidate.name === functionName);
      if (!fn) {
        return {
          status: 'Failed',
          detail: `no function named ${functionName} in the synthesized app (${options.app.cdkOut})`,
        };
      }
      return invoke(fn, event);
    },
    runNative: invokeNative,
    nativeIdentity: identity,
    paused(pause) {
      const serviceDeployment = world.services[0]?.serviceDeployments?.[0];
      if (!serviceDeployment) return;
      serviceDeployment.lifecycleStage = pause.stage as typeof serviceDeployment.lifecycleStage;
      // DeploymentLifecycleHookDetail: a PAUSE hook has no targetArn.
      // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHookDetail.html
      serviceDeployment.lifecycleHookDetails = [
        {
          hookId: PAUSE_HOOK_ID,
          targetType: 'PAUSE',
          status: 'AWAITING_ACTION',
          expiresAt: new Date(Date.now() + pause.timeoutSeconds * 1000),
          timeoutAction: pause.onTimeout === 'continue' ? 'CONTINUE' : 'ROLLBACK',
        },
      ];
    },
    async pauseAnswered(answer) {
      const hook = world.services[0]?.serviceDeployments?.[0]?.lifecycleHookDetails?.find(
        (candidate) => candidate.hookId === PAUSE_HOOK_ID,
      );
      if (!hook || hook.status !== 'AWAITING_ACTION') return;
      if (answer.timedOut) {
        hook.status = 'TIMED_OUT';
        return;
      }
      // What `aws ecs continue-service-deployment` sends.
      const ecs = new ECSClient({
        endpoint: aws.endpoint,
        region: options.infra.region,
        credentials: {
          accessKeyId: 'AKIDLOCALREHEARSAL',
          secretAccessKey: 'local-rehearsal-secret',
        },
        maxAttempts: 1,
      });
      try {
        await ecs.send(
          new ContinueServiceDeploymentCommand({
            serviceDeploymentArn: identity.serviceDeploymentArn,
            hookId: PAUSE_HOOK_ID,
            action: answer.decision === 'continue' ? 'CONTINUE' : 'ROLLBACK',
          }),
        );
      } finally {
        ecs.destroy();
      }
    },
    calls: () => aws.calls,
    close: () => aws.close(),
  };
}
