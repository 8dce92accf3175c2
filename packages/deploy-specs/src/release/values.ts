import type { DeliveryDefinition, ReleaseEnvironmentNames } from '../definition/types.js';

/**
 * The values of one release that only the build environment knows: one per
 * field of the definition's `releaseEnvironment` (documented there), plus
 * what CodeBuild and the pipeline provide.
 */
export type ReleaseValues = {
  readonly [Field in keyof ReleaseEnvironmentNames]: string;
} & {
  /** The AWS region of the build and the service. */
  readonly region: string;
  /** The commit being released: the image tag and the app's APP_VERSION. */
  readonly commitId: string;
};

/**
 * Variables CodeBuild itself sets, which the render step also reads.
 * `commitId` is only the fallback for the definition's
 * `build.sourceCommitVariable`: for CodePipeline builds CodeBuild documents
 * CODEBUILD_RESOLVED_SOURCE_VERSION as "the source revision provided by
 * CodePipeline" that "may not always be available".
 */
export const CODEBUILD_VARIABLES = {
  region: 'AWS_REGION',
  commitId: 'CODEBUILD_RESOLVED_SOURCE_VERSION',
} as const;

/** What a commit id looks like (the image tag and APP_VERSION); also checked by the build before it pushes. */
export const COMMIT_ID_PATTERN = /^[0-9a-f]{7,40}$/;

/**
 * The environment variables the infrastructure must set on the CodeBuild
 * project for the release render step (CodeBuild provides the rest).
 */
export function releaseVariableNames(definition: DeliveryDefinition): readonly string[] {
  const names = definition.releaseEnvironment;
  return (Object.keys(names) as (keyof ReleaseEnvironmentNames)[]).map((field) => names[field]);
}

/**
 * The variable that says which controller's release files the build
 * renders (`codedeploy` or `ecs`): the CDK app sets it on the build project
 * from the environment's `deployment.controller`. Unset means `codedeploy`,
 * the original setup.
 */
export const DEPLOYMENT_CONTROLLER_VARIABLE = 'DEPLOYMENT_CONTROLLER';
/**
 * The variable the build exports after the push: the digest of the image
 * it pushed (`sha256:` and 64 hex digits), so the `ecs` release names the
 * image by digest (`<repository>@sha256:…`), never by a tag that could move.
 */
export const IMAGE_DIGEST_VARIABLE = 'IMAGE_DIGEST';
/** What DEPLOYMENT_CONTROLLER may say. */
export const RELEASE_CONTROLLERS = ['codedeploy', 'ecs'] as const;
export type ReleaseController = (typeof RELEASE_CONTROLLERS)[number];
/** An image digest as ECR and the registry API write it. */
export const IMAGE_DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/**
 * The values of an `ecs` release: the task definition's (no CodeDeploy
 * hook names: ECS calls the hooks the service names), and the digest of
 * the image the build pushed.
 */
export type EcsReleaseValues = Omit<
  ReleaseValues,
  'afterAllowTestTrafficHook' | 'afterAllowTrafficHook'
> & {
  /** The pushed image's digest, `sha256:…`. */
  readonly imageDigest: string;
};

/** Documented example values, used by `render --example` and the committed example release. */
export const EXAMPLE_RELEASE_VALUES: ReleaseValues = {
  imageRepositoryUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/webapp-color',
  taskFamily: 'webapp-color',
  executionRoleArn: 'arn:aws:iam::123456789012:role/webapp-color-task-execution',
  taskRoleArn: 'arn:aws:iam::123456789012:role/webapp-color-task',
  logGroupName: '/ecs/webapp-color',
  afterAllowTestTrafficHook: 'webapp-color-smoke-test',
  afterAllowTrafficHook: 'webapp-color-production-check',
  region: 'eu-west-1',
  commitId: '0123456789abcdef0123456789abcdef01234567',
};

/** Example values of an `ecs` release (the committed example under examples/release-ecs). */
export const EXAMPLE_ECS_RELEASE_VALUES: EcsReleaseValues = {
  imageRepositoryUri: EXAMPLE_RELEASE_VALUES.imageRepositoryUri,
  taskFamily: EXAMPLE_RELEASE_VALUES.taskFamily,
  executionRoleArn: EXAMPLE_RELEASE_VALUES.executionRoleArn,
  taskRoleArn: EXAMPLE_RELEASE_VALUES.taskRoleArn,
  logGroupName: EXAMPLE_RELEASE_VALUES.logGroupName,
  region: EXAMPLE_RELEASE_VALUES.region,
  commitId: EXAMPLE_RELEASE_VALUES.commitId,
  imageDigest: `sha256:${'0123456789abcdef'.repeat(4)}`,
};

/** Thrown when the environment lacks release variables or holds unusable values. */
export class ReleaseEnvironmentError extends Error {
  constructor(
    readonly missing: readonly string[],
    readonly invalid: readonly string[],
  ) {
    const parts: string[] = [];
    if (missing.length > 0) {
      parts.push(
        `missing environment variable${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
      );
    }
    parts.push(...invalid);
    super(`cannot render the release: ${parts.join('; ')}`);
    this.name = 'ReleaseEnvironmentError';
  }
}

const LAMBDA_FUNCTION_CHECK: readonly [RegExp, string] = [
  /^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/,
  'a Lambda function name or ARN',
];

const CHECKS: {
  readonly [K in keyof ReleaseValues | 'imageDigest']: readonly [RegExp, string];
} = {
  imageRepositoryUri: [
    /^[a-z0-9.-]+(?::\d+)?\/[a-z0-9._/-]+$/,
    'an image repository URI without tag, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app',
  ],
  taskFamily: [/^[A-Za-z0-9_-]{1,255}$/, 'letters, digits, hyphens and underscores'],
  executionRoleArn: [/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'an IAM role ARN'],
  taskRoleArn: [/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'an IAM role ARN'],
  logGroupName: [/^[.\-_/#A-Za-z0-9]{1,512}$/, 'a CloudWatch log group name'],
  afterAllowTestTrafficHook: LAMBDA_FUNCTION_CHECK,
  afterAllowTrafficHook: LAMBDA_FUNCTION_CHECK,
  region: [/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region such as eu-west-1'],
  commitId: [COMMIT_ID_PATTERN, 'a git commit id (7 to 40 hex digits)'],
  imageDigest: [
    IMAGE_DIGEST_PATTERN,
    'an image digest (sha256: and 64 hex digits; the build reads it from the registry after the push)',
  ],
};

/**
 * Which controller's files to render, from DEPLOYMENT_CONTROLLER (unset or
 * empty: `codedeploy`).
 */
export function readReleaseController(
  environment: Readonly<Record<string, string | undefined>>,
): ReleaseController {
  const value = environment[DEPLOYMENT_CONTROLLER_VARIABLE]?.trim() ?? '';
  if (value === '') return 'codedeploy';
  if ((RELEASE_CONTROLLERS as readonly string[]).includes(value)) return value as ReleaseController;
  throw new ReleaseEnvironmentError(
    [],
    [
      `${DEPLOYMENT_CONTROLLER_VARIABLE}=${JSON.stringify(value)} is not one of ${RELEASE_CONTROLLERS.join(', ')}`,
    ],
  );
}

/**
 * Reads the release values from an environment (normally `process.env`).
 * Every missing or unusable variable is named in one error.
 */
export function readReleaseValues(
  definition: DeliveryDefinition,
  environment: Readonly<Record<string, string | undefined>>,
): ReleaseValues {
  return readValues(definition, environment, definition.releaseEnvironment) as ReleaseValues;
}

/**
 * Reads the values of an `ecs` release: the task definition's variables,
 * AWS_REGION, the commit id and IMAGE_DIGEST (the CodeDeploy hook names are
 * not read). Every missing or unusable variable is named in one error.
 */
export function readEcsReleaseValues(
  definition: DeliveryDefinition,
  environment: Readonly<Record<string, string | undefined>>,
): EcsReleaseValues {
  const names = definition.releaseEnvironment;
  return readValues(definition, environment, {
    imageRepositoryUri: names.imageRepositoryUri,
    taskFamily: names.taskFamily,
    executionRoleArn: names.executionRoleArn,
    taskRoleArn: names.taskRoleArn,
    logGroupName: names.logGroupName,
    imageDigest: IMAGE_DIGEST_VARIABLE,
  }) as EcsReleaseValues;
}

/**
 * What the build knows of the one image every environment runs: the commit
 * (the pipeline's variable, else CodeBuild's) and IMAGE_DIGEST, the digest
 * it pushed. Checked as the release render checks them.
 */
export function readBuildImage(
  definition: DeliveryDefinition,
  environment: Readonly<Record<string, string | undefined>>,
): { readonly commitId: string; readonly imageDigest: string } {
  const values = readValues(definition, environment, { imageDigest: IMAGE_DIGEST_VARIABLE });
  return { commitId: values.commitId!, imageDigest: values.imageDigest! };
}

function readValues(
  definition: DeliveryDefinition,
  environment: Readonly<Record<string, string | undefined>>,
  variables: Partial<Record<keyof typeof CHECKS, string>>,
): Partial<Record<keyof typeof CHECKS, string>> {
  // The pipeline's commit variable wins; CodeBuild's resolved version is the fallback.
  const commitVariable = environment[definition.build.sourceCommitVariable]?.trim()
    ? definition.build.sourceCommitVariable
    : CODEBUILD_VARIABLES.commitId;
  const names: Partial<Record<keyof typeof CHECKS, string>> = {
    ...variables,
    ...CODEBUILD_VARIABLES,
    commitId: commitVariable,
  };
  const missing: string[] = [];
  const invalid: string[] = [];
  const values: Partial<Record<keyof typeof CHECKS, string>> = {};
  for (const [field, name] of Object.entries(names) as [keyof typeof CHECKS, string][]) {
    const value = environment[name]?.trim();
    if (value === undefined || value === '') {
      missing.push(
        field === 'commitId'
          ? `${definition.build.sourceCommitVariable} (or ${CODEBUILD_VARIABLES.commitId})`
          : name,
      );
      continue;
    }
    const [pattern, expected] = CHECKS[field];
    if (!pattern.test(value)) invalid.push(`${name}=${JSON.stringify(value)} is not ${expected}`);
    values[field] = value;
  }
  if (missing.length > 0 || invalid.length > 0) throw new ReleaseEnvironmentError(missing, invalid);
  return values;
}
