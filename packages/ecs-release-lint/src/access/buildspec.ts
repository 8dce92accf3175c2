import type { DocumentPath } from '../core/findings.js';
import { strings } from '../core/rule.js';
import { fieldsOf, listAt, mappingAt, rootMapping } from './node.js';
import type { Fields, MappingNode } from './node.js';

/** An entry of phases: its name, and its fields when it is a mapping. */
export interface PhaseView {
  readonly name: string;
  readonly path: DocumentPath;
  readonly fields: Fields | undefined;
}

/** A phase's commands or finally, when set (null, an empty key, counts as unset). */
export interface CommandListView {
  readonly field: 'commands' | 'finally';
  readonly path: DocumentPath;
  /** The items, or undefined when the value is not a list. */
  readonly items: readonly unknown[] | undefined;
}

/** The buildspec's top level, or undefined when the document is not a mapping. */
export const buildspec = (document: unknown): MappingNode | undefined => rootMapping(document);

/** The entries of phases, when phases is a mapping. */
export function phases(document: unknown): PhaseView[] {
  const root = rootMapping(document);
  const node = root && mappingAt(root, 'phases');
  if (node === undefined) return [];
  return Object.entries(node.fields).map(([name, value]) => ({
    name,
    path: [...node.path, name],
    fields: fieldsOf(value),
  }));
}

/** A phase's commands and finally lists that are set. */
export function commandLists(phase: PhaseView): CommandListView[] {
  if (phase.fields === undefined) return [];
  const node: MappingNode = { path: phase.path, fields: phase.fields };
  return (['commands', 'finally'] as const).flatMap((field): CommandListView[] => {
    const value = node.fields[field];
    if (value === undefined || value === null) return [];
    return [{ field, path: [...node.path, field], items: listAt(node, field) }];
  });
}

/** Every string under phases (the commands and what else a phase holds), with its path. */
export function phaseStrings(document: unknown): Generator<[DocumentPath, string]> {
  return strings(fieldsOf(document)?.phases, ['phases']);
}

/** The artifacts section, when it is a mapping. */
export function artifacts(document: unknown): MappingNode | undefined {
  const root = rootMapping(document);
  return root && mappingAt(root, 'artifacts');
}

/** The file patterns of the primary artifact and every secondary artifact. */
export function artifactFiles(document: unknown): string[] {
  const primary = artifacts(document);
  if (primary === undefined) return [];
  const secondary = fieldsOf(primary.fields['secondary-artifacts']);
  const sets = [primary.fields, ...(secondary ? Object.values(secondary) : [])];
  return sets.flatMap((set) => {
    const files = fieldsOf(set)?.files;
    if (typeof files === 'string') return [files];
    return Array.isArray(files)
      ? files.filter((file): file is string => typeof file === 'string')
      : [];
  });
}

/** The variable sections that are mappings: env.variables, env.parameter-store, … */
export function variableSections(
  document: unknown,
  sections: readonly (readonly [string, string])[],
): MappingNode[] {
  const root = rootMapping(document);
  if (root === undefined) return [];
  return sections.flatMap(([parent, section]) => {
    const container = mappingAt(root, parent);
    const variables = container && mappingAt(container, section);
    return variables ? [variables] : [];
  });
}
