import fc from 'fast-check';
import { ECS_HOOK_NAMES, type AppSpec } from '../src/models/appspec.js';
import {
  BUILDSPEC_PHASE_NAMES,
  type Buildspec,
  type BuildspecPhase,
} from '../src/models/buildspec.js';
import { FARGATE_MEMORY_BY_CPU } from '../src/models/fargate.js';
import type { TaskContainerDefinition, TaskDefinition } from '../src/models/taskdef.js';

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
const envName = fc
  .stringMatching(/^[A-Z][A-Z0-9_]{0,15}$/)
  .filter((value) => !value.startsWith('CODEBUILD_'));
/**
 * Free text that exercises YAML quoting, without placeholders: SPEC_UNFILLED_PLACEHOLDER rightly
 * reports a whole value such as <a> in any case, so an upper-case filter left the tests flaky.
 */
const text = fc
  .string({ maxLength: 40 })
  .filter((value) => !/<[A-Za-z][A-Za-z0-9_-]*>/.test(value));
const port = fc.integer({ min: 1, max: 65535 });

const fargateSize = fc
  .constantFrom(...Object.keys(FARGATE_MEMORY_BY_CPU))
  .chain((cpu) =>
    fc
      .constantFrom(...FARGATE_MEMORY_BY_CPU[cpu]!)
      .map((memory) => ({ cpu, memory: String(memory) })),
  );

const image = fc.oneof(
  fc.constant('<IMAGE1_NAME>'),
  fc
    .tuple(
      fc.stringMatching(/^\d{12}$/),
      fc.stringMatching(/^[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,8}){0,2}$/),
      fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,10}$/),
    )
    .map(
      ([account, repository, tag]) =>
        `${account}.dkr.ecr.eu-west-1.amazonaws.com/${repository}:${tag}`,
    ),
  fc.constant('public.ecr.aws/docker/library/httpd:2.4'),
);

const healthCheck = fc.record(
  {
    command: fc.oneof(
      fc.tuple(text, fc.array(text, { maxLength: 3 })).map(([exe, args]) => ['CMD', exe, ...args]),
      text.map((command) => ['CMD-SHELL', command]),
    ),
    interval: fc.integer({ min: 5, max: 300 }),
    retries: fc.integer({ min: 1, max: 10 }),
  },
  { requiredKeys: ['command'] },
);

const container = (containerName: string): fc.Arbitrary<TaskContainerDefinition> =>
  fc.record(
    {
      name: fc.constant(containerName),
      image,
      essential: fc.boolean(),
      portMappings: fc.array(
        port.map((containerPort) => ({ containerPort, protocol: 'tcp' as const })),
        { maxLength: 2 },
      ),
      environment: fc.array(fc.record({ name: envName, value: text }), { maxLength: 3 }),
      user: fc.constantFrom('1000', 'node', '1000:1000'),
      readonlyRootFilesystem: fc.boolean(),
      linuxParameters: fc.record({ initProcessEnabled: fc.boolean() }),
      stopTimeout: fc.integer({ min: 2, max: 120 }),
      healthCheck,
      logConfiguration: fc.record({
        logDriver: fc.constant('awslogs' as const),
        options: fc.record({
          'awslogs-group': fc.constant('/ecs/app'),
          'awslogs-region': fc.constant('eu-west-1'),
          'awslogs-stream-prefix': name,
        }),
      }),
    },
    { requiredKeys: ['name', 'image'] },
  );

/** Fargate task definitions that every rule accepts. */
export const fargateTaskDefinition: fc.Arbitrary<TaskDefinition> = fc
  .record({
    family: name,
    size: fargateSize,
    names: fc.uniqueArray(name, { minLength: 1, maxLength: 3 }),
    taskRoleArn: fc.option(
      name.map((role) => `arn:aws:iam::123456789012:role/${role}`),
      { nil: undefined },
    ),
    cpuArchitecture: fc.constantFrom('X86_64' as const, 'ARM64' as const),
  })
  .chain(({ family, size, names, taskRoleArn, cpuArchitecture }) =>
    fc.tuple(...names.map(container)).map((containers): TaskDefinition => {
      const [first, ...rest] = containers;
      return {
        family,
        ...(taskRoleArn ? { taskRoleArn } : {}),
        // Fargate needs it for the awslogs driver and private ECR images the containers may use.
        executionRoleArn: 'arn:aws:iam::111122223333:role/execution',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: size.cpu,
        memory: size.memory,
        runtimePlatform: { cpuArchitecture, operatingSystemFamily: 'LINUX' },
        containerDefinitions: [{ ...first!, essential: true }, ...rest],
      };
    }),
  );

/** ECS AppSpecs that every rule accepts. */
export const ecsAppSpec: fc.Arbitrary<AppSpec> = fc
  .record(
    {
      containerName: name,
      containerPort: port,
      platformVersion: fc.constantFrom('LATEST', '1.4.0'),
      network: fc.record(
        {
          Subnets: fc.array(fc.stringMatching(/^subnet-[0-9a-f]{8}$/), {
            minLength: 1,
            maxLength: 3,
          }),
          SecurityGroups: fc.array(fc.stringMatching(/^sg-[0-9a-f]{8}$/), {
            minLength: 1,
            maxLength: 2,
          }),
          AssignPublicIp: fc.constantFrom('ENABLED' as const, 'DISABLED' as const),
        },
        // The AppSpec reference: all or none of the NetworkConfiguration settings.
        { requiredKeys: ['Subnets', 'SecurityGroups', 'AssignPublicIp'] },
      ),
      hooks: fc.subarray([...ECS_HOOK_NAMES]),
      functionName: name,
    },
    { requiredKeys: ['containerName', 'containerPort', 'hooks', 'functionName'] },
  )
  .map(
    ({ containerName, containerPort, platformVersion, network, hooks, functionName }): AppSpec => ({
      version: 0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: '<TASK_DEFINITION>',
              LoadBalancerInfo: { ContainerName: containerName, ContainerPort: containerPort },
              ...(platformVersion ? { PlatformVersion: platformVersion } : {}),
              ...(network ? { NetworkConfiguration: { AwsvpcConfiguration: network } } : {}),
            },
          },
        },
      ],
      ...(hooks.length > 0
        ? { Hooks: hooks.map((hook) => ({ [hook]: `${functionName}-${hook}` }) as never) }
        : {}),
    }),
  );

const phase: fc.Arbitrary<BuildspecPhase> = fc.record(
  {
    commands: fc.array(
      text.filter((command) => !/imageDetail|taskdef\.json|appspec\.ya?ml/.test(command)),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
    finally: fc.array(fc.constant('echo done'), { maxLength: 1 }),
    'on-failure': fc.constantFrom('ABORT', 'CONTINUE', 'RETRY-2'),
  },
  { requiredKeys: ['commands'] },
);

/** Buildspecs that every rule accepts. */
export const buildspec: fc.Arbitrary<Buildspec> = fc
  .record(
    {
      shell: fc.constantFrom('bash' as const, '/bin/sh' as const),
      variables: fc.dictionary(envName, text, { maxKeys: 3 }),
      phases: fc.subarray([...BUILDSPEC_PHASE_NAMES], { minLength: 1 }),
      phaseBodies: fc.array(phase, { minLength: 4, maxLength: 4 }),
      nodejs: fc.constantFrom('20', '22'),
      artifacts: fc.array(
        name.map((file) => `${file}.txt`),
        { minLength: 1, maxLength: 3 },
      ),
    },
    { requiredKeys: ['phases', 'phaseBodies'] },
  )
  .map(({ shell, variables, phases, phaseBodies, nodejs, artifacts }): Buildspec => ({
    version: 0.2,
    ...(shell || variables
      ? { env: { ...(shell ? { shell } : {}), ...(variables ? { variables } : {}) } }
      : {}),
    phases: Object.fromEntries(
      phases.map((phaseName, index) => [
        phaseName,
        phaseName === 'install' && nodejs
          ? { 'runtime-versions': { nodejs }, ...phaseBodies[index]! }
          : phaseBodies[index]!,
      ]),
    ),
    ...(artifacts ? { artifacts: { files: artifacts, 'discard-paths': 'yes' as const } } : {}),
  }));
