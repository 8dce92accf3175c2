// Imported stand-ins for what a construct receives from the others, so each
// construct is tested in a stack of its own (as aws-cdk-lib's own tests do).
import { Stack } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { newApp } from './support.js';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-2';
const elb = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}`;

/** A stack of its own, in the region of the staging config, with cdk.json's feature flags. */
export function constructStack(id = 'ConstructTest'): Stack {
  return new Stack(newApp(), id, { env: { region: REGION } });
}

export const LOAD_BALANCER_ARN = `${elb}:loadbalancer/app/web/50dc6c495c0c9188`;
export const LOAD_BALANCER_SECURITY_GROUP_ID = 'sg-0loadbalancer';
export const BLUE_TARGET_GROUP_ARN = `${elb}:targetgroup/blue/73e2d6bc24d8a067`;
export const GREEN_TARGET_GROUP_ARN = `${elb}:targetgroup/green/8a067973e2d6bc24`;
export const PRODUCTION_LISTENER_ARN = `${elb}:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2`;
export const TEST_LISTENER_ARN = `${elb}:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65`;
export const CLUSTER_NAME = 'webapp-color';
export const SERVICE_NAME = 'webapp-color';
export const APPLICATION_NAME = 'webapp-color';
export const DEPLOYMENT_GROUP_NAME = 'webapp-color-bluegreen';
export const EXECUTION_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/webapp-color-execution`;
export const TASK_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/webapp-color-task`;
export const REPOSITORY_NAME = 'webapp-color';

export function importedVpc(scope: Stack): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(scope, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidrBlock: '10.1.0.0/16',
    availabilityZones: [`${REGION}a`, `${REGION}b`],
    publicSubnetIds: ['subnet-0public0a', 'subnet-0public0b'],
    privateSubnetIds: ['subnet-0private0a', 'subnet-0private0b'],
  });
}

export function importedLoadBalancer(scope: Stack, vpc: ec2.IVpc = importedVpc(scope)) {
  return elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(
    scope,
    'LoadBalancer',
    {
      loadBalancerArn: LOAD_BALANCER_ARN,
      securityGroupId: LOAD_BALANCER_SECURITY_GROUP_ID,
      loadBalancerDnsName: 'web-1234567890.us-east-2.elb.amazonaws.com',
      vpc,
    },
  );
}

/** Blue and green, as imported target groups of the load balancer (metrics need it). */
export function importedTargetGroups(scope: Stack) {
  const targetGroup = (id: string, targetGroupArn: string) =>
    elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(scope, id, {
      targetGroupArn,
      loadBalancerArns: LOAD_BALANCER_ARN,
    });
  return {
    blueTargetGroup: targetGroup('Blue', BLUE_TARGET_GROUP_ARN),
    greenTargetGroup: targetGroup('Green', GREEN_TARGET_GROUP_ARN),
  };
}

export function importedListeners(scope: Stack) {
  const securityGroup = ec2.SecurityGroup.fromSecurityGroupId(
    scope,
    'ListenerSecurityGroup',
    LOAD_BALANCER_SECURITY_GROUP_ID,
  );
  const listener = (id: string, listenerArn: string) =>
    elbv2.ApplicationListener.fromApplicationListenerAttributes(scope, id, {
      listenerArn,
      securityGroup,
    });
  return {
    productionListener: listener('Production', PRODUCTION_LISTENER_ARN),
    testListener: listener('Test', TEST_LISTENER_ARN),
  };
}

export function importedService(scope: Stack, vpc: ec2.IVpc = importedVpc(scope)) {
  const cluster = ecs.Cluster.fromClusterAttributes(scope, 'Cluster', {
    clusterName: CLUSTER_NAME,
    vpc,
  });
  return ecs.FargateService.fromFargateServiceAttributes(scope, 'Service', {
    cluster,
    serviceName: SERVICE_NAME,
  });
}

export function importedDeployment(scope: Stack) {
  const application = codedeploy.EcsApplication.fromEcsApplicationName(
    scope,
    'Application',
    APPLICATION_NAME,
  );
  const deploymentGroup = codedeploy.EcsDeploymentGroup.fromEcsDeploymentGroupAttributes(
    scope,
    'DeploymentGroup',
    { application, deploymentGroupName: DEPLOYMENT_GROUP_NAME },
  );
  return { application, deploymentGroup };
}

export function importedTaskRoles(scope: Stack) {
  return {
    executionRole: iam.Role.fromRoleArn(scope, 'ExecutionRole', EXECUTION_ROLE_ARN),
    taskRole: iam.Role.fromRoleArn(scope, 'TaskRole', TASK_ROLE_ARN),
  };
}

export function importedRepository(scope: Stack): ecr.IRepository {
  return ecr.Repository.fromRepositoryName(scope, 'Repository', REPOSITORY_NAME);
}
