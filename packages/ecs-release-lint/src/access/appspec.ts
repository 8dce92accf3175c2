import type { DocumentPath } from '../core/findings.js';
import { entriesAt, fieldsOf, listAt, mappingAt, rootMapping } from './node.js';
import type { Fields, ListEntry, MappingNode } from './node.js';

/** A Resources entry's TargetService. */
export interface TargetServiceView extends MappingNode {
  /** The index of its resource in Resources. */
  readonly index: number;
  readonly type: unknown;
  /** Its Properties when they are a mapping. */
  readonly properties: MappingNode | undefined;
}

/** A TargetService's LoadBalancerInfo. */
export interface LoadBalancerInfoView extends MappingNode {
  readonly containerName: unknown;
  readonly containerPort: unknown;
}

/** A Hooks entry: a mapping or, in a malformed file, anything else. */
export interface HookEntry {
  readonly index: number;
  readonly path: DocumentPath;
  readonly fields: Fields | undefined;
}

/** The AppSpec's top level, or undefined when the document is not a mapping. */
export const appspec = (document: unknown): MappingNode | undefined => rootMapping(document);

/** The Resources entries that are mappings. */
export function resources(document: unknown): ListEntry[] {
  const root = rootMapping(document);
  return root === undefined ? [] : entriesAt(root, 'Resources');
}

/** Each resource's TargetService that is a mapping. */
export function targetServices(document: unknown): TargetServiceView[] {
  return resources(document).flatMap((resource): TargetServiceView[] => {
    const service = mappingAt(resource, 'TargetService');
    if (service === undefined) return [];
    return [
      {
        ...service,
        index: resource.index,
        type: service.fields.Type,
        properties: mappingAt(service, 'Properties'),
      },
    ];
  });
}

/** A TargetService's LoadBalancerInfo, when it is a mapping. */
export function loadBalancerInfo(service: TargetServiceView): LoadBalancerInfoView | undefined {
  const info = service.properties && mappingAt(service.properties, 'LoadBalancerInfo');
  if (info === undefined) return undefined;
  return {
    ...info,
    containerName: info.fields.ContainerName,
    containerPort: info.fields.ContainerPort,
  };
}

/** A TargetService's NetworkConfiguration.AwsvpcConfiguration, when both are mappings. */
export function awsvpcConfiguration(service: TargetServiceView): MappingNode | undefined {
  const network = service.properties && mappingAt(service.properties, 'NetworkConfiguration');
  return network && mappingAt(network, 'AwsvpcConfiguration');
}

/** The entries of Hooks when it is a list (undefined otherwise). */
export function hookEntries(document: unknown): HookEntry[] | undefined {
  const root = rootMapping(document);
  const list = root && listAt(root, 'Hooks');
  return list?.map((item, index) => ({ index, path: ['Hooks', index], fields: fieldsOf(item) }));
}
