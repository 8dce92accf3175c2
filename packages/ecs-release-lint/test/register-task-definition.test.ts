import {
  Compatibility,
  CPUArchitecture,
  LogDriver,
  NetworkMode,
  OSFamily,
  RegisterTaskDefinitionRequest$,
  TransportProtocol,
  UlimitName,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ContainerDefinitionSchema,
  LogConfigurationSchema,
  PortMappingSchema,
  RuntimePlatformSchema,
  TaskDefinitionSchema,
  UlimitSchema,
  type TaskDefinition,
} from '../src/models/taskdef.js';
import { fargateTaskDefinition } from './arbitraries.js';

// Compile-time: every task definition the model accepts is a valid SDK
// input (names, types, enum values), and the model leaves out no member of
// the request. `pnpm typecheck` checks these lines.
const acceptedBySdk = (model: TaskDefinition): RegisterTaskDefinitionCommandInput => model;
type MissingFromModel = Exclude<keyof RegisterTaskDefinitionCommandInput, keyof TaskDefinition>;
const modelCoversRequest: [MissingFromModel] extends [never] ? true : MissingFromModel = true;

/**
 * Checks a value against the SDK's runtime schema of the request (the
 * service model compiled into @aws-sdk/client-ecs): member names, value
 * types and required members, recursively.
 */
function shapeErrors(value: unknown, schema: unknown, path = '$'): string[] {
  const node = resolve(schema);
  if (typeof node === 'number') return simpleErrors(value, node, path);
  const [type] = node as [number];
  if (type === 1) {
    if (!Array.isArray(value)) return [`${path}: expected a list`];
    return value.flatMap((item, index) =>
      shapeErrors(item, (node as unknown[])[4], `${path}[${index}]`),
    );
  }
  if (type === 2) {
    if (!isPlainObject(value)) return [`${path}: expected a map`];
    return Object.entries(value).flatMap(([key, item]) =>
      shapeErrors(item, (node as unknown[])[5], `${path}.${key}`),
    );
  }
  if (type === 3 || type === 4) {
    if (!isPlainObject(value)) return [`${path}: expected a structure`];
    const [, , , , names, members, required = 0] = node as [
      number,
      string,
      string,
      unknown,
      string[],
      unknown[],
      number?,
    ];
    const errors: string[] = [];
    for (const key of Object.keys(value)) {
      const index = names.indexOf(key);
      if (index < 0)
        errors.push(`${path}.${key}: not a member of ${(node as unknown[])[2] as string}`);
      else errors.push(...shapeErrors(value[key], members[index], `${path}.${key}`));
    }
    for (const name of names.slice(0, type === 3 ? required : 0)) {
      if (value[name] === undefined) errors.push(`${path}.${name}: required`);
    }
    if (type === 4 && Object.keys(value).length !== 1)
      errors.push(`${path}: a union sets exactly one member`);
    return errors;
  }
  return [`${path}: unknown schema ${String(type)}`];
}

function resolve(schema: unknown): unknown {
  if (typeof schema === 'function') return resolve((schema as () => unknown)());
  if (Array.isArray(schema) && typeof schema[1] !== 'string') return resolve(schema[0]);
  return schema;
}

function simpleErrors(value: unknown, code: number, path: string): string[] {
  if (code & 64) {
    if (!Array.isArray(value)) return [`${path}: expected a list`];
    return value.flatMap((item, index) => simpleErrors(item, code & 63, `${path}[${index}]`));
  }
  if (code & 128) {
    if (!isPlainObject(value)) return [`${path}: expected a map`];
    return Object.entries(value).flatMap(([key, item]) =>
      simpleErrors(item, code & 63, `${path}.${key}`),
    );
  }
  const expected = ({ 0: 'string', 1: 'number', 2: 'boolean' } as Record<number, string>)[code];
  if (!expected) return [`${path}: unexpected schema code ${code}`];
  return typeof value === expected ? [] : [`${path}: expected ${expected}, got ${typeof value}`];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const enumValues = (schema: { options: readonly string[] }) => [...schema.options].sort();
const sdkValues = (values: Record<string, string>) => Object.values(values).sort();

/** A complete Fargate task definition with health check, logs and runtime platform. */
const complete = TaskDefinitionSchema.parse(
  JSON.parse(
    readFileSync(
      join(import.meta.dirname, 'corpus', 'valid', 'fargate-httpd', 'taskdef.json'),
      'utf8',
    ),
  ),
);

describe('the RegisterTaskDefinition input shape', () => {
  it('accepts a complete task definition', () => {
    expect(shapeErrors(complete, RegisterTaskDefinitionRequest$)).toEqual([]);
    expect(acceptedBySdk(complete).family).toBe('sample-fargate');
    expect(modelCoversRequest).toBe(true);
  });

  it('accepts every task definition the model accepts', () => {
    fc.assert(
      fc.property(fargateTaskDefinition, (model) => {
        expect(TaskDefinitionSchema.safeParse(model).success).toBe(true);
        expect(shapeErrors(model, RegisterTaskDefinitionRequest$)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('rejects what ECS rejects: task-level mountPoints, string ports', () => {
    const rendered = complete;
    expect(shapeErrors({ ...rendered, mountPoints: [] }, RegisterTaskDefinitionRequest$)).toEqual([
      '$.mountPoints: not a member of RegisterTaskDefinitionRequest',
    ]);
    const [container] = rendered.containerDefinitions;
    const broken = {
      ...rendered,
      containerDefinitions: [{ ...container, portMappings: [{ containerPort: '8080' }] }],
    };
    expect(shapeErrors(broken, RegisterTaskDefinitionRequest$)).toEqual([
      '$.containerDefinitions[0].portMappings[0].containerPort: expected number, got string',
    ]);
  });

  it('uses the enum values of the service model', () => {
    expect(enumValues(TaskDefinitionSchema.shape.networkMode.unwrap())).toEqual(
      sdkValues(NetworkMode),
    );
    expect(enumValues(TaskDefinitionSchema.shape.requiresCompatibilities.unwrap().element)).toEqual(
      sdkValues(Compatibility),
    );
    expect(enumValues(LogConfigurationSchema.shape.logDriver)).toEqual(sdkValues(LogDriver));
    expect(enumValues(PortMappingSchema.shape.protocol.unwrap())).toEqual(
      sdkValues(TransportProtocol),
    );
    expect(enumValues(UlimitSchema.shape.name)).toEqual(sdkValues(UlimitName));
    expect(enumValues(RuntimePlatformSchema.shape.cpuArchitecture.unwrap())).toEqual(
      sdkValues(CPUArchitecture),
    );
    expect(enumValues(RuntimePlatformSchema.shape.operatingSystemFamily.unwrap())).toEqual(
      sdkValues(OSFamily),
    );
  });

  it('has every container member of the service model', () => {
    const containerStruct = resolve(
      ((resolve(RegisterTaskDefinitionRequest$) as unknown[])[5] as unknown[])[1],
    ) as unknown[];
    const members = (resolve(containerStruct[4]) as unknown[])[4] as string[];
    expect(Object.keys(ContainerDefinitionSchema.shape).sort()).toEqual([...members].sort());
  });
});
