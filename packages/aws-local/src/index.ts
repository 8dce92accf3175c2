export { startAwsStandIn, type AwsStandIn, type AwsStandInOptions } from './server.js';
export { sha256 } from './services/codedeploy.js';
export {
  taskDefinitionArn,
  type AwsCall,
  type AwsWorld,
  type HookReport,
  type WorldDeployment,
  type WorldImage,
  type WorldRepository,
  type WorldNetworkInterface,
  type WorldService,
  type WorldTaskDefinition,
  type WorldCertificate,
  type WorldConnection,
  type WorldDeploymentGroup,
  type WorldHostedZone,
  type WorldLoadBalancer,
  type WorldPipeline,
  type WorldStack,
  type WorldStackResource,
  type WorldSubscription,
  type WorldTopic,
} from './world.js';
