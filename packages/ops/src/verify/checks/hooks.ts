import { DescribeServicesCommand, type DeploymentLifecycleHook } from '@aws-sdk/client-ecs';
import {
  GetFunctionConfigurationCommand,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { NATIVE_HOOK_STAGES } from '@webapp-color/hooks/api-calls';
import { hookEnvironmentPatch } from '@webapp-color/hooks/environment';
import { LIVE_IMAGE_TAG, PREVIOUS_IMAGE_TAG } from '@webapp-color/hooks/image-tags';
import { requiredOutput } from '../../stacks.js';
import { fail, pass, type Check, type Finding, type VerifyContext } from '../check.js';

/**
 * The settings infra/lib/stacks/app-stack.ts gives each hook that the
 * configuration decides, as the variables @webapp-color/hooks reads (that
 * package alone spells their names).
 */
function expectedHooks({ environment }: VerifyContext) {
  const { config } = environment;
  const common = {
    siteHost: config.site.domainName,
    requireVersion: config.smokeTest.requireVersion,
  };
  return [
    {
      name: config.smokeTest.functionNames.afterAllowTestTraffic,
      lifecycleEvent: 'AfterAllowTestTraffic' as const,
      environment: hookEnvironmentPatch({
        ...common,
        lifecycleEvent: 'AfterAllowTestTraffic',
        listenerProtocol: 'http',
        listenerPort: config.loadBalancer.testListenerPort,
      }),
    },
    {
      name: config.smokeTest.functionNames.afterAllowTraffic,
      lifecycleEvent: 'AfterAllowTraffic' as const,
      environment: hookEnvironmentPatch({
        ...common,
        lifecycleEvent: 'AfterAllowTraffic',
        listenerProtocol: 'https',
        listenerPort: 443,
        // The production hook tags the images production runs (and ran).
        liveImageTag: LIVE_IMAGE_TAG,
        previousImageTag: PREVIOUS_IMAGE_TAG,
      }),
    },
  ];
}

function differences(
  found: FunctionConfiguration,
  environment: Readonly<Record<string, string>>,
): string[] {
  const problems: string[] = [];
  if (found.State !== 'Active') problems.push(`State ${found.State}`);
  if (found.LastUpdateStatus && found.LastUpdateStatus !== 'Successful') {
    problems.push(`LastUpdateStatus ${found.LastUpdateStatus}`);
  }
  if ((found.VpcConfig?.SubnetIds ?? []).length === 0) {
    problems.push('not in the VPC (it reaches the load balancer on its private addresses)');
  }
  const variables = found.Environment?.Variables ?? {};
  for (const [name, value] of Object.entries(environment)) {
    if (variables[name] !== value) {
      problems.push(`${name}=${variables[name] ?? '(unset)'}, expected ${value}`);
    }
  }
  return problems;
}

async function functionConfiguration(
  context: VerifyContext,
  functionName: string,
): Promise<FunctionConfiguration | undefined> {
  try {
    return await context.clients.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: functionName }),
    );
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

const FIX = (context: VerifyContext) =>
  `deploy the app stack (pnpm exec cdk deploy --all -c env=${context.environment.name}) to put them back; ` +
  'a function in State Failed or Pending shows why in its StateReason (aws lambda get-function-configuration)';

/** Under CodeDeploy: the functions under the names every release's AppSpec names. */
async function codeDeployHooks(context: VerifyContext): Promise<Finding> {
  const problems: string[] = [];
  const seen: string[] = [];
  for (const hook of expectedHooks(context)) {
    const found = await functionConfiguration(context, hook.name);
    if (!found) {
      problems.push(`${hook.name}: not found`);
      continue;
    }
    const different = differences(found, hook.environment);
    if (different.length > 0) problems.push(`${hook.name}: ${different.join(', ')}`);
    else seen.push(`${hook.name} (${hook.lifecycleEvent})`);
  }
  return problems.length > 0 ? fail(problems.join('; '), FIX(context)) : pass(seen.join(', '));
}

/**
 * Under ECS: the service's own lifecycle hooks (DescribeServices,
 * deploymentConfiguration.lifecycleHooks, API reference
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHook.html)
 * name, at each stage of NATIVE_HOOK_STAGES, a function with that kind's
 * settings, all through one invoke role.
 */
async function nativeHooks(context: VerifyContext): Promise<Finding> {
  const cluster = requiredOutput(context.app, 'ClusterName');
  const serviceName = requiredOutput(context.app, 'ServiceName');
  const { services } = await context.clients.ecs.send(
    new DescribeServicesCommand({ cluster, services: [serviceName] }),
  );
  const lifecycleHooks: DeploymentLifecycleHook[] =
    services?.[0]?.deploymentConfiguration?.lifecycleHooks ?? [];
  const stagesOf = (h: DeploymentLifecycleHook): readonly string[] => h.lifecycleStages ?? [];
  const problems: string[] = [];
  const seen: string[] = [];
  const roles = new Set(lifecycleHooks.map((hook) => hook.roleArn ?? '(no role)'));
  if (lifecycleHooks.length > 0 && (roles.size !== 1 || roles.has('(no role)'))) {
    problems.push(`the hooks are invoked through ${[...roles].join(', ')}, expected one role`);
  }
  for (const hook of expectedHooks(context)) {
    const stages: readonly string[] = NATIVE_HOOK_STAGES[hook.lifecycleEvent];
    const targets = new Set(
      stages.map(
        (stage) => lifecycleHooks.find((h) => stagesOf(h).includes(stage))?.hookTargetArn ?? '',
      ),
    );
    const missing = stages.filter(
      (stage) => !lifecycleHooks.some((h) => stagesOf(h).includes(stage)),
    );
    if (missing.length > 0) {
      problems.push(`${serviceName}: no lifecycle hook at ${missing.join(', ')}`);
      continue;
    }
    if (targets.size !== 1) {
      problems.push(`${stages.join(' and ')} run different functions, expected one`);
      continue;
    }
    const [target] = [...targets] as [string];
    const found = await functionConfiguration(context, target);
    if (!found) {
      problems.push(`${target} (at ${stages.join(', ')}): not found`);
      continue;
    }
    const different = differences(found, hook.environment);
    if (different.length > 0) problems.push(`${found.FunctionName}: ${different.join(', ')}`);
    else seen.push(`${found.FunctionName} (${stages.join(', ')})`);
  }
  return problems.length > 0
    ? fail(problems.join('; '), FIX(context))
    : pass(`${seen.join(', ')}; invoked through ${[...roles].join('')}`);
}

/**
 * Both hook functions exist, Active, in the VPC, with the lifecycle event,
 * listener, site and image tags the CDK app gives them: under CodeDeploy by
 * the names every release's AppSpec names, under ECS as the service's
 * lifecycle hooks at their stages.
 */
export const hooksCheck: Check = {
  id: 'hook-functions',
  title: 'hook functions deployed with the expected settings',
  run: (context) =>
    context.environment.config.deployment.controller === 'ecs'
      ? nativeHooks(context)
      : codeDeployHooks(context),
};
