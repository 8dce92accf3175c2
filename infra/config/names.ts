/**
 * The fixed names of what a release names, per environment: one pure
 * function, read by the app stack (which creates the resources with these
 * names) and by the release build of the pipeline (which renders each
 * environment's release files with them). No CloudFormation reference
 * crosses a stack or an account, so the build of one environment's pipeline
 * can render the release of the next environment, even in another account.
 */

export interface EnvironmentNameInput {
  readonly prefix: string;
  readonly environment: string;
  /** The app's name (delivery definition `app.name`). */
  readonly appName: string;
}

export interface EnvironmentNames {
  /** `<prefix>-<env>`: every name below starts with it. */
  readonly namePrefix: string;
  readonly taskFamily: string;
  readonly taskRole: string;
  readonly executionRole: string;
  readonly logGroup: string;
  /** The ECR repository (in the stateful stack). */
  readonly repository: string;
  /** The CodeDeploy hooks (AppSpec names them). */
  readonly afterAllowTestTrafficHook: string;
  readonly afterAllowTrafficHook: string;
  /** What a promoting pipeline deploys to. */
  readonly cluster: string;
  readonly service: string;
  readonly codeDeployApplication: string;
  readonly deploymentGroup: string;
  /** The role the promoting pipeline's Deploy action uses in this environment's account. */
  readonly deployRole: string;
  /** The promoting pipeline's build role (pushes to every repository of the chain). */
  readonly buildRole: string;
}

/** IAM role names: at most 64 characters. */
const ROLE_NAME_MAX = 64;

function roleName(name: string): string {
  if (name.length > ROLE_NAME_MAX) {
    throw new Error(
      `IAM role name "${name}" is ${name.length} characters, over ${ROLE_NAME_MAX}: shorten prefix or environment`,
    );
  }
  return name;
}

/** The names of one environment, from `<prefix>-<environment>` and the app's name. */
export function environmentNames(input: EnvironmentNameInput): EnvironmentNames {
  const namePrefix = `${input.prefix}-${input.environment}`;
  return {
    namePrefix,
    taskFamily: `${namePrefix}-${input.appName}`,
    taskRole: roleName(`${namePrefix}-task`),
    executionRole: roleName(`${namePrefix}-task-execution`),
    logGroup: `/ecs/${namePrefix}-${input.appName}`,
    repository: `${namePrefix}-${input.appName}`,
    afterAllowTestTrafficHook: `${namePrefix}-after-allow-test-traffic`,
    afterAllowTrafficHook: `${namePrefix}-after-allow-traffic`,
    cluster: namePrefix,
    service: `${namePrefix}-${input.appName}`,
    codeDeployApplication: namePrefix,
    deploymentGroup: `${namePrefix}-${input.appName}`,
    deployRole: roleName(`${namePrefix}-promotion-deploy`),
    buildRole: roleName(`${namePrefix}-release-build`),
  };
}

/**
 * The pipeline's artifact bucket and key alias when a promoted environment
 * in another account reads the artifacts (a CodeDeploy action there): fixed,
 * so that environment's deploy role can name them. Bucket names are global:
 * the pipeline's account and region are part of it.
 */
export function pipelineArtifactNames(input: {
  readonly prefix: string;
  readonly environment: string;
  readonly account: string;
  readonly region: string;
}): { readonly bucket: string; readonly keyAlias: string } {
  const namePrefix = `${input.prefix}-${input.environment}`;
  return {
    bucket: `${namePrefix}-artifacts-${input.account}-${input.region}`,
    keyAlias: `alias/${namePrefix}-artifacts`,
  };
}
