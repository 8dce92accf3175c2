import { environments, loadInfraConfig, type InfraConfig } from '@webapp-color/infra/environments';
import { UsageError } from './usage.js';

/** One deployed environment: its configuration and the names the CDK app gives its stacks. */
export interface OpsEnvironment {
  readonly name: string;
  readonly config: InfraConfig;
  readonly region: string;
  /** `<prefix>-<env>-app` (infra/lib/app.ts): network, edge, service, delivery. */
  readonly appStackName: string;
  /** `<prefix>-<env>-stateful`: the image repository. */
  readonly statefulStackName: string;
}

/** The environment `--env <name>` names, from infra's committed configuration. */
export function resolveEnvironment(name: string | undefined): OpsEnvironment {
  const known = Object.keys(environments);
  if (name === undefined || name === '') {
    throw new UsageError(`--env is required: one of ${known.join(', ')} (infra/config/index.ts)`);
  }
  if (!known.includes(name)) {
    throw new UsageError(
      `--env "${name}" is not an environment of infra/config/index.ts; expected one of ${known.join(', ')}`,
    );
  }
  const config = loadInfraConfig(name);
  const namePrefix = `${config.prefix}-${config.environment}`;
  return {
    name,
    config,
    region: config.region,
    appStackName: `${namePrefix}-app`,
    statefulStackName: `${namePrefix}-stateful`,
  };
}
