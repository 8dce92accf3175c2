import { isRecord, records } from '../../core/rule.js';

export const APPSPEC_ECS_DOCS =
  'https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-resources.html#reference-appspec-file-structure-resources-ecs';

export const targetServices = (document: unknown): [number, Record<string, unknown>][] =>
  isRecord(document)
    ? records(document.Resources).flatMap(
        ([index, resource]): [number, Record<string, unknown>][] =>
          isRecord(resource.TargetService) ? [[index, resource.TargetService]] : [],
      )
    : [];

export const properties = (service: Record<string, unknown>) =>
  isRecord(service.Properties) ? service.Properties : undefined;

/** A minimal valid ECS AppSpec for examples, with parts replaced. */
export function appSpecExample({
  version = '0.0',
  container = 'ContainerName: web\n          ContainerPort: 80',
  extra = '',
  hooks = 'Hooks:\n  - AfterAllowTestTraffic: web-smoke-test\n',
} = {}): string {
  return `version: ${version}\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: <TASK_DEFINITION>\n        LoadBalancerInfo:\n          ${container}${extra}\n${hooks}`;
}
