import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  BUILDSPEC_PATH,
  DEPLOYMENT_CONTROLLER_VARIABLE,
  PROMOTED_RELEASES_VARIABLE,
  type PromotedRelease,
  type ReleaseController,
} from '@webapp-color/deploy-specs';
import type {
  DeliveryDefinition,
  ReleaseEnvironmentNames,
} from '@webapp-color/deploy-specs/definition';
import { Construct } from 'constructs';
import { codeBuildDefaultGrants } from '../nag.js';
import { IMAGE_COPY_ACTIONS } from './release-storage.js';

/** The CodeDeploy hook names: an `ecs` release has none (ECS calls the hooks its service names). */
type HookNames = 'afterAllowTestTrafficHook' | 'afterAllowTrafficHook';

/** The values of the CodeBuild environment variables the release render step reads, by definition key. */
export type ReleaseEnvironmentValues = {
  readonly [K in Exclude<keyof ReleaseEnvironmentNames, HookNames>]: string;
} & { readonly [K in HookNames]?: string };

export interface ReleaseBuildProps {
  readonly definition: DeliveryDefinition;
  readonly repository: ecr.IRepository;
  /** What only the deployed resources know, for the render step. */
  readonly releaseValues: ReleaseEnvironmentValues;
  /**
   * Which controller's release files the build renders (DEPLOYMENT_CONTROLLER).
   * @default 'codedeploy'
   */
  readonly controller?: ReleaseController;
  /**
   * The environments this build is promoted to (PROMOTED_RELEASES): the
   * build pushes the image to each one's repository and renders each one's
   * release files. @default none
   */
  readonly promoted?: readonly PromotedBuildTarget[];
  /**
   * The project role's fixed name, which a promoted environment in another
   * account trusts to push to its repository. @default a generated name
   */
  readonly roleName?: string;
}

/** A promoted environment as the build sees it: its release values and its repository. */
export interface PromotedBuildTarget {
  readonly release: PromotedRelease;
  /** The ARN of its image repository (push rights). */
  readonly repositoryArn: string;
}

/**
 * The CodeBuild project of a release: tests, image to ECR, and the release
 * files rendered with the values of the deployed resources.
 */
export class ReleaseBuild extends Construct {
  readonly project: codebuild.PipelineProject;
  /** The project's environment variables, by name. */
  readonly releaseEnvironment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ReleaseBuildProps) {
    super(scope, id);
    const { definition, releaseValues } = props;
    const controller = props.controller ?? 'codedeploy';
    if (
      controller === 'codedeploy' &&
      (releaseValues.afterAllowTestTrafficHook === undefined ||
        releaseValues.afterAllowTrafficHook === undefined)
    ) {
      throw new Error(
        'ReleaseBuild: a codedeploy release names its hooks: releaseValues.afterAllowTestTrafficHook and afterAllowTrafficHook are required',
      );
    }
    const names = definition.releaseEnvironment;
    this.releaseEnvironment = {
      ...Object.fromEntries(
        (Object.keys(releaseValues) as (keyof ReleaseEnvironmentNames)[]).flatMap((key) =>
          releaseValues[key] === undefined ? [] : [[names[key], releaseValues[key]]],
        ),
      ),
      [DEPLOYMENT_CONTROLLER_VARIABLE]: controller,
      ...(props.promoted && props.promoted.length > 0
        ? {
            [PROMOTED_RELEASES_VARIABLE]: Stack.of(this).toJsonString(
              props.promoted.map((target) => target.release),
            ),
          }
        : {}),
    };

    const buildLogs = new logs.LogGroup(this, 'BuildLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
    });
    const role = props.roleName
      ? new iam.Role(this, 'Role', {
          roleName: props.roleName,
          assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
          description:
            'Release build: tests, the image to every repository of the chain, the release files',
        })
      : undefined;
    this.project = new codebuild.PipelineProject(this, 'Build', {
      role,
      description: `Tests, builds and pushes the ${definition.app.name} image and renders the release files`,
      // Build changes ship with the commit: the spec is the committed, generated file.
      buildSpec: codebuild.BuildSpec.fromSourceFilename(BUILDSPEC_PATH),
      environment: {
        buildImage: codebuild.LinuxBuildImage.fromCodeBuildImageId(definition.build.codeBuildImage),
        computeType: definition.build.computeType as codebuild.ComputeType,
        // Docker-in-Docker needs it for `docker build`.
        privileged: true,
      },
      environmentVariables: Object.fromEntries(
        Object.entries(this.releaseEnvironment).map(([name, value]) => [
          name,
          { type: codebuild.BuildEnvironmentVariableType.PLAINTEXT, value },
        ]),
      ),
      // Image layers are cached in ECR (the buildspec's buildx registry
      // cache); the local Docker layer cache keeps the BuildKit builder image;
      // CUSTOM keeps the paths the buildspec's `cache.paths` declares (pnpm's
      // store, Turborepo's cache).
      cache: codebuild.Cache.local(
        codebuild.LocalCacheMode.DOCKER_LAYER,
        codebuild.LocalCacheMode.CUSTOM,
      ),
      logging: { cloudWatch: { logGroup: buildLogs } },
      timeout: Duration.minutes(30),
      queuedTimeout: Duration.hours(1),
    });
    props.repository.grantPullPush(this.project);
    // The same image, copied by manifest into each promoted repository:
    // what `docker buildx imagetools create` and `inspect` call (ECR's
    // push and pull actions, Service Authorization Reference).
    for (const target of props.promoted ?? []) {
      this.project.addToRolePolicy(
        new iam.PolicyStatement({
          actions: [...IMAGE_COPY_ACTIONS],
          resources: [target.repositoryArn],
        }),
      );
    }
    Validations.of(this.project.role!).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ecr:GetAuthorizationToken (docker login) supports no resource-level permission; push and pull are scoped to the one repository.',
      },
      ...codeBuildDefaultGrants(this.project),
    );
    Validations.of(this.project).acknowledge(
      {
        id: 'AwsSolutions-CB3',
        reason:
          'Privileged mode is what CodeBuild requires to run the Docker daemon that builds the image.',
      },
      {
        id: 'AwsSolutions-CB4',
        reason:
          'Artifacts and cache are encrypted with SSE-S3 / the AWS managed key; a customer managed KMS key adds cost without a requirement for it here.',
      },
    );
  }
}
