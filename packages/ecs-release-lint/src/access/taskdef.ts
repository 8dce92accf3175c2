import { entriesAt, fieldsOf, listAt, mappingAt, rootMapping, stringAt } from './node.js';
import type { Fields, ListEntry, MappingNode } from './node.js';

/** A task definition's top level, read tolerantly: what the rules ask of it. */
export interface TaskView extends MappingNode {
  /** requiresCompatibilities lists FARGATE. */
  readonly fargate: boolean;
}

/** A containerDefinitions entry. */
export interface ContainerView extends ListEntry {
  /** Its name when that is a string. */
  readonly name: string | undefined;
}

/** A portMappings entry of a container. */
export interface PortMappingView extends ListEntry {
  readonly containerPort: unknown;
  readonly hostPort: unknown;
}

/** A container's logConfiguration. */
export interface LogConfigurationView extends MappingNode {
  readonly logDriver: unknown;
  /** Its options when they are a mapping. */
  readonly options: MappingNode | undefined;
}

/** The task definition, or undefined when the document is not a mapping. */
export function task(taskdef: unknown): TaskView | undefined {
  const root = rootMapping(taskdef);
  if (root === undefined) return undefined;
  return {
    ...root,
    fargate: listAt(root, 'requiresCompatibilities')?.includes('FARGATE') ?? false,
  };
}

/** The task's containers that are mappings (other entries are the schema rules' to report). */
export function containers(taskdef: unknown): ContainerView[] {
  const root = rootMapping(taskdef);
  if (root === undefined) return [];
  return entriesAt(root, 'containerDefinitions').map((entry) => ({
    ...entry,
    name: stringAt(entry, 'name'),
  }));
}

/** The task's volumes that are mappings. */
export function volumes(taskdef: TaskView): ListEntry[] {
  return entriesAt(taskdef, 'volumes');
}

/** A container's port mappings that are mappings. */
export function portMappings(container: ContainerView): PortMappingView[] {
  return entriesAt(container, 'portMappings').map((entry) => ({
    ...entry,
    containerPort: entry.fields.containerPort,
    hostPort: entry.fields.hostPort,
  }));
}

/** A container's log configuration, when it is a mapping. */
export function logConfiguration(container: ContainerView): LogConfigurationView | undefined {
  const node = mappingAt(container, 'logConfiguration');
  if (node === undefined) return undefined;
  return { ...node, logDriver: node.fields.logDriver, options: mappingAt(node, 'options') };
}

/** A container's healthCheck.command when it is a list of strings, with its path. */
export function healthCheckCommand(
  container: ContainerView,
): { readonly path: MappingNode['path']; readonly parts: readonly string[] } | undefined {
  const check = mappingAt(container, 'healthCheck');
  const command = check === undefined ? undefined : listAt(check, 'command');
  if (check === undefined || command === undefined) return undefined;
  if (command.some((part) => typeof part !== 'string')) return undefined;
  return { path: [...check.path, 'command'], parts: command as readonly string[] };
}

/** The fields of a mapping value, or an empty mapping for anything else. */
export function fieldsOrEmpty(value: unknown): Fields {
  return fieldsOf(value) ?? {};
}
