import type { DeliveryDefinition } from '../definition/types.js';
import type { AppSpec } from 'ecs-release-lint/models/appspec';
import type { TaskDefinition } from 'ecs-release-lint/models/taskdef';
import type { EcsReleaseValues, ReleaseValues } from './values.js';

/** The image placeholder CodeDeployToECS replaces with imageDetail.json's ImageURI. */
export const IMAGE_PLACEHOLDER = '<IMAGE1_NAME>';
/** The task-definition placeholder CodeDeployToECS replaces with the registered revision's ARN. */
export const TASK_DEFINITION_PLACEHOLDER = '<TASK_DEFINITION>';
/** The container variable that carries the released commit id. */
export const APP_VERSION_VARIABLE = 'APP_VERSION';

/**
 * The health-check command: node's fetch against the health route (the
 * slim image has no curl), failing on a non-2xx answer or after the timeout.
 */
export function healthCheckCommand(definition: DeliveryDefinition): string[] {
  const { port, healthCheckPath, healthCheck } = definition.container;
  const timeoutMs = Math.max(1, healthCheck.timeoutSeconds - 1) * 1000;
  const script =
    `fetch('http://127.0.0.1:${port}${healthCheckPath}',{signal:AbortSignal.timeout(${timeoutMs})})` +
    '.then(r=>process.exit(r.ok?0:1),()=>process.exit(1))';
  return ['CMD', 'node', '-e', script];
}

/**
 * What differs between two task-definition revisions of one app: where it
 * runs (roles, logs, family) and what it runs (image, version).
 */
export interface TaskDefinitionInstance {
  readonly family: string;
  readonly executionRoleArn: string;
  readonly taskRoleArn: string;
  readonly logGroupName: string;
  readonly region: string;
  /** The container image (the release's placeholder, or the bootstrap image). */
  readonly image: string;
  /** The value of APP_VERSION. */
  readonly version: string;
}

/**
 * The task definition of every revision, the first (bootstrap) one the CDK
 * app creates and each release's: one function, so the two cannot drift
 * apart; only `instance` differs. No writable volume: the app runs on a
 * read-only root with no writable /tmp (the container suite,
 * packages/rehearse/test/container.test.ts, runs the image that way).
 */
export function taskDefinitionFor(
  definition: DeliveryDefinition,
  instance: TaskDefinitionInstance,
): TaskDefinition {
  const { container, task, logs } = definition;
  if (APP_VERSION_VARIABLE in container.environment) {
    throw new Error(
      `container.environment must not set ${APP_VERSION_VARIABLE}: the release sets it to the commit id`,
    );
  }
  return {
    family: instance.family,
    taskRoleArn: instance.taskRoleArn,
    executionRoleArn: instance.executionRoleArn,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: task.cpu,
    memory: task.memory,
    runtimePlatform: { cpuArchitecture: task.cpuArchitecture, operatingSystemFamily: 'LINUX' },
    containerDefinitions: [
      {
        name: container.name,
        image: instance.image,
        essential: true,
        portMappings: [{ containerPort: container.port, protocol: 'tcp' }],
        environment: [
          ...Object.entries(container.environment).map(([name, value]) => ({ name, value })),
          { name: APP_VERSION_VARIABLE, value: instance.version },
        ],
        user: container.user,
        readonlyRootFilesystem: container.readonlyRootFilesystem,
        linuxParameters: { initProcessEnabled: container.initProcessEnabled },
        stopTimeout: container.stopTimeoutSeconds,
        healthCheck: {
          command: healthCheckCommand(definition),
          interval: container.healthCheck.intervalSeconds,
          timeout: container.healthCheck.timeoutSeconds,
          retries: container.healthCheck.retries,
          startPeriod: container.healthCheck.startPeriodSeconds,
        },
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': instance.logGroupName,
            'awslogs-region': instance.region,
            'awslogs-stream-prefix': logs.streamPrefix,
          },
        },
      },
    ],
  };
}

/** The task definition of one release (what CodeDeployToECS registers). */
export function releaseTaskDefinition(
  definition: DeliveryDefinition,
  values: ReleaseValues,
): TaskDefinition {
  return taskDefinitionFor(definition, {
    family: values.taskFamily,
    executionRoleArn: values.executionRoleArn,
    taskRoleArn: values.taskRoleArn,
    logGroupName: values.logGroupName,
    region: values.region,
    image: IMAGE_PLACEHOLDER,
    version: values.commitId,
  });
}

/**
 * The AppSpec of one release. No NetworkConfiguration: the replacement task
 * set then uses the service's own network configuration.
 */
export function releaseAppSpec(definition: DeliveryDefinition, values: ReleaseValues): AppSpec {
  return {
    version: 0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: TASK_DEFINITION_PLACEHOLDER,
            LoadBalancerInfo: {
              ContainerName: definition.container.name,
              ContainerPort: definition.container.port,
            },
            PlatformVersion: definition.task.platformVersion,
          },
        },
      },
    ],
    Hooks: [
      { AfterAllowTestTraffic: values.afterAllowTestTrafficHook },
      { AfterAllowTraffic: values.afterAllowTrafficHook },
    ],
  };
}

/** imageDetail.json for CodeDeployToECS. */
export function imageDetail(values: ReleaseValues): { ImageURI: string } {
  return { ImageURI: `${values.imageRepositoryUri}:${values.commitId}` };
}

/** The image of an `ecs` release, by digest: `<repository>@sha256:…`, what the build pushed. */
export function ecsReleaseImage(values: EcsReleaseValues): string {
  return `${values.imageRepositoryUri}@${values.imageDigest}`;
}

/**
 * The full task definition of an `ecs` release: what the Deploy stage
 * registers as it is (RegisterTaskDefinition), so a change to the delivery
 * definition (an environment variable, the health check, the task size)
 * ships with the release, and the image is named by digest.
 */
export function ecsReleaseTaskDefinition(
  definition: DeliveryDefinition,
  values: EcsReleaseValues,
): TaskDefinition {
  return taskDefinitionFor(definition, {
    family: values.taskFamily,
    executionRoleArn: values.executionRoleArn,
    taskRoleArn: values.taskRoleArn,
    logGroupName: values.logGroupName,
    region: values.region,
    image: ecsReleaseImage(values),
    version: values.commitId,
  });
}

/**
 * imagedefinitions.json of an `ecs` release: the container and its image
 * (by digest), in the format of CodePipeline's image definitions file
 * reference, for people and for the validator's cross-checks against
 * taskdef.json.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/file-reference.html#pipelines-create-image-definitions
 */
export function imageDefinitions(
  definition: DeliveryDefinition,
  values: EcsReleaseValues,
): { name: string; imageUri: string }[] {
  return [{ name: definition.container.name, imageUri: ecsReleaseImage(values) }];
}
