import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppSpec } from '../src/models/appspec.js';
import type { Buildspec } from '../src/models/buildspec.js';
import type { TaskDefinition } from '../src/models/taskdef.js';
import {
  appSpecJson,
  appSpecYaml,
  buildspecYaml,
  taskDefinitionJson,
} from '../src/render/documents.js';
import { validateDocument } from '../src/check/validate.js';
import { buildspec, ecsAppSpec, fargateTaskDefinition } from './arbitraries.js';

const RUNS = { numRuns: 40 };
const ruleIds = (result: { errors: readonly { ruleId: string }[] }) =>
  result.errors.map((error) => error.ruleId);
const warningIds = (result: { warnings: readonly { ruleId: string }[] }) =>
  result.warnings.map((warning) => warning.ruleId);
const clone = <T>(value: T): T => structuredClone(value);

describe('render → parse → validate', () => {
  it('accepts every rendered task definition and reads back the model', () => {
    fc.assert(
      fc.property(fargateTaskDefinition, (model) => {
        const result = validateDocument('taskdef', 'taskdef.json', taskDefinitionJson(model));
        expect(result.errors).toEqual([]);
        expect(result.value).toEqual(model);
      }),
      RUNS,
    );
  });

  it('accepts every rendered AppSpec, in YAML and in JSON', () => {
    fc.assert(
      fc.property(ecsAppSpec, (model) => {
        const yaml = validateDocument('appspec', 'appspec.yaml', appSpecYaml(model));
        expect(yaml.errors).toEqual([]);
        expect(yaml.value).toEqual(model);
        const json = validateDocument('appspec', 'appspec.json', appSpecJson(model));
        expect(json.errors).toEqual([]);
        expect(json.value).toEqual({ ...model, version: '0.0' });
      }),
      RUNS,
    );
  });

  it('accepts every rendered buildspec and reads back the model', () => {
    fc.assert(
      fc.property(buildspec, (model) => {
        const result = validateDocument('buildspec', 'buildspec.yml', buildspecYaml(model));
        expect(result.errors).toEqual([]);
        expect(result.value).toEqual(model);
      }),
      RUNS,
    );
  });
});

type Mutation<T> = readonly [name: string, mutate: (model: T) => unknown, ruleId: string];

const taskdefMutations: Mutation<TaskDefinition>[] = [
  [
    'cpu as a number',
    (model) => ({ ...model, cpu: Number(model.cpu) }),
    'TASKDEF_FARGATE_CPU_MEMORY',
  ],
  [
    'memory not paired with cpu',
    (model) => ({ ...model, memory: '3' }),
    'TASKDEF_FARGATE_CPU_MEMORY',
  ],
  [
    'bridge network on Fargate',
    (model) => ({ ...model, networkMode: 'bridge' }),
    'TASKDEF_FARGATE_AWSVPC',
  ],
  [
    'mountPoints at task level',
    (model) => ({ ...model, mountPoints: [] }),
    'TASKDEF_CONTAINER_FIELD_AT_TASK_LEVEL',
  ],
  ['an unknown key', (model) => ({ ...model, famliy: 'x' }), 'SCHEMA_UNKNOWN_KEY'],
  [
    'no essential container',
    (model) => ({
      ...model,
      containerDefinitions: model.containerDefinitions.map((c) => ({ ...c, essential: false })),
    }),
    'TASKDEF_ESSENTIAL_CONTAINER',
  ],
  [
    'a health check without CMD',
    (model) => {
      const copy = clone(model);
      copy.containerDefinitions[0]!.healthCheck = { command: ['curl', '-f', 'http://localhost/'] };
      return copy;
    },
    'TASKDEF_HEALTHCHECK_COMMAND',
  ],
  [
    'awslogs without a region',
    (model) => {
      const copy = clone(model);
      copy.containerDefinitions[0]!.logConfiguration = {
        logDriver: 'awslogs',
        options: { 'awslogs-group': 'g' },
      };
      return copy;
    },
    'TASKDEF_AWSLOGS_OPTIONS',
  ],
  [
    'an account id placeholder in an ARN',
    (model) => ({ ...model, executionRoleArn: 'arn:aws:iam::<AccountId>:role/execution' }),
    'SPEC_UNFILLED_PLACEHOLDER',
  ],
  [
    'a port as a string',
    (model) => {
      const copy = clone(model) as unknown as {
        containerDefinitions: { portMappings: unknown[] }[];
      };
      copy.containerDefinitions[0]!.portMappings = [{ containerPort: '8080' }];
      return copy;
    },
    'SCHEMA_INVALID_TYPE',
  ],
];

const appspecMutations: Mutation<AppSpec>[] = [
  ['Resources as a map', (model) => ({ ...model, Resources: {} }), 'SCHEMA_INVALID_TYPE'],
  [
    'a Lambda resource type',
    (model) => {
      const copy = clone(model) as unknown as { Resources: { TargetService: { Type: string } }[] };
      copy.Resources[0]!.TargetService.Type = 'AWS::Lambda::Function';
      return copy;
    },
    'APPSPEC_RESOURCE_TYPE',
  ],
  [
    'an EC2 hook name',
    (model) => ({ ...model, Hooks: [{ ApplicationStart: 'fn' }] }),
    'APPSPEC_HOOK_NAME',
  ],
  [
    'a duplicate hook',
    (model) => ({ ...model, Hooks: [{ AfterInstall: 'a' }, { AfterInstall: 'b' }] }),
    'APPSPEC_DUPLICATE_HOOK',
  ],
  [
    'ContainerPort as a string',
    (model) => {
      const copy = clone(model) as unknown as {
        Resources: {
          TargetService: { Properties: { LoadBalancerInfo: { ContainerPort: unknown } } };
        }[];
      };
      copy.Resources[0]!.TargetService.Properties.LoadBalancerInfo.ContainerPort = 'http';
      return copy;
    },
    'APPSPEC_CONTAINER_PORT_NUMBER',
  ],
  [
    'AssignPublicIp true',
    (model) => {
      const copy = clone(model) as unknown as {
        Resources: { TargetService: { Properties: Record<string, unknown> } }[];
      };
      copy.Resources[0]!.TargetService.Properties.NetworkConfiguration = {
        AwsvpcConfiguration: {
          Subnets: ['subnet-1'],
          SecurityGroups: ['sg-1'],
          AssignPublicIp: true,
        },
      };
      return copy;
    },
    'APPSPEC_ASSIGN_PUBLIC_IP',
  ],
];

const buildspecMutations: Mutation<Buildspec>[] = [
  ['version 2', (model) => ({ ...model, version: 2 }), 'BUILDSPEC_VERSION'],
  [
    'an unknown phase',
    (model) => ({ ...model, phases: { ...model.phases, prebuild: { commands: ['x'] } } }),
    'BUILDSPEC_UNKNOWN_PHASE',
  ],
  [
    'commands as a string',
    (model) => ({ ...model, phases: { build: { commands: 'npm test' } } }),
    'BUILDSPEC_COMMANDS_LIST',
  ],
  [
    'a CODEBUILD_ variable',
    (model) => ({ ...model, env: { variables: { CODEBUILD_X: '1' } } }),
    'BUILDSPEC_RESERVED_VARIABLE',
  ],
  ['an unknown top-level key', (model) => ({ ...model, artefacts: {} }), 'SCHEMA_UNKNOWN_KEY'],
  [
    'a release without imageDetail.json',
    (model) => ({
      ...model,
      phases: { build: { commands: ['echo {} > imageDetail.json'] } },
      artifacts: { files: ['taskdef.json'] },
    }),
    'BUILDSPEC_IMAGE_DETAIL_ARTIFACT',
  ],
  ['a wrong shell', (model) => ({ ...model, env: { shell: 'zsh' } }), 'SCHEMA_INVALID_VALUE'],
];

describe('documented but discouraged forms are warned about, not rejected', () => {
  it('warns about AppSpec version 1 and a quoted ContainerPort', () => {
    fc.assert(
      fc.property(ecsAppSpec, (model) => {
        const copy = clone(model) as unknown as {
          version: unknown;
          Resources: {
            TargetService: { Properties: { LoadBalancerInfo: { ContainerPort: unknown } } };
          }[];
        };
        copy.version = 1;
        const info = copy.Resources[0]!.TargetService.Properties.LoadBalancerInfo;
        info.ContainerPort = String(info.ContainerPort);
        const result = validateDocument('appspec', 'appspec.json', JSON.stringify(copy));
        expect(result.errors).toEqual([]);
        expect(warningIds(result)).toEqual(['APPSPEC_VERSION', 'APPSPEC_CONTAINER_PORT_NUMBER']);
      }),
      { numRuns: 10 },
    );
  });

  it('warns about buildspec version 0.1', () => {
    fc.assert(
      fc.property(buildspec, (model) => {
        const result = validateDocument(
          'buildspec',
          'buildspec.json',
          JSON.stringify({ ...model, version: 0.1 }),
        );
        expect(result.errors).toEqual([]);
        expect(warningIds(result)).toContain('BUILDSPEC_VERSION');
      }),
      { numRuns: 10 },
    );
  });
});

describe('mutations are rejected with the expected rule id', () => {
  it.each(taskdefMutations)('taskdef: %s', (_, mutate, ruleId) => {
    fc.assert(
      fc.property(fargateTaskDefinition, (model) => {
        const result = validateDocument(
          'taskdef',
          'taskdef.json',
          JSON.stringify(mutate(model), null, 2),
        );
        expect(ruleIds(result)).toContain(ruleId);
        expect(result.value).toBeUndefined();
      }),
      { numRuns: 10 },
    );
  });

  it.each(appspecMutations)('appspec: %s', (_, mutate, ruleId) => {
    fc.assert(
      fc.property(ecsAppSpec, (model) => {
        const result = validateDocument('appspec', 'appspec.json', JSON.stringify(mutate(model)));
        expect(ruleIds(result)).toContain(ruleId);
      }),
      { numRuns: 10 },
    );
  });

  it.each(buildspecMutations)('buildspec: %s', (_, mutate, ruleId) => {
    fc.assert(
      fc.property(buildspec, (model) => {
        const result = validateDocument(
          'buildspec',
          'buildspec.json',
          JSON.stringify(mutate(model)),
        );
        expect(ruleIds(result)).toContain(ruleId);
      }),
      { numRuns: 10 },
    );
  });
});
