import { CustomResource, type CfnResource } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import {
  SERVICE_LOGICAL_ID_PROPERTY,
  SERVICE_SHAPE_RESOURCE_TYPE,
  type ServiceShape,
} from '../../lambda/live-traffic/service-shape.js';

export interface ServiceShapeGuardProps {
  /** The guards' custom-resource provider (LiveTrafficGuard.serviceToken). */
  readonly serviceToken: string;
  /** The CODE_DEPLOY service whose shape is fixed at creation. */
  readonly service: ecs.FargateService;
  /** The VPC the service's subnets, security group and target groups are cut from. */
  readonly vpc: ec2.IVpc;
  /** The settings that reach the service's NetworkConfiguration or LoadBalancers. */
  readonly shape: ServiceShape;
}

/**
 * A custom resource holding the settings a CODE_DEPLOY service can never
 * take in place (lambda/live-traffic/service-shape.ts), as literals, so
 * CloudFormation calls it exactly when one of them changes: it then fails
 * the update with a message naming the setting, its deployed value and the
 * new one. The VPC (and so its subnets, the security groups and the target
 * groups cut from it) and the service depend on it, so the refusal comes
 * before any of them changes.
 */
export class ServiceShapeGuard extends Construct {
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: ServiceShapeGuardProps) {
    super(scope, id);
    const cfnService = props.service.node.defaultChild as CfnResource;
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: props.serviceToken,
      resourceType: SERVICE_SHAPE_RESOURCE_TYPE,
      properties: {
        ...props.shape,
        [SERVICE_LOGICAL_ID_PROPERTY]: cfnService.logicalId,
      },
    });
    const guard = this.resource.node.defaultChild as CfnResource;
    cfnService.addResourceDependency(guard);
    (props.vpc.node.defaultChild as CfnResource).addResourceDependency(guard);
  }
}
