import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { taskDefinitionFor } from '@webapp-color/deploy-specs';
import type { NativeDeployment } from '../../config/index.js';
import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { Construct } from 'constructs';
import { cloudFormationProperties } from '../cloudformation-case.js';
import { pinLogicalId } from '../pin.js';
import { retentionDays } from '../retention.js';

export interface ServiceProps {
  readonly vpc: ec2.IVpc;
  /** The single source of truth for container, task and log settings. */
  readonly definition: DeliveryDefinition;
  /** Task-definition family; the release render step registers revisions in it (TASK_FAMILY). */
  readonly taskFamily: string;
  /** Image of the bootstrap revision (the first one, before any release). */
  readonly bootstrapImage: ecs.ContainerImage;
  /** The release image repository: the execution role may pull from it. */
  readonly repository: ecr.IRepository;
  /** The load balancer's security group: the only source allowed on the container port. */
  readonly loadBalancerSecurityGroup: ec2.ISecurityGroup;
  /** The service starts attached to blue; CodeDeploy alternates with green. */
  readonly blueTargetGroup: elbv2.IApplicationTargetGroup;
  readonly greenTargetGroup: elbv2.IApplicationTargetGroup;
  readonly minCount: number;
  readonly maxCount: number;
  readonly cpuTargetPercent: number;
  readonly requestsPerTargetPerMinute: number;
  /**
   * Put the service under the ECS deployment controller with this strategy
   * and bake time, its traffic moved by these listener rules.
   * @default the CODE_DEPLOY controller: CodeDeploy moves the listeners
   */
  readonly native?: NativeServiceDeployment;
  /**
   * Fixed physical names, for an environment another environment's pipeline
   * deploys (its build renders this environment's release with them;
   * config/names.ts). @default names CloudFormation generates
   */
  readonly names?: ServiceNames;
}

/** The physical names of what a promoting pipeline's release names or deploys to. */
export interface ServiceNames {
  readonly cluster: string;
  readonly service: string;
  readonly taskRole: string;
  readonly executionRole: string;
  readonly logGroup: string;
}

/** The ECS controller's settings of the service (config/ecs-deployment.ts renders the first). */
export interface NativeServiceDeployment {
  readonly deployment: NativeDeployment;
  /** The production listener's rule: ECS shifts its weights from blue to green. */
  readonly productionRule: elbv2.ApplicationListenerRule;
  /** The test listener's rule: ECS points it at green before production moves. */
  readonly testRule: elbv2.ApplicationListenerRule;
}

/**
 * APP_VERSION of the bootstrap revision (the release sets the commit id):
 * the page, /version and /healthz then say which revision answers.
 */
export const BOOTSTRAP_VERSION = 'bootstrap';

/**
 * ECS cluster (Container Insights) and the Fargate service under the
 * CODE_DEPLOY deployment controller, with its own security group, the
 * bootstrap task definition built from the delivery definition and
 * target-tracking autoscaling.
 *
 * The service names its task definition by family (no revision), a value
 * that never changes: CloudFormation cannot move a CODE_DEPLOY service to
 * another revision, and with a constant property it never tries to, even
 * when the bootstrap revision is replaced. Releases register newer
 * revisions of the same family through CodeDeploy.
 *
 * Nothing that configuration changes reaches the service resource: a
 * property change makes CloudFormation call UpdateService with every
 * property, which ECS rejects for CODE_DEPLOY services (aws-cdk#23564,
 * #7040). So no DesiredCount (autoscaling owns the count, between minCount
 * and maxCount), no tags (excluded in lib/app.ts) and a constant platform
 * version (releases set theirs in the AppSpec). What the service is
 * created with and cannot leave (its subnets, from network.azCount and
 * vpcCidr, and the container name and port) is held by the
 * ServiceShapeGuard, which refuses a change before anything moves.
 *
 * The bootstrap revision is rendered by deploy-specs' `taskDefinitionFor`,
 * the same function that renders every release's taskdef.json.
 *
 * With `native` the service is under the ECS deployment controller instead
 * (docs/ecs-native.md): ECS deploys it with the given strategy and bake
 * time, moving the production and test listener rules between the blue
 * target group and the alternate (green) one through the load-balancer
 * role created here. Its task definition is then set by the stack to the
 * revision the service runs now (LiveRuleGuard), not the family: see
 * lib/stacks/app-stack.ts.
 */
export class Service extends Construct {
  readonly cluster: ecs.Cluster;
  readonly service: ecs.FargateService;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly executionRole: iam.Role;
  readonly taskRole: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly securityGroup: ec2.SecurityGroup;
  readonly taskFamily: string;
  /**
   * The role ECS uses to move the listener rules and register tasks (ECS
   * controller only; see {@link Service.nativeLoadBalancerRole}).
   */
  readonly loadBalancerRole?: iam.Role;

  constructor(scope: Construct, id: string, props: ServiceProps) {
    super(scope, id);
    const { definition } = props;
    const { container, task } = definition;
    this.taskFamily = props.taskFamily;

    const { names } = props;
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: names?.cluster,
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    // The service's Cluster cannot change in place: a new cluster would
    // replace the pinned service, which CodeDeploy's group is bound to.
    pinLogicalId(this.cluster, 'Cluster');

    this.logGroup = new logs.LogGroup(this, 'AppLogs', {
      logGroupName: names?.logGroup,
      retention: retentionDays(definition.logs.retentionDays, 'definition.logs.retentionDays'),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    pinLogicalId(this.logGroup, 'AppLogGroup');

    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: names?.executionRole,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Pulls the image and writes the container logs',
    });
    this.taskRole = new iam.Role(this, 'TaskRole', {
      roleName: names?.taskRole,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'What the app itself may call: nothing yet',
    });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'BootstrapTaskDefinition', {
      family: props.taskFamily,
      cpu: Number(task.cpu),
      memoryLimitMiB: Number(task.memory),
      executionRole: this.executionRole,
      taskRole: this.taskRole,
    });
    // The container the service's load-balancer wiring and the execution
    // role's grants (image pull, log writes) are derived from; its
    // CloudFormation properties are then replaced by the rendered revision.
    const appContainer = this.taskDefinition.addContainer('App', {
      containerName: container.name,
      image: props.bootstrapImage,
      portMappings: [{ containerPort: container.port, protocol: ecs.Protocol.TCP }],
      logging: ecs.LogDrivers.awsLogs({
        logGroup: this.logGroup,
        streamPrefix: definition.logs.streamPrefix,
      }),
    });
    const bootstrap = taskDefinitionFor(definition, {
      family: props.taskFamily,
      executionRoleArn: this.executionRole.roleArn,
      taskRoleArn: this.taskRole.roleArn,
      logGroupName: this.logGroup.logGroupName,
      region: Stack.of(this).region,
      image: appContainer.imageName,
      version: BOOTSTRAP_VERSION,
    });
    const cfnTaskDefinition = this.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    for (const [property, value] of Object.entries(cloudFormationProperties(bootstrap))) {
      cfnTaskDefinition.addPropertyOverride(property, value);
    }
    props.repository.grantPull(this.executionRole);
    Validations.of(this.executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ecr:GetAuthorizationToken supports no resource-level permission; image pulls are scoped to the repositories.',
    });
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'The environment variables are plain, non-secret settings from the delivery definition (NODE_ENV, APP_COLOR) and the revision label APP_VERSION; secrets would use `secrets`.',
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: props.vpc,
      description: 'Tasks: the container port from the load balancer only',
      allowAllOutbound: true,
    });
    this.securityGroup.connections.allowFrom(
      props.loadBalancerSecurityGroup,
      ec2.Port.tcp(container.port),
      'Container port from the load balancer',
    );

    const { native } = props;
    this.service = new ecs.FargateService(this, 'Service', {
      serviceName: names?.service,
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      ...(native
        ? nativeServiceProps(native.deployment)
        : { deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY } }),
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      assignPublicIp: false,
      // A constant, not the definition's platform version: ECS does not
      // update a CODE_DEPLOY service's platform version in place, and each
      // release's AppSpec carries the definition's (PlatformVersion, set by
      // deploy-specs' releaseAppSpec), which CodeDeploy gives the
      // replacement task set. Only the bootstrap task set runs on LATEST.
      platformVersion: ecs.FargatePlatformVersion.LATEST,
      healthCheckGracePeriod: Duration.seconds(30),
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      // The service carries no tags (see above); tasks get ECS's managed
      // aws:ecs:clusterName / serviceName tags for cost allocation.
      enableECSManagedTags: true,
    });
    if (native) {
      this.loadBalancerRole = this.nativeLoadBalancerRole();
      this.service
        .loadBalancerTarget({
          containerName: container.name,
          containerPort: container.port,
          alternateTarget: new ecs.AlternateTarget('AlternateTarget', {
            alternateTargetGroup: props.greenTargetGroup,
            productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(
              native.productionRule,
            ),
            testListener: ecs.ListenerRuleConfiguration.applicationListenerRule(native.testRule),
            role: this.loadBalancerRole,
          }),
        })
        .attachToApplicationTargetGroup(props.blueTargetGroup);
    } else {
      this.service.attachToApplicationTargetGroup(props.blueTargetGroup);
    }
    pinLogicalId(this.service, 'Service');
    const cfnService = this.service.node.defaultChild as ecs.CfnService;
    cfnService.addPropertyOverride('TaskDefinition', props.taskFamily);
    cfnService.addResourceDependency(cfnTaskDefinition);

    const scaling = this.service.autoScaleTaskCount({
      minCapacity: props.minCount,
      maxCapacity: props.maxCount,
    });
    scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: props.cpuTargetPercent,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.seconds(300),
    });
    this.scaleOnRequestsPerTarget(scaling, props);
  }

  /**
   * The ECS infrastructure role for load balancers: ECS assumes it to
   * register and deregister tasks and to rewrite the listener rules'
   * weights. It carries AWS's managed policy for exactly that
   * (AmazonECSInfrastructureRolePolicyForLoadBalancers) rather than a copy:
   * the calls are ECS's, not ours, AWS has revised the policy as ECS's
   * traffic shifting grew (linear, canary), and a hand-written list that
   * falls behind fails a release half-way, which only a real account would
   * show. See docs/ecs-native.md.
   */
  private nativeLoadBalancerRole(): iam.Role {
    const role = new iam.Role(this, 'LoadBalancerRole', {
      assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
      description: 'ECS blue/green: moves the listener rules and registers the tasks',
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName(
          'AmazonECSInfrastructureRolePolicyForLoadBalancers',
        ),
      ],
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers]',
      reason:
        'The AWS managed policy ECS documents for its infrastructure role for load balancers: the calls are ECS’s own traffic shifting, and AWS keeps the policy in step with them.',
    });
    return role;
  }

  /**
   * Requests per task, summed over blue and green: CodeDeploy swaps which
   * of the two carries production traffic on every release, and outside a
   * deployment the idle one reports nothing (FILL → 0).
   */
  private scaleOnRequestsPerTarget(scaling: ecs.ScalableTaskCount, props: ServiceProps): void {
    const perTarget = (tg: elbv2.IApplicationTargetGroup) =>
      tg.metrics.requestCountPerTarget({ period: Duration.minutes(1) });
    scaling.scaleToTrackCustomMetric('Requests', {
      metric: perTarget(props.blueTargetGroup),
      targetValue: props.requestsPerTargetPerMinute,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.seconds(300),
    });
    const cfnPolicy = scaling.node
      .findAll()
      .find(
        (c): c is appscaling.CfnScalingPolicy =>
          c instanceof appscaling.CfnScalingPolicy && c.node.scope?.node.id === 'Requests',
      );
    if (!cfnPolicy) throw new Error('Service: the request-count scaling policy was not created');
    const stat = (id: string, tg: elbv2.IApplicationTargetGroup) => {
      const config = perTarget(tg).toMetricConfig().metricStat!;
      return {
        Id: id,
        ReturnData: false,
        MetricStat: {
          Metric: {
            Namespace: config.namespace,
            MetricName: config.metricName,
            Dimensions: (config.dimensions ?? []).map((d) => ({
              Name: d.name,
              Value: d.value as unknown,
            })),
          },
          Stat: 'Sum',
        },
      };
    };
    const base = 'TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification';
    for (const key of ['MetricName', 'Namespace', 'Dimensions', 'Statistic', 'Unit']) {
      cfnPolicy.addPropertyDeletionOverride(`${base}.${key}`);
    }
    cfnPolicy.addPropertyOverride(`${base}.Metrics`, [
      stat('blue', props.blueTargetGroup),
      stat('green', props.greenTargetGroup),
      {
        Id: 'requests',
        Expression: 'FILL(blue, 0) + FILL(green, 0)',
        Label: 'Requests per target',
        ReturnData: true,
      },
    ]);
  }
}

/** The FargateService properties of the ECS controller with one native deployment. */
function nativeServiceProps(deployment: NativeDeployment): Partial<ecs.FargateServiceProps> {
  const common = {
    deploymentController: { type: ecs.DeploymentControllerType.ECS },
    bakeTime: Duration.minutes(deployment.bakeTimeMinutes),
  };
  switch (deployment.strategy) {
    case 'BLUE_GREEN':
      return { ...common, deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN };
    case 'CANARY':
      return {
        ...common,
        deploymentStrategy: ecs.DeploymentStrategy.CANARY,
        canaryConfiguration: {
          stepPercent: deployment.canaryPercent,
          stepBakeTime: Duration.minutes(deployment.canaryBakeTimeMinutes),
        },
      };
    case 'LINEAR':
      return {
        ...common,
        deploymentStrategy: ecs.DeploymentStrategy.LINEAR,
        linearConfiguration: {
          stepPercent: deployment.stepPercent,
          stepBakeTime: Duration.minutes(deployment.stepBakeTimeMinutes),
        },
      };
  }
}
