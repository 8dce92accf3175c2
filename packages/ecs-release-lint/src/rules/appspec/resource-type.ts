import { documentRule, isRecord, records, type RuleHit } from '../../core/rule.js';
import { APPSPEC_ECS_DOCS, targetServices } from './appspec.js';

/** Lifecycle events of an EC2/On-Premises AppSpec's `hooks` map. */
const EC2_EVENTS =
  /^(ApplicationStop|BeforeBlockTraffic|AfterBlockTraffic|DownloadBundle|BeforeInstall|Install|AfterInstall|ApplicationStart|ValidateService|BeforeAllowTraffic|AfterAllowTraffic)$/;

/**
 * An AppSpec for another compute platform (Lambda, or EC2/On-Premises),
 * which this package does not check: one hit that says so instead of a list
 * of ECS fields it lacks. Reads the normalized AppSpec (keys in documented case).
 */
export function foreignAppSpec(document: unknown): RuleHit | undefined {
  if (!isRecord(document)) return undefined;
  const only =
    'ecs-release-lint checks only ECS AppSpecs (one TargetService of Type AWS::ECS::Service)';
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
  if ('Resources' in document) return undefined;
  // EC2/On-Premises AppSpecs have os and files, and hooks as a map of events (ECS lists them).
  const ec2 =
    ['os', 'files', 'permissions'].find((key) => key in document) ??
    (isRecord(document.Hooks) && Object.keys(document.Hooks).some((event) => EC2_EVENTS.test(event))
      ? 'hooks'
      : undefined);
  if (ec2 === undefined) return undefined;
  return {
    path: [ec2 === 'hooks' ? 'Hooks' : ec2],
    at: 'key',
    message: `this is an AppSpec for EC2/On-Premises deployments ("${ec2}"); ${only}`,
  };
}

export const appspecResourceType = documentRule(
  {
    id: 'APPSPEC_RESOURCE_TYPE',
    kind: 'appspec',
    severity: 'error',
    summary:
      'Resources holds exactly one TargetService of Type AWS::ECS::Service (a Lambda or EC2/On-Premises AppSpec is reported once as not supported).',
    why: 'An ECS deployment updates one service: CodeDeploy rejects an AppSpec with another resource type or several targets, and an AppSpec written for EC2 or Lambda deploys nothing to ECS.',
    reference: APPSPEC_ECS_DOCS,
  },
  (document) => {
    if (!isRecord(document)) return [];
    const foreign = foreignAppSpec(document);
    if (foreign) return [foreign];
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
      for (const key of Object.keys(resource).filter((name) => name !== 'TargetService')) {
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
);
