import { AppSpecSchema, type AppSpec } from '../models/appspec.js';
import { BuildspecSchema, type Buildspec } from '../models/buildspec.js';
import { TaskDefinitionSchema, type TaskDefinition } from '../models/taskdef.js';
import { formatJson, formatYaml } from './format.js';

/**
 * The ECS RegisterTaskDefinition input for a model: the wire shape, with
 * keys in the model's order and no undefined members. Throws when the
 * model does not satisfy the schema (a programming error, not user input).
 */
export function renderTaskDefinition(model: TaskDefinition): TaskDefinition {
  TaskDefinitionSchema.parse(model);
  return withoutUndefined(model);
}

/** taskdef.json text for a model. */
export function taskDefinitionJson(model: TaskDefinition): string {
  return formatJson(renderTaskDefinition(model));
}

/** The AppSpec wire shape for a model (`version` as the number 0, written 0.0). */
export function renderAppSpec(model: AppSpec): AppSpec {
  AppSpecSchema.parse(model);
  return { ...withoutUndefined(model), version: 0 };
}

/** appspec.yaml text for a model. */
export function appSpecYaml(model: AppSpec, header?: readonly string[]): string {
  return formatYaml(renderAppSpec(model), { decimalKeys: ['version'], header });
}

/** appspec.json text for a model (CodeDeploy reads both). */
export function appSpecJson(model: AppSpec): string {
  return formatJson({ ...renderAppSpec(model), version: '0.0' });
}

/** The buildspec wire shape for a model (`version` as the number 0.2). */
export function renderBuildspec(model: Buildspec): Buildspec {
  BuildspecSchema.parse(model);
  return { ...withoutUndefined(model), version: 0.2 };
}

/** buildspec.yaml text for a model, with optional header comment lines. */
export function buildspecYaml(model: Buildspec, header?: readonly string[]): string {
  return formatYaml(renderBuildspec(model), { header });
}

/** A deep copy without undefined members, keeping the author's key order. */
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => withoutUndefined(item)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => [key, withoutUndefined(item)]),
    ) as T;
  }
  return value;
}
