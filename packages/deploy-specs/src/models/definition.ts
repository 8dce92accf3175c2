import * as z from 'zod';
import type { DeliveryDefinition } from '../definition/types.js';
import { describeFargateMemory, isFargateSize } from 'ecs-release-lint/models/fargate';

const envName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name in upper case, e.g. TASK_FAMILY')
  .refine(
    (name) => !name.startsWith('CODEBUILD_'),
    'names starting CODEBUILD_ are reserved by CodeBuild',
  );

/**
 * The delivery definition as a zod schema, so a change to `webappColor`
 * that the renderers or AWS would reject fails a test with a message.
 * The definition module itself stays free of zod: the app imports it at
 * run time.
 */
export const DeliveryDefinitionSchema = z
  .strictObject({
    app: z.strictObject({
      name: z
        .string()
        .regex(/^[a-z][a-z0-9-]*$/)
        .describe('Short lower-case name used in resource names.'),
      packageName: z.string().min(1).describe('The npm package name of the app workspace.'),
      directory: z
        .string()
        .min(1)
        .describe('The app workspace folder, relative to the repository root.'),
      dockerfile: z.string().min(1).describe('The Dockerfile, relative to the repository root.'),
    }),
    container: z.strictObject({
      name: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,255}$/, 'letters, digits, hyphens and underscores (1-255)')
        .describe('The container name.'),
      port: z.number().int().min(1).max(65535).describe('The container port.'),
      healthCheckPath: z
        .string()
        .regex(/^\/[^\s'"]*$/, 'a path starting with / without quotes or spaces'),
      user: z.string().min(1),
      readonlyRootFilesystem: z.boolean(),
      initProcessEnabled: z.boolean(),
      stopTimeoutSeconds: z
        .number()
        .int()
        .min(2)
        .max(120)
        .describe('ECS allows at most 120 seconds on Fargate.'),
      environment: z.record(envName, z.string()),
      healthCheck: z.strictObject({
        intervalSeconds: z.number().int().min(5).max(300),
        timeoutSeconds: z.number().int().min(2).max(120),
        retries: z.number().int().min(1).max(10),
        startPeriodSeconds: z.number().int().min(0).max(300),
      }),
    }),
    shutdown: z.strictObject({
      drainWindowMs: z.number().int().min(0),
      forceExitMs: z.number().int().min(0),
    }),
    task: z.strictObject({
      cpu: z.string(),
      memory: z.string(),
      cpuArchitecture: z.enum(['X86_64', 'ARM64']),
      platformVersion: z
        .string()
        .regex(/^(LATEST|\d+\.\d+\.\d+)$/, 'LATEST or a version like 1.4.0'),
    }),
    logs: z.strictObject({
      streamPrefix: z
        .string()
        .min(1)
        .regex(/^[^:*]+$/, 'no colon or asterisk'),
      retentionDays: z.number().int().min(1),
    }),
    releaseEnvironment: z.strictObject({
      imageRepositoryUri: envName,
      taskFamily: envName,
      executionRoleArn: envName,
      taskRoleArn: envName,
      logGroupName: envName,
      afterAllowTestTrafficHook: envName,
      afterAllowTrafficHook: envName,
    }),
    build: z.strictObject({
      codeBuildImage: z.string().min(1),
      computeType: z.enum([
        'BUILD_GENERAL1_SMALL',
        'BUILD_GENERAL1_MEDIUM',
        'BUILD_GENERAL1_LARGE',
      ]),
      nodejsRuntime: z.string().regex(/^\d+$/, 'a Node.js major version such as 22'),
      testScript: z.string().regex(/^[A-Za-z0-9:_-]+$/, 'a package.json script name'),
      pnpmVersion: z.string().regex(/^\d+\.\d+\.\d+$/, 'an exact version such as 12.4.2'),
      cacheImageTag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'a valid image tag'),
      releaseDirectory: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'one folder name'),
      sourceCommitVariable: envName,
    }),
  })
  .superRefine((definition, context) => {
    const { cpu, memory } = definition.task;
    if (!isFargateSize(cpu, memory)) {
      context.addIssue({
        code: 'custom',
        path: ['task', 'memory'],
        message: `Fargate has no task of cpu ${cpu} with memory ${memory}; for cpu ${cpu} use memory ${describeFargateMemory(cpu) ?? 'of a valid cpu (256, 512, 1024, 2048, 4096, 8192, 16384)'}`,
      });
    }
    if (definition.shutdown.forceExitMs / 1000 >= definition.container.stopTimeoutSeconds) {
      context.addIssue({
        code: 'custom',
        path: ['shutdown', 'forceExitMs'],
        message: 'forceExitMs must end before ECS sends SIGKILL (container.stopTimeoutSeconds)',
      });
    }
    if (
      definition.container.healthCheck.timeoutSeconds >=
      definition.container.healthCheck.intervalSeconds
    ) {
      context.addIssue({
        code: 'custom',
        path: ['container', 'healthCheck', 'timeoutSeconds'],
        message: 'the health check timeout must be shorter than its interval',
      });
    }
    const names = Object.values(definition.releaseEnvironment);
    if (new Set(names).size !== names.length) {
      context.addIssue({
        code: 'custom',
        path: ['releaseEnvironment'],
        message: 'each release value needs its own environment variable name',
      });
    }
  }) satisfies z.ZodType<DeliveryDefinition>;
