import { parseInfraConfig, type InfraConfig, type InfraConfigInput } from './schema.js';
import { checkPromotion, promotionChain } from './promotion.js';
import { production } from './production.js';
import { staging } from './staging.js';
import { stagingEcs } from './staging-ecs.js';

export { InfraConfigError, parseInfraConfig } from './schema.js';
export { PAUSE_STAGES } from './schema.js';
export { environmentNames, pipelineArtifactNames, type EnvironmentNames } from './names.js';
export { PromotionError, checkPromotion, promotionChain, promotionProblems } from './promotion.js';
export type {
  DeploymentController,
  DeploymentStrategy,
  InfraConfig,
  InfraConfigInput,
} from './schema.js';
export {
  DEPLOYMENT_CONTROLLERS,
  nativeDeploymentMinutes,
  nativeDeploymentOf,
  shipTimeoutMinutes,
  type NativeDeployment,
  type TrafficShiftSetting,
} from './ecs-deployment.js';

/** Every committed environment, selected with `cdk … -c env=<name>`. */
export const environments: Readonly<Record<string, InfraConfigInput>> = {
  staging,
  'staging-ecs': stagingEcs,
  production,
};

/** The stacks of one environment, by name (`<prefix>-<environment>-stateful` and `-app`). */
export function stackNamesOf(config: Pick<InfraConfig, 'prefix' | 'environment'>): {
  readonly stateful: string;
  readonly app: string;
} {
  const namePrefix = `${config.prefix}-${config.environment}`;
  return { stateful: `${namePrefix}-stateful`, app: `${namePrefix}-app` };
}

/**
 * Validate a set of environments, each alone and then their promotion
 * (`promotion.from` names one of them, no cycle); by name.
 */
export function parseEnvironments(
  inputs: Readonly<Record<string, unknown>>,
): Record<string, InfraConfig> {
  const configs = Object.fromEntries(
    Object.entries(inputs).map(([name, input]) => [name, parseInfraConfig(name, input)]),
  );
  checkPromotion(configs);
  return configs;
}

/** Every registered environment, validated (promotion included), by name. */
export function loadEnvironments(): Record<string, InfraConfig> {
  return parseEnvironments(environments);
}

/** Load and validate the configuration of one environment (and the promotion of all). */
export function loadInfraConfig(envName: string): InfraConfig {
  if (environments[envName] === undefined) {
    throw new Error(
      `Unknown environment "${envName}" (context "env"); expected one of ${Object.keys(environments).join(', ')}. ` +
        'Add infra/config/<env>.ts and register it in infra/config/index.ts.',
    );
  }
  return loadEnvironments()[envName]!;
}

/**
 * The environments whose stacks an environment's app stack needs: the
 * promotion chain it owns the pipeline of (itself first), or itself alone.
 */
export function chainOf(envName: string): InfraConfig[] {
  const configs = loadEnvironments();
  const chain = promotionChain(envName, configs);
  return chain.length > 0 ? chain : [configs[envName]!];
}
