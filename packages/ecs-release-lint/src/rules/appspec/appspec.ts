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
