/**
 * The delivery definition of an app: every value that more than one
 * consumer needs (the app itself, the rendered specs, the CDK app, the
 * Dockerfile checks) written once.
 */
export interface DeliveryDefinition {
  /** Where the app lives in the monorepo. */
  readonly app: AppLocation;
  /** The one container of the task. */
  readonly container: ContainerDefinition;
  /** How the app drains on SIGTERM; the load balancer's deregistration delay follows it. */
  readonly shutdown: ShutdownDefinition;
  /** Task size and platform. */
  readonly task: TaskDefinitionSettings;
  /** Container log settings. */
  readonly logs: LogSettings;
  /** Names of the environment variables the release render step reads. */
  readonly releaseEnvironment: ReleaseEnvironmentNames;
  /** Where and with what the CodeBuild project builds a release. */
  readonly build: BuildSettings;
}

export interface BuildSettings {
  /**
   * The CodeBuild image (curated images support the runtime below).
   *
   * @see https://docs.aws.amazon.com/codebuild/latest/userguide/available-runtimes.html
   */
  readonly codeBuildImage: string;
  /** CodeBuild compute type. */
  readonly computeType: 'BUILD_GENERAL1_SMALL' | 'BUILD_GENERAL1_MEDIUM' | 'BUILD_GENERAL1_LARGE';
  /**
   * The `runtime-versions.nodejs` value of the install phase: a Node.js
   * major version, the same as the image's and the Lambda functions'.
   */
  readonly nodejsRuntime: string;
  /**
   * The root package.json script the build runs as its tests (`pnpm run
   * <script>`): what a release must pass where CodeBuild runs it, without
   * the suites that need the image the build is about to make.
   */
  readonly testScript: string;
  /** The pnpm version installed by the build (matches `packageManager`). */
  readonly pnpmVersion: string;
  /**
   * The one mutable tag of the image repository: the BuildKit layer cache
   * (`--cache-to type=registry`). Release images are tagged with the commit
   * id and never overwritten, so the repository's tag immutability must
   * exclude exactly this tag.
   */
  readonly cacheImageTag: string;
  /**
   * The folder, relative to the repository root, where the build writes
   * the release files (`imageDetail.json`, `taskdef.json`, `appspec.yaml`);
   * it is the artifact's base directory.
   */
  readonly releaseDirectory: string;
  /**
   * The environment variable that carries the commit being released: the
   * pipeline's build action sets it to the source action's `CommitId`
   * (`#{SourceVariables.CommitId}`). It is set per pipeline execution, on the
   * action, not on the CodeBuild project. When it is unset the build falls
   * back to `CODEBUILD_RESOLVED_SOURCE_VERSION`, which CodeBuild documents as
   * "may not always be available" for CodePipeline builds.
   *
   * @see https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html
   * @see https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html
   */
  readonly sourceCommitVariable: string;
}

export interface AppLocation {
  /** Short name of the app, used in resource names. */
  readonly name: string;
  /** The npm package name of the app's workspace (what `turbo prune` takes). */
  readonly packageName: string;
  /** The app's workspace folder, relative to the repository root. */
  readonly directory: string;
  /** The app's Dockerfile, relative to the repository root. */
  readonly dockerfile: string;
}

export interface ContainerDefinition {
  /**
   * The container name: the task definition's container, the AppSpec's
   * `LoadBalancerInfo.ContainerName` and the pipeline's image placeholder
   * all use it.
   */
  readonly name: string;
  /** The TCP port the app listens on inside the container. */
  readonly port: number;
  /** The cheap route that answers 200 while the app is healthy. */
  readonly healthCheckPath: string;
  /**
   * The user the container runs as (uid of the `node` user in the official
   * Node image).
   */
  readonly user: string;
  /** Whether the app can run with a read-only root filesystem. */
  readonly readonlyRootFilesystem: boolean;
  /**
   * Whether ECS runs an init process (PID 1 forwards signals and reaps
   * zombies).
   */
  readonly initProcessEnabled: boolean;
  /** Seconds ECS waits after SIGTERM before SIGKILL (ECS maximum 120). */
  readonly stopTimeoutSeconds: number;
  /** Plain environment variables of the container. */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * The container health check ECS runs (with `node`, since the slim image
   * has no curl) against `healthCheckPath`.
   */
  readonly healthCheck: ContainerHealthCheckSettings;
}

export interface ContainerHealthCheckSettings {
  /** Seconds between checks (5-300). */
  readonly intervalSeconds: number;
  /** Seconds one check may take (2-120). */
  readonly timeoutSeconds: number;
  /** Failed checks in a row before the container counts as unhealthy (1-10). */
  readonly retries: number;
  /** Seconds after start during which failed checks do not count (0-300). */
  readonly startPeriodSeconds: number;
}

export interface ShutdownDefinition {
  /**
   * Milliseconds during which open keep-alive connections still get
   * answers (with `Connection: close`) after SIGTERM.
   */
  readonly drainWindowMs: number;
  /** Milliseconds after SIGTERM after which the process exits non-zero. */
  readonly forceExitMs: number;
}

export interface TaskDefinitionSettings {
  /** Task CPU units, as the ECS API takes them (a string). */
  readonly cpu: string;
  /** Task memory in MiB, as the ECS API takes it (a string). */
  readonly memory: string;
  /** CPU architecture of the Fargate platform. */
  readonly cpuArchitecture: 'X86_64' | 'ARM64';
  /**
   * The Fargate platform version of each replacement task set (the
   * AppSpec's `PlatformVersion`). The service itself is created on
   * `LATEST`: CloudFormation cannot update it under the CODE_DEPLOY
   * controller, so a new version ships with the next release.
   */
  readonly platformVersion: string;
}

export interface LogSettings {
  /** The `awslogs-stream-prefix`. */
  readonly streamPrefix: string;
  /** Days CloudWatch keeps the app's logs. */
  readonly retentionDays: number;
}

/**
 * The names of the environment variables that the CDK app sets on the
 * CodeBuild project and that the release render step reads.
 */
export interface ReleaseEnvironmentNames {
  /** The ECR repository URI (no tag) the image is pushed to. */
  readonly imageRepositoryUri: string;
  /** The task-definition family. */
  readonly taskFamily: string;
  /** The task execution role ARN (pulls the image, writes logs). */
  readonly executionRoleArn: string;
  /** The task role ARN (what the app itself may call). */
  readonly taskRoleArn: string;
  /** The CloudWatch log group of the container. */
  readonly logGroupName: string;
  /** The Lambda function run as the `AfterAllowTestTraffic` hook. */
  readonly afterAllowTestTrafficHook: string;
  /**
   * The Lambda function run as the `AfterAllowTraffic` hook: it confirms
   * that production serves the new version once traffic has moved.
   */
  readonly afterAllowTrafficHook: string;
}
