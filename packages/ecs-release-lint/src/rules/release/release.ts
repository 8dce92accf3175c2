import { loadBalancerInfo, targetServices } from '../../access/appspec.js';
import { containers } from '../../access/taskdef.js';
import type { DocumentPath } from '../../core/findings.js';
import type { SpecDocument } from '../../core/rule.js';

export interface LoadBalancerTarget {
  readonly name: unknown;
  readonly port: unknown;
  readonly namePath: DocumentPath;
  readonly portPath: DocumentPath;
}

/** The AppSpec's LoadBalancerInfo entries; a quoted port is read as its number. */
export function loadBalancerTargets(appspec: SpecDocument): LoadBalancerTarget[] {
  return targetServices(appspec.value).flatMap((service): LoadBalancerTarget[] => {
    const info = loadBalancerInfo(service);
    if (info === undefined) return [];
    const { containerName, containerPort } = info;
    const port =
      typeof containerPort === 'string' && /^\d+$/.test(containerPort)
        ? Number(containerPort)
        : containerPort;
    return [
      {
        name: containerName,
        port,
        namePath: [...info.path, 'ContainerName'],
        portPath: [...info.path, 'ContainerPort'],
      },
    ];
  });
}

/** FILE:LINE:COL of a path, for messages that name the other file. */
export function at(document: SpecDocument, path: DocumentPath): string {
  const { line, column } = document.locate(path);
  return `${document.file}:${line}:${column}`;
}

/** The containers of the release's task definition. */
export const containerList = (taskdef: SpecDocument) => containers(taskdef.value);
