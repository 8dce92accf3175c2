import { appspec, resources } from '../../access/appspec.js';
import { fieldsOf, listAt, mappingAt } from '../../access/node.js';
import {
  documentRule,
  type DocumentKind,
  type RuleHit,
  type SpecDocument,
} from '../../core/rule.js';
import { APPSPEC_ECS_DOCS, targetServices } from './appspec.js';

const ONLY =
  'ecs-release-lint checks only ECS AppSpecs (one TargetService of Type AWS::ECS::Service)';

/** Lifecycle events of an EC2/On-Premises AppSpec's `hooks` map. */
const EC2_EVENTS =
  /^(ApplicationStop|BeforeBlockTraffic|AfterBlockTraffic|DownloadBundle|BeforeInstall|Install|AfterInstall|ApplicationStart|ValidateService|BeforeAllowTraffic|AfterAllowTraffic)$/;

/**
 * An AppSpec for another compute platform (Lambda, or EC2/On-Premises),
 * which this package does not check: one hit that says so instead of a list
 * of ECS fields it lacks. Reads the normalized AppSpec (keys in documented case).
 */
export function foreignAppSpec(document: unknown): RuleHit | undefined {
  const root = appspec(document);
  if (root === undefined) return undefined;
  for (const resource of resources(document)) {
    for (const [name, value] of Object.entries(resource.fields)) {
      if (fieldsOf(value)?.Type === 'AWS::Lambda::Function') {
        return {
          path: [...resource.path, name, 'Type'],
          messageId: 'lambda',
        };
      }
    }
  }
  if ('Resources' in root.fields) return undefined;
  // EC2/On-Premises AppSpecs have os and files, and hooks as a map of events (ECS lists them).
  const events = mappingAt(root, 'Hooks');
  const ec2 =
    ['os', 'files', 'permissions'].find((key) => key in root.fields) ??
    (events !== undefined && Object.keys(events.fields).some((event) => EC2_EVENTS.test(event))
      ? 'hooks'
      : undefined);
  if (ec2 === undefined) return undefined;
  return {
    path: [ec2 === 'hooks' ? 'Hooks' : ec2],
    at: 'key',
    messageId: 'onPremises',
    data: { key: ec2 },
  };
}

/**
 * The precondition of the rules that read an AppSpec as an ECS one: it is not another
 * platform's (APPSPEC_RESOURCE_TYPE says once that such a file is not checked).
 */
export const ecsAppSpecOnly = (document: SpecDocument, kind: DocumentKind): boolean =>
  kind !== 'appspec' || foreignAppSpec(document.value) === undefined;

export const appspecResourceType = documentRule(
  {
    id: 'APPSPEC_RESOURCE_TYPE',
    kind: 'appspec',
    severity: 'error',
    messages: {
      lambda: `this is an AppSpec for AWS Lambda deployments; ${ONLY}`,
      onPremises: `this is an AppSpec for EC2/On-Premises deployments ("{{key}}"); ${ONLY}`,
      noResources:
        'the AppSpec needs Resources: a list with one TargetService of Type AWS::ECS::Service',
      resourceCount:
        'an ECS AppSpec lists exactly one resource, the TargetService; found {{resources}} resource(s) with {{services}} TargetService',
      resourceName: '"{{key}}" is not an ECS resource name; name the resource TargetService',
      noServiceType: "the TargetService's Type must be AWS::ECS::Service; add it",
      serviceType: "the TargetService's Type must be AWS::ECS::Service, not {{type}}",
    },
    summary:
      'Resources holds exactly one TargetService of Type AWS::ECS::Service (a Lambda or EC2/On-Premises AppSpec is reported once as not supported).',
    why: 'An ECS deployment updates one service: CodeDeploy rejects an AppSpec with another resource type or several targets, and an AppSpec written for EC2 or Lambda deploys nothing to ECS.',
    reference: APPSPEC_ECS_DOCS,
  },
  (document) => {
    const root = appspec(document);
    if (root === undefined) return [];
    const foreign = foreignAppSpec(document);
    if (foreign) return [foreign];
    const list = listAt(root, 'Resources');
    if (list === undefined) {
      return root.fields.Resources === undefined
        ? [
            {
              path: ['Resources'],
              messageId: 'noResources',
            },
          ]
        : [];
    }
    const hits: RuleHit[] = [];
    const services = targetServices(document);
    if (services.length !== 1 || list.length !== 1) {
      hits.push({
        path: ['Resources'],
        messageId: 'resourceCount',
        data: { resources: list.length, services: services.length },
      });
    }
    for (const resource of resources(document)) {
      for (const key of Object.keys(resource.fields).filter((name) => name !== 'TargetService')) {
        hits.push({
          path: [...resource.path, key],
          at: 'key',
          messageId: 'resourceName',
          data: { key },
        });
      }
    }
    for (const service of services) {
      if (service.type !== 'AWS::ECS::Service') {
        const path = [...service.path, 'Type'];
        hits.push(
          service.type === undefined
            ? { path, messageId: 'noServiceType' }
            : { path, messageId: 'serviceType', data: { type: JSON.stringify(service.type) } },
        );
      }
    }
    return hits;
  },
);
