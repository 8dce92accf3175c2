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
    healthCheck: {
      intervalSeconds: 15,
      timeoutSeconds: 5,
      retries: 3,
      startPeriodSeconds: 10,
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
    // LATEST: blue and green run the platform the service runs, with the
    // platform's current security fixes; ECS resolves it at task launch.
    platformVersion: 'LATEST',
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
    afterAllowTrafficHook: 'PRODUCTION_CHECK_FUNCTION_NAME',
  },
  build: {
    // Amazon Linux 2023 standard 5.0 offers nodejs 18, 20, 22 and 24
    // (aws/aws-codebuild-docker-images, al/x86_64/standard/5.0/runtimes.yml).
    // 24 is the major of the Dockerfile's FROM and of the Lambda runtime:
    // one Node for the build, the image and the functions (tested in infra).
    codeBuildImage: 'aws/codebuild/amazonlinux-x86_64-standard:5.0',
    computeType: 'BUILD_GENERAL1_SMALL',
    nodejsRuntime: '24',
    testScript: 'test:release',
    pnpmVersion: '12.4.2',
    cacheImageTag: 'buildcache',
    releaseDirectory: 'release',
    sourceCommitVariable: 'SOURCE_COMMIT_ID',
  },
} as const satisfies DeliveryDefinition;
