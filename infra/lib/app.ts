import type { App } from 'aws-cdk-lib';
import { Tags, Validations } from 'aws-cdk-lib';
import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  environmentNames,
  pipelineArtifactNames,
  promotionChain,
  stackNamesOf,
  type InfraConfig,
} from '../config/index.js';
import { validateDeliveryDefinition } from './definition.js';
import { AppStack, type AppStackProps } from './stacks/app-stack.js';
import { StatefulStack } from './stacks/stateful-stack.js';

/**
 * Resources left untagged. Stacks ('aws:cdk:stack'): a stack tag is sent by
 * `cdk deploy` to CloudFormation, which applies it to every taggable
 * resource of the stack, the ECS service included, so no resource could be
 * left out (cloudformation-coverage-roadmap#1529). The ECS service: a tag change is an update
 * CloudFormation makes with UpdateService, which ECS refuses for a
 * CODE_DEPLOY service (aws-cdk#23564). Listeners: CodeDeploy owns their
 * actions, and a tag change would be a listener update in CloudFormation,
 * the kind of update that must never happen by accident (see infra/docs/redeploys.md);
 * listener rules, for the same reason under the ECS controller, which moves
 * them (a rule update writes the template's target group back).
 * Scalable targets: nothing to allocate. Dashboards: named after the
 * environment already. None carries cost of its own but the dashboard, and
 * cfn-lint 1.51's schemas do not know `Tags` on listeners, listener rules,
 * scalable targets or dashboards yet (the CloudFormation reference lists
 * them for dashboards; only a real account would take them, so they wait
 * for cfn-lint).
 */
export const UNTAGGED_RESOURCE_TYPES = [
  'aws:cdk:stack',
  'AWS::ECS::Service',
  'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::ElasticLoadBalancingV2::ListenerRule',
  'AWS::ApplicationAutoScaling::ScalableTarget',
  'AWS::CloudWatch::Dashboard',
];

/** Apps cdk-nag's checks are registered on already. */
const nagged = new WeakSet<App>();

export interface WebappColorStacks {
  readonly stateful: StatefulStack;
  readonly app: AppStack;
}

export interface ComposeOptions {
  /** Register cdk-nag's AwsSolutionsChecks as a validation plugin (the bin does). */
  readonly nag?: boolean;
  readonly bootstrapImage?: AppStackProps['bootstrapImage'];
  readonly deployRun?: AppStackProps['deployRun'];
  /**
   * Every environment, validated (config `loadEnvironments()`): an
   * environment that starts a promotion chain gets the stages of the
   * environments promoted from it; a promoted one, the names and trust its
   * promoting pipeline needs. @default this environment alone, no promotion
   */
  readonly environments?: Readonly<Record<string, InfraConfig>>;
}

/** The environment whose pipeline deploys a promoted environment (the chain's first). */
function pipelineEnvironmentOf(
  config: InfraConfig,
  environments: Readonly<Record<string, InfraConfig>>,
): InfraConfig {
  let current = config;
  const seen = new Set<string>();
  while (current.promotion !== undefined && !seen.has(current.environment)) {
    seen.add(current.environment);
    const from = environments[current.promotion.from];
    if (from === undefined) {
      throw new Error(
        `${current.environment}: promotion.from = ${JSON.stringify(current.promotion.from)} is not among the environments given to composeStacks`,
      );
    }
    current = from;
  }
  return current;
}

/**
 * Compose both stacks of one environment into an app: what `bin/app.ts` and
 * the tests call. `bin/app.ts` calls it once per environment for
 * `-c env=all`; the stack names carry the environment, and tags are set on
 * each environment's stacks only.
 */
export function composeStacks(
  app: App,
  config: InfraConfig,
  definition: DeliveryDefinition,
  options: ComposeOptions = {},
): WebappColorStacks {
  validateDeliveryDefinition(definition);
  const namePrefix = `${config.prefix}-${config.environment}`;
  // Region only, even where `account` is configured: account-agnostic
  // stacks synthesize without credentials or lookups (a concrete account
  // would make the VPC look its zones up). `account` names the other
  // account in the ARNs and trust of a cross-account promotion; each stack
  // is deployed with that account's credentials (infra/docs/environments.md).
  const env = { region: config.region };
  const names = stackNamesOf(config);
  const environments = options.environments ?? { [config.environment]: config };
  const promotions =
    config.promotion === undefined ? promotionChain(config.environment, environments).slice(1) : [];
  const pipelineEnvironment =
    config.promotion === undefined ? config : pipelineEnvironmentOf(config, environments);
  const fixedNames = environmentNames({ ...config, appName: definition.app.name });
  const crossAccount =
    config.promotion !== undefined &&
    config.account !== undefined &&
    config.account !== pipelineEnvironment.account;
  const stateful = new StatefulStack(app, names.stateful, {
    env,
    config,
    definition,
    ...(config.promotion === undefined ? {} : { repositoryName: fixedNames.repository }),
    ...(crossAccount
      ? {
          pushFrom: `arn:aws:iam::${pipelineEnvironment.account}:role/${environmentNames({ ...pipelineEnvironment, appName: definition.app.name }).buildRole}`,
        }
      : {}),
    description: `${namePrefix}: release image repository (retained)`,
    terminationProtection: true,
  });
  const appStack = new AppStack(app, names.app, {
    env,
    config,
    definition,
    repository: stateful.images.repository,
    bootstrapImage: options.bootstrapImage,
    deployRun: options.deployRun,
    promotions,
    ...(crossAccount
      ? {
          pipelineAccount: pipelineEnvironment.account,
          pipelineArtifacts: {
            ...pipelineArtifactNames({
              ...pipelineEnvironment,
              account: pipelineEnvironment.account!,
            }),
            region: pipelineEnvironment.region,
          },
        }
      : {}),
    description: `${namePrefix}: network, edge, ECS service and the blue/green delivery of ${definition.app.name}`,
  });
  appStack.addStackDependency(stateful);

  const tags = {
    Project: definition.app.name,
    Environment: config.environment,
    ManagedBy: 'aws-cdk',
    ...config.tags,
  };
  for (const scope of [stateful, appStack]) {
    for (const [key, value] of Object.entries(tags)) {
      Tags.of(scope).add(key, value, { excludeResourceTypes: UNTAGGED_RESOURCE_TYPES });
    }
  }

  // Once per app, however many environments it holds.
  if (options.nag && !nagged.has(app)) {
    nagged.add(app);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  }
  return { stateful, app: appStack };
}
