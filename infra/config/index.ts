import { parseInfraConfig, type InfraConfig, type InfraConfigInput } from './schema.js';
import { staging } from './staging.js';
import { stagingEcs } from './staging-ecs.js';

export { InfraConfigError, parseInfraConfig } from './schema.js';
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
};

/** The stacks of one environment, by name (`<prefix>-<environment>-stateful` and `-app`). */
export function stackNamesOf(config: Pick<InfraConfig, 'prefix' | 'environment'>): {
  readonly stateful: string;
  readonly app: string;
} {
  const namePrefix = `${config.prefix}-${config.environment}`;
  return { stateful: `${namePrefix}-stateful`, app: `${namePrefix}-app` };
}

/** Load and validate the configuration of one environment. */
export function loadInfraConfig(envName: string): InfraConfig {
  const input = environments[envName];
  if (input === undefined) {
    throw new Error(
      `Unknown environment "${envName}" (context "env"); expected one of ${Object.keys(environments).join(', ')}. ` +
        'Add infra/config/<env>.ts and register it in infra/config/index.ts.',
    );
  }
  return parseInfraConfig(envName, input);
}
