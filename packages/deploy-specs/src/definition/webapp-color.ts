import type { DeliveryDefinition } from './types.js';

/**
 * webapp-color's delivery definition: the single source of truth for the
 * app (port, health route, drain timings), the rendered specs and the CDK
 * app. Change a value here and run the tests.
 */
export const webappColor = {
  app: {
    name: 'webapp-color',
    packageName: '@webapp-color/app',
    directory: 'apps/webapp-color',
    dockerfile: 'apps/webapp-color/Dockerfile',
  },
  container: {
    name: 'webapp-color',
    port: 8080,
    healthCheckPath: '/healthz',
    user: '1000',
    readonlyRootFilesystem: true,
    initProcessEnabled: true,
    stopTimeoutSeconds: 30,
    environment: {
      NODE_ENV: 'production',
      APP_COLOR: 'blue',
    },
  },
  shutdown: {
    drainWindowMs: 5_000,
    forceExitMs: 10_000,
  },
  task: {
    cpu: '256',
    memory: '512',
    cpuArchitecture: 'X86_64',
  },
  logs: {
    streamPrefix: 'ecs',
    retentionDays: 7,
  },
  releaseEnvironment: {
    imageRepositoryUri: 'IMAGE_REPOSITORY_URI',
    taskFamily: 'TASK_FAMILY',
    executionRoleArn: 'TASK_EXECUTION_ROLE_ARN',
    taskRoleArn: 'TASK_ROLE_ARN',
    logGroupName: 'LOG_GROUP_NAME',
    afterAllowTestTrafficHook: 'SMOKE_TEST_FUNCTION_NAME',
  },
  build: {
    codeBuildImage: 'aws/codebuild/standard:7.0',
    computeType: 'BUILD_GENERAL1_SMALL',
    nodejsRuntime: '20',
    pnpmVersion: '12.4.2',
  },
} as const satisfies DeliveryDefinition;
