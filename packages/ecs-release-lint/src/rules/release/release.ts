import type { DocumentPath } from '../../core/findings.js';
import { isRecord, records, type SpecDocument } from '../../core/rule.js';

export interface LoadBalancerTarget {
  readonly name: unknown;
  readonly port: unknown;
  readonly namePath: DocumentPath;
  readonly portPath: DocumentPath;
}

/** The AppSpec's LoadBalancerInfo entries; a quoted port is read as its number. */
export function loadBalancerTargets(appspec: SpecDocument): LoadBalancerTarget[] {
  const value = appspec.value;
  if (!isRecord(value)) return [];
  return records(value.Resources).flatMap(([index, resource]) => {
    const service = resource.TargetService;
    const properties = isRecord(service) ? service.Properties : undefined;
    const info = isRecord(properties) ? properties.LoadBalancerInfo : undefined;
    if (!isRecord(info)) return [];
    const base = ['Resources', index, 'TargetService', 'Properties', 'LoadBalancerInfo'];
    const port =
      typeof info.ContainerPort === 'string' && /^\d+$/.test(info.ContainerPort)
        ? Number(info.ContainerPort)
        : info.ContainerPort;
    return [
      {
        name: info.ContainerName,
        port,
        namePath: [...base, 'ContainerName'],
        portPath: [...base, 'ContainerPort'],
      },
    ];
  });
}

/** FILE:LINE:COL of a path, for messages that name the other file. */
export function at(document: SpecDocument, path: DocumentPath): string {
  const { line, column } = document.locate(path);
  return `${document.file}:${line}:${column}`;
}

export const containerList = (taskdef: SpecDocument) =>
  isRecord(taskdef.value) ? records(taskdef.value.containerDefinitions) : [];
