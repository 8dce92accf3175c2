import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUILDSPEC_PATH } from '@webapp-color/deploy-specs';
import { NATIVE_HOOK_STAGES, type NativeHook, type NativeHookStage } from './native-stages.js';

/** A Lambda function of the synthesized CDK app: its bundled code and the environment CDK gave it. */
export interface SynthesizedFunction {
  readonly logicalId: string;
  /** The FunctionName property, or (when CloudFormation would generate one) the logical id. */
  readonly name: string;
  /** `index.handler`. */
  readonly handler: string;
  readonly timeoutSeconds: number;
  /** The bundled asset directory in cdk.out. */
  readonly codeDirectory: string;
  /** Environment variables as synthesized: strings, or CloudFormation tokens. */
  readonly environment: Readonly<Record<string, unknown>>;
}

/** A load-balancer listener that forwards to a target group. */
export interface SynthesizedListener {
  readonly port: number;
  readonly protocol: string;
}

/**
 * The ALB's connection idle timeout when the template sets none.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout
 */
export const ALB_DEFAULT_IDLE_TIMEOUT_SECONDS = 60;

/**
 * An ECS service of the app: its deployment controller and, under ECS's,
 * its lifecycle hooks (DeploymentConfiguration.LifecycleHooks), each with
 * the function its HookTargetArn names.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-service-deploymentlifecyclehook.html
 */
export interface SynthesizedService {
  readonly logicalId: string;
  /** DeploymentController.Type; ECS's default where the template sets none. */
  readonly controller: string;
  readonly lifecycleHooks: readonly NativeHook[];
  /**
   * The PAUSE hooks (TargetType PAUSE: no function; ECS waits for
   * ContinueServiceDeployment or the timeout's action).
   * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html
   */
  readonly pauses: readonly SynthesizedPause[];
}

/** A PAUSE lifecycle hook as synthesized. */
export interface SynthesizedPause {
  readonly stages: readonly NativeHookStage[];
  /** TimeoutConfiguration.TimeoutInMinutes. */
  readonly timeoutMinutes: number;
  /** TimeoutConfiguration.Action. */
  readonly onTimeout: 'CONTINUE' | 'ROLLBACK';
}

export interface SynthesizedApp {
  readonly cdkOut: string;
  /** The stacks read (artifact ids). */
  readonly stacks: readonly string[];
  readonly services: readonly SynthesizedService[];
  /** Tags the image repository lets move (its immutability exclusion filters). */
  readonly mutableImageTags: readonly string[];
  /** The load balancer's `idle_timeout.timeout_seconds`, or the ALB default. */
  readonly idleTimeoutSeconds: number;
  /** The forwarding listeners (production and test); redirects left out. */
  readonly listeners: readonly SynthesizedListener[];
  readonly functions: readonly SynthesizedFunction[];
  /** Environment variables of every CodeBuild project, by name (values as synthesized). */
  readonly buildEnvironment: Readonly<Record<string, unknown>>;
}

interface Resource {
  readonly Type?: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

/** The CDK app is not synthesized (or not like this): the message says what to run. */
export class SynthesizedAppError extends Error {
  constructor(message: string) {
    super(`${message}; run \`pnpm synth\` (the \`pnpm rehearse\` script does)`);
    this.name = 'SynthesizedAppError';
  }
}

/**
 * Reads the synthesized CDK app (infra/cdk.out): the Lambda functions with
 * their bundles and environments, and the release build's environment, so
 * the rehearsal runs the hooks exactly as CDK packaged and configured them.
 */
export async function readSynthesizedApp(
  cdkOut: string,
  /**
   * The stacks of the environment rehearsed (cdk.out holds every
   * environment's: `pnpm synth` synthesizes them all). @default every stack
   */
  stacks?: readonly string[],
): Promise<SynthesizedApp> {
  const manifestText = await readFile(join(cdkOut, 'manifest.json'), 'utf8').catch(() => {
    throw new SynthesizedAppError(`no ${join(cdkOut, 'manifest.json')}`);
  });
  const manifest = JSON.parse(manifestText) as {
    artifacts?: Record<string, { type?: string; properties?: { templateFile?: string } }>;
  };
  const functions: SynthesizedFunction[] = [];
  const buildEnvironment: Record<string, unknown> = {};
  const listeners: SynthesizedListener[] = [];
  let idleTimeoutSeconds = ALB_DEFAULT_IDLE_TIMEOUT_SECONDS;
  const mutableImageTags: string[] = [];
  const services: { logicalId: string; properties: Record<string, unknown> }[] = [];
  const artifacts = Object.entries(manifest.artifacts ?? {}).filter(
    ([id, artifact]) =>
      artifact.type === 'aws:cloudformation:stack' && (stacks === undefined || stacks.includes(id)),
  );
  const missing = (stacks ?? []).filter((stack) => !artifacts.some(([id]) => id === stack));
  if (missing.length > 0) {
    throw new SynthesizedAppError(`no stack ${missing.join(', ')} in ${cdkOut}`);
  }
  for (const [, artifact] of artifacts) {
    if (!artifact.properties?.templateFile) continue;
    const template = JSON.parse(
      await readFile(join(cdkOut, artifact.properties.templateFile), 'utf8'),
    ) as { Resources?: Record<string, Resource> };
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const properties = resource.Properties ?? {};
      if (resource.Type === 'AWS::Lambda::Function') {
        const asset = resource.Metadata?.['aws:asset:path'];
        if (typeof asset !== 'string') continue;
        const environment = (properties.Environment as { Variables?: Record<string, unknown> })
          ?.Variables;
        functions.push({
          logicalId,
          name: typeof properties.FunctionName === 'string' ? properties.FunctionName : logicalId,
          handler: typeof properties.Handler === 'string' ? properties.Handler : 'index.handler',
          timeoutSeconds: typeof properties.Timeout === 'number' ? properties.Timeout : 3,
          codeDirectory: join(cdkOut, asset),
          environment: environment ?? {},
        });
      }
      if (resource.Type === 'AWS::ECS::Service') services.push({ logicalId, properties });
      if (resource.Type === 'AWS::ECR::Repository') {
        const filters =
          (properties.ImageTagMutabilityExclusionFilters as
            { ImageTagMutabilityExclusionFilterValue?: unknown }[] | undefined) ?? [];
        for (const filter of filters) {
          const value = filter.ImageTagMutabilityExclusionFilterValue;
          if (typeof value === 'string') mutableImageTags.push(value);
        }
      }
      if (resource.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer') {
        const attributes =
          (properties.LoadBalancerAttributes as { Key?: string; Value?: unknown }[]) ?? [];
        const idle = attributes.find(
          (attribute) => attribute.Key === 'idle_timeout.timeout_seconds',
        );
        if (typeof idle?.Value === 'string' && /^\d+$/.test(idle.Value))
          idleTimeoutSeconds = Number(idle.Value);
      }
      if (resource.Type === 'AWS::ElasticLoadBalancingV2::Listener') {
        const actions = (properties.DefaultActions as { Type?: string }[] | undefined) ?? [];
        if (
          typeof properties.Port === 'number' &&
          typeof properties.Protocol === 'string' &&
          actions.some((action) => action.Type === 'forward')
        ) {
          listeners.push({ port: properties.Port, protocol: properties.Protocol });
        }
      }
      // The release build's project: the one that reads the committed buildspec
      // (an ecs environment's Deploy stage has a project of its own).
      if (
        resource.Type === 'AWS::CodeBuild::Project' &&
        (properties.Source as { BuildSpec?: unknown } | undefined)?.BuildSpec === BUILDSPEC_PATH
      ) {
        const variables = (
          properties.Environment as { EnvironmentVariables?: { Name?: string; Value?: unknown }[] }
        )?.EnvironmentVariables;
        for (const variable of variables ?? []) {
          if (variable.Name) buildEnvironment[variable.Name] = variable.Value;
        }
      }
    }
  }
  return {
    cdkOut,
    stacks: artifacts.map(([id]) => id),
    services: services.map((service) => synthesizedService(service, functions)),
    functions,
    buildEnvironment,
    listeners,
    idleTimeoutSeconds,
    mutableImageTags,
  };
}

/**
 * A synthesized value that is known before deployment: a string, or a
 * `Ref` to one of the app's functions (its name). Anything else (an ARN,
 * an import) only exists in an account: undefined.
 */
export function literalValue(app: SynthesizedApp, value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'Ref' in value) {
    const target = app.functions.find((fn) => fn.logicalId === value.Ref);
    return target?.name;
  }
  return undefined;
}

/** A service's controller and lifecycle hooks, their targets resolved to the app's functions. */
function synthesizedService(
  service: { logicalId: string; properties: Record<string, unknown> },
  functions: readonly SynthesizedFunction[],
): SynthesizedService {
  const type = (service.properties.DeploymentController as { Type?: unknown } | undefined)?.Type;
  const controller = typeof type === 'string' ? type : 'ECS';
  const configuration = service.properties.DeploymentConfiguration as
    { LifecycleHooks?: Record<string, unknown>[] } | undefined;
  const pauses: SynthesizedPause[] = [];
  const lifecycleHooks = (configuration?.LifecycleHooks ?? []).flatMap((hook, index) => {
    const where = `${service.logicalId} DeploymentConfiguration.LifecycleHooks[${index}]`;
    const stages = Array.isArray(hook.LifecycleStages) ? hook.LifecycleStages : [];
    const unknown = stages.filter(
      (stage) => !(NATIVE_HOOK_STAGES as readonly unknown[]).includes(stage),
    );
    if (stages.length === 0 || unknown.length > 0) {
      throw new SynthesizedAppError(
        `${where}.LifecycleStages ${JSON.stringify(hook.LifecycleStages)}: expected one or more of ${NATIVE_HOOK_STAGES.join(', ')}`,
      );
    }
    if (hook.TargetType === 'PAUSE') {
      const timeout = hook.TimeoutConfiguration as
        { TimeoutInMinutes?: unknown; Action?: unknown } | undefined;
      const minutes = timeout?.TimeoutInMinutes;
      const action = timeout?.Action;
      if (typeof minutes !== 'number' || (action !== 'CONTINUE' && action !== 'ROLLBACK')) {
        throw new SynthesizedAppError(
          `${where}.TimeoutConfiguration ${JSON.stringify(hook.TimeoutConfiguration)}: expected TimeoutInMinutes (a number) and Action CONTINUE or ROLLBACK`,
        );
      }
      pauses.push({
        stages: stages as NativeHookStage[],
        timeoutMinutes: minutes,
        onTimeout: action,
      });
      return [];
    }
    const target = hook.HookTargetArn as { 'Fn::GetAtt'?: unknown } | undefined;
    const getAtt = target?.['Fn::GetAtt'];
    const fn = Array.isArray(getAtt)
      ? functions.find((candidate) => candidate.logicalId === getAtt[0])
      : undefined;
    if (!fn) {
      throw new SynthesizedAppError(
        `${where}.HookTargetArn ${JSON.stringify(hook.HookTargetArn)}: expected Fn::GetAtt [<a bundled function of the app>, Arn]`,
      );
    }
    // CloudFormation takes HookDetails as a JSON object (a string of one, or the object).
    const details =
      typeof hook.HookDetails === 'string' ? parseJson(hook.HookDetails) : hook.HookDetails;
    return [
      {
        functionName: fn.name,
        stages: stages as NativeHookStage[],
        ...(details && typeof details === 'object' && !Array.isArray(details)
          ? { hookDetails: details as Record<string, unknown> }
          : {}),
      },
    ];
  });
  return { logicalId: service.logicalId, controller, lifecycleHooks, pauses };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
