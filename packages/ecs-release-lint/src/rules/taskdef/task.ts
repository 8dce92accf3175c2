export { containers, task } from '../../access/taskdef.js';

export const TASKDEF_API =
  'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html';
export const CONTAINER_API =
  'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html';
