import { isRecord, records } from '../../core/rule.js';

export const TASKDEF_API =
  'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html';
export const CONTAINER_API =
  'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html';

export const isFargate = (document: Record<string, unknown>): boolean =>
  Array.isArray(document.requiresCompatibilities) &&
  document.requiresCompatibilities.includes('FARGATE');

export const containers = (document: unknown) =>
  isRecord(document) ? records(document.containerDefinitions) : [];
