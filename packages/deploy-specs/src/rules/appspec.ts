import { ECS_HOOK_NAMES } from '../models/appspec.js';
import { closest } from '../private/suggest.js';
import { isRecord, records, type DocumentRule, type RuleHit } from './rule.js';

const targetServices = (document: unknown): [number, Record<string, unknown>][] =>
  isRecord(document)
    ? records(document.Resources).flatMap(
        ([index, resource]): [number, Record<string, unknown>][] =>
          isRecord(resource.TargetService) ? [[index, resource.TargetService]] : [],
      )
    : [];

const properties = (service: Record<string, unknown>) =>
  isRecord(service.Properties) ? service.Properties : undefined;

/**
 * An AppSpec for another compute platform (Lambda, or EC2/On-Premises),
 * which this package does not check: one finding that says so instead of a
 * list of ECS fields it lacks.
 */
export function foreignAppSpec(document: unknown): RuleHit | undefined {
  if (!isRecord(document)) return undefined;
  const only =
    'deploy-specs checks only ECS AppSpecs (one TargetService of Type AWS::ECS::Service)';
  for (const [index, resource] of records(document.Resources)) {
    for (const [name, value] of Object.entries(resource)) {
      if (isRecord(value) && value.Type === 'AWS::Lambda::Function') {
        return {
          path: ['Resources', index, name, 'Type'],
          message: `this is an AppSpec for AWS Lambda deployments; ${only}`,
        };
      }
    }
  }
  const ec2 = ['os', 'files', 'hooks', 'permissions'].find((key) => key in document);
  if (ec2 !== undefined && !('Resources' in document)) {
    return {
      path: [ec2],
      at: 'key',
      message: `this is an AppSpec for EC2/On-Premises deployments ("${ec2}"); ${only}`,
    };
  }
  return undefined;
}

export const appspecVersion: DocumentRule = {
  id: 'APPSPEC_VERSION',
  kind: 'appspec',
  severity: 'error',
  summary: 'version is 0.0.',
  check(document) {
    if (!isRecord(document)) return [];
    const { version } = document;
    if (version === 0 || version === '0.0') return [];
    return version === undefined
      ? [{ path: ['version'], message: 'the AppSpec needs "version: 0.0"; add it' }]
      : [
          {
            path: ['version'],
            message: `an ECS AppSpec has version 0.0, not ${JSON.stringify(version)}`,
          },
        ];
  },
};

export const appspecResourceType: DocumentRule = {
  id: 'APPSPEC_RESOURCE_TYPE',
  kind: 'appspec',
  severity: 'error',
  summary:
    'Resources holds exactly one TargetService of Type AWS::ECS::Service (a Lambda or EC2/On-Premises AppSpec is reported once as not supported).',
  check(document) {
    if (!isRecord(document)) return [];
    if (!Array.isArray(document.Resources)) {
      return document.Resources === undefined
        ? [
            {
              path: ['Resources'],
              message:
                'the AppSpec needs Resources: a list with one TargetService of Type AWS::ECS::Service',
            },
          ]
        : [];
    }
    const hits: RuleHit[] = [];
    const services = targetServices(document);
    if (services.length !== 1 || document.Resources.length !== 1) {
      hits.push({
        path: ['Resources'],
        message: `an ECS AppSpec lists exactly one resource, the TargetService; found ${document.Resources.length} resource(s) with ${services.length} TargetService`,
      });
    }
    for (const [index, resource] of records(document.Resources)) {
      const others = Object.keys(resource).filter((key) => key !== 'TargetService');
      for (const key of others) {
        hits.push({
          path: ['Resources', index, key],
          at: 'key',
          message: `"${key}" is not an ECS resource name; name the resource TargetService`,
        });
      }
    }
    for (const [index, service] of services) {
      if (service.Type !== 'AWS::ECS::Service') {
        hits.push({
          path: ['Resources', index, 'TargetService', 'Type'],
          message: `the TargetService's Type must be AWS::ECS::Service${service.Type === undefined ? '; add it' : `, not ${JSON.stringify(service.Type)}`}`,
        });
      }
    }
    return hits;
  },
};

export const appspecHookName: DocumentRule = {
  id: 'APPSPEC_HOOK_NAME',
  kind: 'appspec',
  severity: 'error',
  summary: `Each Hooks entry is a one-key map whose key is an ECS hook (${ECS_HOOK_NAMES.join(', ')}).`,
  check(document) {
    if (!isRecord(document) || !Array.isArray(document.Hooks)) return [];
    const hits: RuleHit[] = [];
    for (const [index, hook] of document.Hooks.entries()) {
      if (!isRecord(hook) || Object.keys(hook).length !== 1) {
        hits.push({
          path: ['Hooks', index],
          message: 'each hook is a map with one key, e.g. "- AfterAllowTestTraffic: my-smoke-test"',
        });
        continue;
      }
      const [name] = Object.keys(hook) as [string];
      if (!(ECS_HOOK_NAMES as readonly string[]).includes(name)) {
        const close = closest(name, ECS_HOOK_NAMES);
        hits.push({
          path: ['Hooks', index, name],
          at: 'key',
          message: `"${name}" is not an ECS hook; ${close ? `did you mean ${close}? ` : ''}use one of ${ECS_HOOK_NAMES.join(', ')}`,
        });
      }
    }
    return hits;
  },
};

export const appspecDuplicateHook: DocumentRule = {
  id: 'APPSPEC_DUPLICATE_HOOK',
  kind: 'appspec',
  severity: 'error',
  summary: 'Each hook name appears at most once in Hooks.',
  check(document) {
    if (!isRecord(document)) return [];
    const seen = new Set<string>();
    const hits: RuleHit[] = [];
    for (const [index, hook] of records(document.Hooks)) {
      for (const name of Object.keys(hook)) {
        if (seen.has(name)) {
          hits.push({
            path: ['Hooks', index, name],
            at: 'key',
            message: `the ${name} hook is listed twice; keep one (CodeDeploy runs one function per hook)`,
          });
        }
        seen.add(name);
      }
    }
    return hits;
  },
};

export const appspecContainerPort: DocumentRule = {
  id: 'APPSPEC_CONTAINER_PORT_NUMBER',
  kind: 'appspec',
  severity: 'error',
  summary: 'LoadBalancerInfo.ContainerPort is a number (1-65535), not a string.',
  check(document) {
    const hits: RuleHit[] = [];
    for (const [index, service] of targetServices(document)) {
      const info = properties(service)?.LoadBalancerInfo;
      if (!isRecord(info) || info.ContainerPort === undefined) continue;
      const port = info.ContainerPort;
      const path = [
        'Resources',
        index,
        'TargetService',
        'Properties',
        'LoadBalancerInfo',
        'ContainerPort',
      ];
      if (typeof port === 'string') {
        hits.push({
          path,
          message: `ContainerPort must be a number: write ${/^\d+$/.test(port) ? port : 'the port'} without quotes`,
        });
      } else if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
        hits.push({
          path,
          message: `ContainerPort must be a whole number from 1 to 65535, not ${JSON.stringify(port)}`,
        });
      }
    }
    return hits;
  },
};

export const appspecAssignPublicIp: DocumentRule = {
  id: 'APPSPEC_ASSIGN_PUBLIC_IP',
  kind: 'appspec',
  severity: 'error',
  summary: 'NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp is ENABLED or DISABLED.',
  check(document) {
    const hits: RuleHit[] = [];
    for (const [index, service] of targetServices(document)) {
      const network = properties(service)?.NetworkConfiguration;
      const awsvpc = isRecord(network) ? network.AwsvpcConfiguration : undefined;
      if (!isRecord(awsvpc) || awsvpc.AssignPublicIp === undefined) continue;
      const value = awsvpc.AssignPublicIp;
      if (value === 'ENABLED' || value === 'DISABLED') continue;
      const hint =
        value === true || value === 'true' || value === 'yes'
          ? 'ENABLED'
          : value === false || value === 'false' || value === 'no'
            ? 'DISABLED'
            : 'ENABLED or DISABLED';
      hits.push({
        path: [
          'Resources',
          index,
          'TargetService',
          'Properties',
          'NetworkConfiguration',
          'AwsvpcConfiguration',
          'AssignPublicIp',
        ],
        message: `AssignPublicIp is "ENABLED" or "DISABLED", not ${JSON.stringify(value)}; write ${hint}`,
      });
    }
    return hits;
  },
};

export const appspecRules: readonly DocumentRule[] = [
  appspecVersion,
  appspecResourceType,
  appspecHookName,
  appspecDuplicateHook,
  appspecContainerPort,
  appspecAssignPublicIp,
];
