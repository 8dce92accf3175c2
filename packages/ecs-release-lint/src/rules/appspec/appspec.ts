export { targetServices } from '../../access/appspec.js';

export const APPSPEC_ECS_DOCS =
  'https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-resources.html#reference-appspec-file-structure-resources-ecs';
