import type { Finding, Severity } from '../findings.js';
import type { ParsedSource } from '../parse/source.js';
import { exposedPorts } from '../release/dockerfile.js';
import { isRecord, records } from './rule.js';

/** The files of one release that cross-document rules compare. */
export interface ReleaseDocuments {
  readonly taskdef?: ParsedSource;
  readonly appspec?: ParsedSource;
  readonly buildspec?: ParsedSource;
  readonly dockerfile?: { readonly file: string; readonly text: string };
}

/** A rule over several documents of one release; findings name both places. */
export interface ReleaseRule {
  readonly id: string;
  readonly severity: Severity;
  readonly summary: string;
  check(documents: ReleaseDocuments): readonly Finding[];
}

interface LoadBalancerTarget {
  readonly name: unknown;
  readonly port: unknown;
  readonly namePath: (string | number)[];
  readonly portPath: (string | number)[];
}

function loadBalancerTargets(appspec: ParsedSource): LoadBalancerTarget[] {
  const value = appspec.value;
  if (!isRecord(value)) return [];
  return records(value.Resources).flatMap(([index, resource]) => {
    const service = resource.TargetService;
    const properties = isRecord(service) ? service.Properties : undefined;
    const info = isRecord(properties) ? properties.LoadBalancerInfo : undefined;
    if (!isRecord(info)) return [];
    const base = ['Resources', index, 'TargetService', 'Properties', 'LoadBalancerInfo'];
    return [
      {
        name: info.ContainerName,
        port: info.ContainerPort,
        namePath: [...base, 'ContainerName'],
        portPath: [...base, 'ContainerPort'],
      },
    ];
  });
}

function at(source: ParsedSource, path: (string | number)[]): string {
  const { line, column } = source.locate(path);
  return `${source.file}:${line}:${column}`;
}

function finding(
  source: ParsedSource,
  path: (string | number)[],
  ruleId: string,
  message: string,
  severity: Severity = 'error',
): Finding {
  return { file: source.file, ...source.locate(path), severity, ruleId, message, path };
}

const containerList = (taskdef: ParsedSource) =>
  isRecord(taskdef.value) ? records(taskdef.value.containerDefinitions) : [];

export const releaseContainerName: ReleaseRule = {
  id: 'RELEASE_CONTAINER_NAME',
  severity: 'error',
  summary: "The AppSpec's LoadBalancerInfo.ContainerName is a container of the taskdef.",
  check({ taskdef, appspec }) {
    if (!taskdef || !appspec) return [];
    const names = containerList(taskdef)
      .map(([, container]) => container.name)
      .filter((name) => typeof name === 'string');
    return loadBalancerTargets(appspec)
      .filter((target) => typeof target.name === 'string' && !names.includes(target.name))
      .map((target) =>
        finding(
          appspec,
          target.namePath,
          this.id,
          `ContainerName "${String(target.name)}" is not a container of ${taskdef.file} (${at(taskdef, ['containerDefinitions'])} has ${names.map((name) => `"${name}"`).join(', ') || 'none'}); make the two names equal`,
        ),
      );
  },
};

export const releaseContainerPort: ReleaseRule = {
  id: 'RELEASE_CONTAINER_PORT',
  severity: 'error',
  summary:
    "The AppSpec's ContainerPort is a portMappings.containerPort of that container in the taskdef.",
  check({ taskdef, appspec }) {
    if (!taskdef || !appspec) return [];
    const findings: Finding[] = [];
    for (const target of loadBalancerTargets(appspec)) {
      const match = containerList(taskdef).find(([, container]) => container.name === target.name);
      if (!match || typeof target.port !== 'number') continue;
      const [index, container] = match;
      const ports = records(container.portMappings).map(([, mapping]) => mapping.containerPort);
      if (ports.includes(target.port)) continue;
      const place = at(taskdef, [
        'containerDefinitions',
        index,
        ...(container.portMappings === undefined ? [] : ['portMappings']),
      ]);
      findings.push(
        finding(
          appspec,
          target.portPath,
          this.id,
          `ContainerPort ${target.port} is not a containerPort of container "${String(target.name)}" in ${place} (${ports.length > 0 ? `it maps ${ports.join(', ')}` : 'it has no portMappings'}); make them equal`,
        ),
      );
    }
    return findings;
  },
};

export const releaseDockerfileExpose: ReleaseRule = {
  id: 'RELEASE_DOCKERFILE_EXPOSE',
  severity: 'error',
  summary: "The Dockerfile's final stage EXPOSEs the AppSpec's ContainerPort.",
  check({ appspec, dockerfile }) {
    if (!appspec || !dockerfile) return [];
    const exposed = exposedPorts(dockerfile.text);
    return loadBalancerTargets(appspec)
      .filter(
        (target) =>
          typeof target.port === 'number' && !exposed.some((entry) => entry.port === target.port),
      )
      .map((target) => {
        const where = exposed[0]
          ? `${dockerfile.file}:${exposed[0].line}:${exposed[0].column} exposes ${exposed.map((entry) => entry.port).join(', ')}`
          : `${dockerfile.file} has no EXPOSE in its final stage`;
        return finding(
          appspec,
          target.portPath,
          this.id,
          `ContainerPort ${String(target.port)} is not exposed by the image: ${where}; add "EXPOSE ${String(target.port)}" or change the port in one place`,
        );
      });
  },
};

const RELEASE_FILES = ['imageDetail.json', 'taskdef.json', 'appspec.yaml'] as const;

export const releaseArtifacts: ReleaseRule = {
  id: 'RELEASE_ARTIFACTS',
  severity: 'error',
  summary:
    'The buildspec of a release lists imageDetail.json, taskdef.json and appspec.yaml among its artifact files.',
  check({ buildspec }) {
    if (!buildspec || !isRecord(buildspec.value)) return [];
    const artifacts = buildspec.value.artifacts;
    const files =
      isRecord(artifacts) && Array.isArray(artifacts.files)
        ? artifacts.files.filter((file) => typeof file === 'string')
        : [];
    const missing = RELEASE_FILES.filter(
      (name) =>
        !files.some(
          (file) => file === name || file.endsWith(`/${name}`) || file === '**/*' || file === '*',
        ),
    );
    if (missing.length === 0) return [];
    return [
      finding(
        buildspec,
        isRecord(artifacts) ? ['artifacts', 'files'] : [],
        this.id,
        `a CodeDeployToECS release reads ${missing.join(', ')} from the build artifact: add ${missing.length > 1 ? 'them' : 'it'} to artifacts.files`,
      ),
    ];
  },
};

export const RELEASE_RULES: readonly ReleaseRule[] = [
  releaseContainerName,
  releaseContainerPort,
  releaseDockerfileExpose,
  releaseArtifacts,
];

/** Runs every cross-document rule over a release. */
export function checkRelease(documents: ReleaseDocuments): Finding[] {
  return RELEASE_RULES.flatMap((rule) => rule.check(documents));
}
