import type { DocumentPath } from '../core/findings.js';

/** The fields of a mapping, as parsed: nothing about their values is known yet. */
export type Fields = Readonly<Record<string, unknown>>;

/** A mapping of a document and where it is: the path its findings point at. */
export interface MappingNode {
  readonly path: DocumentPath;
  readonly fields: Fields;
}

/** A mapping that is an entry of a list. */
export interface ListEntry extends MappingNode {
  readonly index: number;
}

/** The value as a mapping, or undefined for anything else (a list, a scalar, null). */
export function fieldsOf(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Fields)
    : undefined;
}

/** The root of a document when it is a mapping. */
export function rootMapping(document: unknown): MappingNode | undefined {
  const fields = fieldsOf(document);
  return fields === undefined ? undefined : { path: [], fields };
}

/** The mapping under `key`, when there is one. */
export function mappingAt(parent: MappingNode, key: string): MappingNode | undefined {
  const fields = fieldsOf(parent.fields[key]);
  return fields === undefined ? undefined : { path: [...parent.path, key], fields };
}

/** The mappings of the list under `key` (other entries and a non-list value yield nothing). */
export function entriesAt(parent: MappingNode, key: string): ListEntry[] {
  const list = parent.fields[key];
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown, index): ListEntry[] => {
    const fields = fieldsOf(item);
    return fields === undefined ? [] : [{ index, path: [...parent.path, key, index], fields }];
  });
}

/** The list under `key`, or undefined when the value is not a list. */
export function listAt(parent: MappingNode, key: string): readonly unknown[] | undefined {
  const value = parent.fields[key];
  return Array.isArray(value) ? value : undefined;
}

/** Whether the value under `key` is a list with at least one item. */
export function hasItems(parent: MappingNode, key: string): boolean {
  return (listAt(parent, key)?.length ?? 0) > 0;
}

/** The value under `key` when it is a string. */
export function stringAt(parent: MappingNode, key: string): string | undefined {
  const value = parent.fields[key];
  return typeof value === 'string' ? value : undefined;
}

/** Every value equal to null in a value, with its path. */
export function* nullPaths(value: unknown, path: DocumentPath = []): Generator<DocumentPath> {
  if (value === null) yield path;
  else if (Array.isArray(value))
    for (const [index, item] of value.entries()) yield* nullPaths(item, [...path, index]);
  else if (fieldsOf(value) !== undefined)
    for (const [key, item] of Object.entries(value as Fields))
      yield* nullPaths(item, [...path, key]);
}
