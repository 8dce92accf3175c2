import {
  GetFunctionConfigurationCommand,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { hookEnvironmentPatch } from '@webapp-color/hooks/environment';
import { LIVE_IMAGE_TAG, PREVIOUS_IMAGE_TAG } from '@webapp-color/hooks/image-tags';
import { fail, pass, type Check, type VerifyContext } from '../check.js';

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
      lifecycleEvent: 'AfterAllowTestTraffic',
      environment: hookEnvironmentPatch({
        ...common,
        lifecycleEvent: 'AfterAllowTestTraffic',
        listenerProtocol: 'http',
        listenerPort: config.loadBalancer.testListenerPort,
      }),
    },
    {
      name: config.smokeTest.functionNames.afterAllowTraffic,
      lifecycleEvent: 'AfterAllowTraffic',
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

/**
 * Both hook functions exist under the names every release's AppSpec names,
 * Active, in the VPC, with the lifecycle event, listener, site and image
 * tags the CDK app gives them.
 */
export const hooksCheck: Check = {
  id: 'hook-functions',
  title: 'hook functions deployed with the expected settings',
  controllers: ['codedeploy'],
  notApplicableBecause:
    'infra wires no lifecycle hook for it yet (TODO in infra/lib/stacks/app-stack.ts, issue 16 point 3), so ECS runs none and none is checked',
  async run(context) {
    const problems: string[] = [];
    const seen: string[] = [];
    for (const hook of expectedHooks(context)) {
      let found: FunctionConfiguration;
      try {
        found = await context.clients.lambda.send(
          new GetFunctionConfigurationCommand({ FunctionName: hook.name }),
        );
      } catch (error) {
        if (error instanceof Error && error.name === 'ResourceNotFoundException') {
          problems.push(`${hook.name}: not found`);
          continue;
        }
        throw error;
      }
      const different = differences(found, hook.environment);
      if (different.length > 0) problems.push(`${hook.name}: ${different.join(', ')}`);
      else seen.push(`${hook.name} (${hook.lifecycleEvent})`);
    }
    if (problems.length > 0) {
      return fail(
        problems.join('; '),
        `deploy the app stack (pnpm exec cdk deploy --all -c env=${context.environment.name}) to put them back; ` +
          'a function in State Failed or Pending shows why in its StateReason (aws lambda get-function-configuration)',
      );
    }
    return pass(seen.join(', '));
  },
};
