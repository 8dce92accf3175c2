import { CONTAINER_LEVEL_FIELDS } from '../models/taskdef.js';
import {
  cpuUnits,
  describeFargateMemory,
  FARGATE_MEMORY_BY_CPU,
  isFargateSize,
} from '../models/fargate.js';
import { isRecord, records, type DocumentRule, type RuleHit } from './rule.js';

const isFargate = (document: Record<string, unknown>): boolean =>
  Array.isArray(document.requiresCompatibilities) &&
  document.requiresCompatibilities.includes('FARGATE');

const containers = (document: unknown) =>
  isRecord(document) ? records(document.containerDefinitions) : [];

export const taskdefFargateCpuMemory: DocumentRule = {
  id: 'TASKDEF_FARGATE_CPU_MEMORY',
  kind: 'taskdef',
  severity: 'error',
  summary: 'A Fargate task sets task-level cpu and memory (strings) to a pair Fargate offers.',
  check(document) {
    if (!isRecord(document) || !isFargate(document)) return [];
    const { cpu, memory } = document;
    const cpus = Object.keys(FARGATE_MEMORY_BY_CPU).join(', ');
    if (typeof cpu !== 'string' || typeof memory !== 'string') {
      const missing = typeof cpu !== 'string' ? 'cpu' : 'memory';
      if (document[missing] !== undefined && typeof document[missing] !== 'string') {
        return [
          {
            path: [missing],
            message: `${missing} must be a string such as "${missing === 'cpu' ? '256' : '512'}" (the ECS API takes strings)`,
          },
        ];
      }
      return [
        {
          path: [missing],
          message: `a Fargate task needs task-level cpu and memory (strings); add "${missing}"${missing === 'cpu' ? ` (${cpus})` : ''}`,
        },
      ];
    }
    if (cpuUnits(cpu) === undefined || FARGATE_MEMORY_BY_CPU[String(cpuUnits(cpu))] === undefined) {
      return [{ path: ['cpu'], message: `Fargate has no cpu "${cpu}"; use one of ${cpus}` }];
    }
    if (!isFargateSize(cpu, memory)) {
      return [
        {
          path: ['memory'],
          message: `Fargate has no task with cpu "${cpu}" and memory "${memory}"; with cpu ${cpu} use memory ${describeFargateMemory(cpu)}`,
        },
      ];
    }
    return [];
  },
};

export const taskdefFargateAwsvpc: DocumentRule = {
  id: 'TASKDEF_FARGATE_AWSVPC',
  kind: 'taskdef',
  severity: 'error',
  summary: 'A Fargate task uses networkMode awsvpc.',
  check(document) {
    if (!isRecord(document) || !isFargate(document) || document.networkMode === 'awsvpc') return [];
    return document.networkMode === undefined
      ? [{ path: ['networkMode'], message: 'a Fargate task needs "networkMode": "awsvpc"; add it' }]
      : [
          {
            path: ['networkMode'],
            message: `Fargate supports only networkMode "awsvpc", not ${JSON.stringify(document.networkMode)}`,
          },
        ];
  },
};

export const taskdefContainerFieldAtTaskLevel: DocumentRule = {
  id: 'TASKDEF_CONTAINER_FIELD_AT_TASK_LEVEL',
  kind: 'taskdef',
  severity: 'error',
  summary:
    'Container fields (mountPoints, portMappings, healthCheck, logConfiguration, image …) sit inside a containerDefinitions entry, not at task level.',
  check(document) {
    if (!isRecord(document)) return [];
    return Object.keys(document)
      .filter((key) => CONTAINER_LEVEL_FIELDS.includes(key))
      .map((key): RuleHit => ({
        path: [key],
        at: 'key',
        message: `"${key}" belongs to a container: move it into the container's entry of containerDefinitions (at task level ECS ignores or rejects it)`,
      }));
  },
};

export const taskdefEssentialContainer: DocumentRule = {
  id: 'TASKDEF_ESSENTIAL_CONTAINER',
  kind: 'taskdef',
  severity: 'error',
  summary: 'At least one container is essential, and every container has a unique name.',
  check(document) {
    const list = containers(document);
    if (!isRecord(document) || !Array.isArray(document.containerDefinitions)) return [];
    if (document.containerDefinitions.length === 0) {
      return [
        {
          path: ['containerDefinitions'],
          message: 'containerDefinitions is empty; add the container that runs the app',
        },
      ];
    }
    const hits: RuleHit[] = [];
    if (list.length > 0 && list.every(([, container]) => container.essential === false)) {
      hits.push({
        path: ['containerDefinitions', 0, 'essential'],
        message:
          'no container is essential; set "essential": true on the container that runs the app (ECS requires one)',
      });
    }
    const seen = new Map<string, number>();
    for (const [index, container] of list) {
      if (container.name === undefined) {
        hits.push({
          path: ['containerDefinitions', index, 'name'],
          message: 'this container has no "name"; give it one (the AppSpec and logs refer to it)',
        });
      } else if (typeof container.name === 'string') {
        if (seen.has(container.name)) {
          hits.push({
            path: ['containerDefinitions', index, 'name'],
            message: `container name "${container.name}" is used twice; names must be unique`,
          });
        }
        seen.set(container.name, index);
      }
    }
    return hits;
  },
};

export const taskdefHealthCheckCommand: DocumentRule = {
  id: 'TASKDEF_HEALTHCHECK_COMMAND',
  kind: 'taskdef',
  severity: 'error',
  summary: 'healthCheck.command is ["CMD", exe, args…] or ["CMD-SHELL", "one command string"].',
  check(document) {
    const hits: RuleHit[] = [];
    for (const [index, container] of containers(document)) {
      if (!isRecord(container.healthCheck)) continue;
      const command = container.healthCheck.command;
      const path = ['containerDefinitions', index, 'healthCheck', 'command'];
      if (!Array.isArray(command) || command.some((part) => typeof part !== 'string')) continue;
      const [form, ...rest] = command as string[];
      if (form === 'CMD') {
        if (rest.length === 0)
          hits.push({
            path,
            message: '"CMD" needs the executable after it, e.g. ["CMD", "node", "healthcheck.js"]',
          });
      } else if (form === 'CMD-SHELL') {
        if (rest.length !== 1) {
          hits.push({
            path,
            message: `"CMD-SHELL" takes exactly one command string, e.g. ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]; got ${rest.length}`,
          });
        }
      } else {
        hits.push({
          path: [...path, 0],
          message: `the health-check command starts with "CMD" or "CMD-SHELL", not ${JSON.stringify(form)}; e.g. ["CMD-SHELL", ${JSON.stringify(command.join(' '))}]`,
        });
      }
    }
    return hits;
  },
};

const AWSLOGS_REQUIRED = ['awslogs-group', 'awslogs-region', 'awslogs-stream-prefix'] as const;

export const taskdefAwslogsOptions: DocumentRule = {
  id: 'TASKDEF_AWSLOGS_OPTIONS',
  kind: 'taskdef',
  severity: 'error',
  summary:
    'An awslogs log configuration sets awslogs-group, awslogs-region and awslogs-stream-prefix.',
  check(document) {
    const hits: RuleHit[] = [];
    for (const [index, container] of containers(document)) {
      const logs = container.logConfiguration;
      if (!isRecord(logs) || logs.logDriver !== 'awslogs') continue;
      const options = isRecord(logs.options) ? logs.options : {};
      const missing = AWSLOGS_REQUIRED.filter(
        (name) => typeof options[name] !== 'string' || options[name] === '',
      );
      if (missing.length > 0) {
        hits.push({
          path: [
            'containerDefinitions',
            index,
            'logConfiguration',
            ...(isRecord(logs.options) ? ['options'] : []),
          ],
          message: `the awslogs driver needs ${missing.map((name) => `"${name}"`).join(', ')} in logConfiguration.options (Fargate requires the stream prefix)`,
        });
      }
    }
    return hits;
  },
};

const PLACEHOLDER_IMAGE = /^<IMAGE\d+_NAME>$/;
// registry host (has a dot or a port, or is localhost) / repository path, then :tag or @digest.
const FULL_IMAGE_URI =
  /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?|localhost(?::\d+)?|[a-z0-9-]+:\d+)\/[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/;
const SHORT_IMAGE =
  /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})?$/;

export const taskdefImageReference: DocumentRule = {
  id: 'TASKDEF_IMAGE_REFERENCE',
  kind: 'taskdef',
  severity: 'error',
  summary:
    'The image is <IMAGE1_NAME> (filled by CodeDeployToECS) or a full image URI with registry and tag or digest.',
  check(document) {
    const hits: RuleHit[] = [];
    for (const [index, container] of containers(document)) {
      const image = container.image;
      const path = ['containerDefinitions', index, 'image'];
      if (image === undefined) {
        hits.push({
          path: ['containerDefinitions', index, 'image'],
          message:
            'this container has no "image"; use "<IMAGE1_NAME>" for the pipeline to fill, or a full image URI',
        });
        continue;
      }
      if (typeof image !== 'string' || PLACEHOLDER_IMAGE.test(image) || FULL_IMAGE_URI.test(image))
        continue;
      if (/^<.*>$/.test(image)) continue; // reported as an unfilled placeholder
      if (SHORT_IMAGE.test(image)) {
        hits.push({
          path,
          severity: 'warning',
          message: `"${image}" leaves the registry and ${image.includes(':') || image.includes('@') ? 'host implicit (Docker Hub)' : 'tag implicit (Docker Hub, :latest)'}; use "<IMAGE1_NAME>" or a full URI such as public.ecr.aws/docker/library/${image.includes(':') ? image : `${image}:<tag>`}`,
        });
      } else {
        hits.push({
          path,
          message: `"${image}" is not an image reference; use "<IMAGE1_NAME>" or a full URI such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0`,
        });
      }
    }
    return hits;
  },
};

export const taskdefAwsvpcPorts: DocumentRule = {
  id: 'TASKDEF_AWSVPC_HOST_PORT',
  kind: 'taskdef',
  severity: 'error',
  summary: 'With awsvpc, a port mapping has no hostPort or one equal to its containerPort.',
  check(document) {
    if (!isRecord(document) || document.networkMode !== 'awsvpc') return [];
    const hits: RuleHit[] = [];
    for (const [index, container] of containers(document)) {
      for (const [portIndex, mapping] of records(container.portMappings)) {
        if (mapping.hostPort !== undefined && mapping.hostPort !== mapping.containerPort) {
          hits.push({
            path: ['containerDefinitions', index, 'portMappings', portIndex, 'hostPort'],
            message: `with awsvpc the hostPort must equal the containerPort (${String(mapping.containerPort)}); remove hostPort`,
          });
        }
      }
    }
    return hits;
  },
};

export const taskdefRules: readonly DocumentRule[] = [
  taskdefFargateCpuMemory,
  taskdefFargateAwsvpc,
  taskdefContainerFieldAtTaskLevel,
  taskdefEssentialContainer,
  taskdefHealthCheckCommand,
  taskdefAwslogsOptions,
  taskdefImageReference,
  taskdefAwsvpcPorts,
];
