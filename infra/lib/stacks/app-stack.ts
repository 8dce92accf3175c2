import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { APP_VERSION_VARIABLE } from '@webapp-color/deploy-specs';
import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import type { Construct } from 'constructs';
import { nativeDeploymentOf, type InfraConfig } from '../../config/index.js';
import { BlueGreenDeployment } from '../constructs/blue-green-deployment.js';
import { DeploymentHook } from '../constructs/deployment-hook.js';
import { Edge, TRAFFIC_RULE_PRIORITY, type TrafficRules } from '../constructs/edge.js';
import { LiveRuleGuard } from '../constructs/live-rule-guard.js';
import { LiveTrafficGuard } from '../constructs/live-traffic-guard.js';
import { NativeBlueGreen } from '../constructs/native-blue-green.js';
import { Network } from '../constructs/network.js';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import { ReleaseBuild } from '../constructs/release-build.js';
import { ReleaseNotifications } from '../constructs/release-notifications.js';
import { ReleasePipeline } from '../constructs/release-pipeline.js';
import { ArtifactStore } from '../constructs/release-storage.js';
import { ServiceShapeGuard } from '../constructs/service-shape-guard.js';
import { ReleaseDashboard } from '../constructs/release-dashboard.js';
import { RollbackAlarms } from '../constructs/rollback-alarms.js';
import { BOOTSTRAP_VERSION, Service } from '../constructs/service.js';
import { deregistrationDelaySeconds } from '../timings.js';

/** The repository root: the Docker build context of the bootstrap image. */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * What the asset copy leaves out, on top of the root `.dockerignore`:
 * never cdk.out into itself, nor dependencies or VCS data; and the infra
 * sources (only infra/package.json matters to `turbo prune` for the app),
 * so that an infra change does not rebuild the bootstrap image.
 *
 * The app's Dockerfile is put back last: `.dockerignore` leaves Dockerfiles
 * out of the build context (editing one must not bust the source layer), and
 * CDK only re-includes a Dockerfile at the root of the context, so without
 * this the staged asset would have no Dockerfile and `cdk deploy` would fail.
 */
export function bootstrapImageExcludes(definition: DeliveryDefinition): string[] {
  return [
    'infra/**',
    '!infra/package.json',
    '.git',
    '**/node_modules',
    '**/cdk.out',
    '**/dist',
    '**/coverage',
    '**/.turbo',
    '**/test-results',
    '**/*.tsbuildinfo',
    `!${definition.app.dockerfile}`,
  ];
}

export interface AppStackProps extends StackProps {
  readonly config: InfraConfig;
  readonly definition: DeliveryDefinition;
  /** The release image repository (in the stateful stack). */
  readonly repository: ecr.IRepository;
  /**
   * The first revision's image. @default a CDK asset built from the app's
   * Dockerfile at deploy time (synth does not build it).
   */
  readonly bootstrapImage?: ecs.ContainerImage;
  /**
   * Differs on every `cdk deploy` (bin/app.ts passes the time), so the
   * LiveTrafficGuard runs on every deploy. @default 'synth'
   */
  readonly deployRun?: string;
}

/** Network, edge, service, hooks and the release path, composed. */
export class AppStack extends Stack {
  readonly network: Network;
  readonly edge: Edge;
  readonly service: Service;
  readonly rollbackAlarms: RollbackAlarms;
  readonly dashboard: ReleaseDashboard;
  /** The test-traffic and production hooks, on either controller. */
  readonly testTrafficHook?: DeploymentHook;
  readonly productionHook?: DeploymentHook;
  // deployment.controller 'codedeploy' only:
  readonly artifacts?: ArtifactStore;
  readonly deployment?: BlueGreenDeployment;
  readonly liveTraffic?: LiveTrafficGuard;
  readonly serviceShape?: ServiceShapeGuard;
  readonly build?: ReleaseBuild;
  readonly release?: ReleasePipeline;
  readonly notifications?: ReleaseNotifications;
  // deployment.controller 'ecs' only:
  /** The listener rules ECS moves. */
  readonly trafficRules?: TrafficRules;
  readonly nativeDeployment?: NativeBlueGreen;
  readonly liveRules?: LiveRuleGuard;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    const { config, definition, repository } = props;
    const namePrefix = `${config.prefix}-${config.environment}`;

    this.network = new Network(this, 'Network', config.network);

    this.edge = new Edge(this, 'Edge', {
      vpc: this.network.vpc,
      domainName: config.site.domainName,
      hostedZoneId: config.site.hostedZoneId,
      hostedZoneName: config.site.hostedZoneName,
      containerPort: definition.container.port,
      healthCheckPath: definition.container.healthCheckPath,
      healthCheck: config.loadBalancer.healthCheck,
      deregistrationDelay: Duration.seconds(deregistrationDelaySeconds(definition)),
      testListenerPort: config.loadBalancer.testListenerPort,
      accessLogRetentionDays: config.loadBalancer.accessLogRetentionDays,
    });
    // The ECS controller moves listener rules; CodeDeploy moves the listeners.
    const trafficRules = (this.trafficRules =
      config.deployment.controller === 'ecs' ? this.edge.addTrafficRules() : undefined);

    const bootstrapImage =
      props.bootstrapImage ??
      ecs.ContainerImage.fromDockerImageAsset(
        new ecrAssets.DockerImageAsset(this, 'BootstrapImage', {
          directory: repositoryRoot,
          file: definition.app.dockerfile,
          exclude: bootstrapImageExcludes(definition),
          // As the release build passes the commit id (the Dockerfile's default is "dev").
          buildArgs: { [APP_VERSION_VARIABLE]: BOOTSTRAP_VERSION },
          platform:
            definition.task.cpuArchitecture === 'ARM64'
              ? ecrAssets.Platform.LINUX_ARM64
              : ecrAssets.Platform.LINUX_AMD64,
        }),
      );

    this.service = new Service(this, 'Service', {
      vpc: this.network.vpc,
      definition,
      taskFamily: `${namePrefix}-${definition.app.name}`,
      bootstrapImage,
      repository,
      loadBalancerSecurityGroup: this.edge.securityGroup,
      blueTargetGroup: this.edge.blueTargetGroup,
      greenTargetGroup: this.edge.greenTargetGroup,
      ...config.service,
      ...(trafficRules
        ? {
            native: {
              deployment: nativeDeploymentOf(
                config.deployment.strategy,
                config.deployment.terminationWaitMinutes,
              ),
              productionRule: trafficRules.production,
              testRule: trafficRules.test,
            },
          }
        : {}),
    });

    if (trafficRules) {
      this.rollbackAlarms = this.createRollbackAlarms(config);
      this.dashboard = this.createDashboard(namePrefix);
      // The same checks as the CodeDeploy hooks, behind ECS's contract: the
      // test listener around the test shift, production (and the image
      // tags) around production's; both shift stages run again on a rollback.
      const nativeHookSettings = {
        ...this.hookSettings(config, definition),
        controller: 'ecs' as const,
      };
      const testTrafficHook = (this.testTrafficHook = new DeploymentHook(this, 'SmokeTest', {
        ...nativeHookSettings,
        lifecycleEvent: 'AfterAllowTestTraffic',
        listener: { protocol: 'http', port: config.loadBalancer.testListenerPort },
      }));
      this.edge.allowTestTrafficFrom(
        testTrafficHook.securityGroup,
        'Test listener from the test-traffic hook',
      );
      const productionHook = (this.productionHook = new DeploymentHook(this, 'ProductionCheck', {
        ...nativeHookSettings,
        lifecycleEvent: 'AfterAllowTraffic',
        listener: { protocol: 'https', port: 443 },
        imageRepository: repository,
      }));
      for (const hook of [testTrafficHook, productionHook]) {
        hook.grantNativeHook(this.service.cluster);
      }
      this.nativeDeployment = new NativeBlueGreen(this, 'Deployment', {
        service: this.service.service,
        alarms: this.rollbackAlarms.alarms,
        hooks: [testTrafficHook, productionHook].map((hook) => ({
          function: hook.function,
          stages: hook.stages.map((stage) => ecs.DeploymentLifecycleStage[stage]),
        })),
      });
      this.liveRules = new LiveRuleGuard(this, 'LiveRules', {
        loadBalancer: this.edge.loadBalancer,
        productionPort: 443,
        testPort: config.loadBalancer.testListenerPort,
        blueTargetGroup: this.edge.blueTargetGroup,
        greenTargetGroup: this.edge.greenTargetGroup,
        cluster: this.service.cluster,
        rulePriority: TRAFFIC_RULE_PRIORITY,
        deployRun: props.deployRun ?? 'synth',
      });
      // The rules then wait for the guard, and the service for the rules:
      // its refusal comes before either changes.
      this.edge.forwardRulesToLiveTargetGroups(
        trafficRules,
        this.liveRules.production,
        this.liveRules.test,
      );
      this.addNativeOutputs(namePrefix);
      return;
    }

    const hookSettings = this.hookSettings(config, definition);
    const testTrafficHook = (this.testTrafficHook = new DeploymentHook(this, 'SmokeTest', {
      ...hookSettings,
      lifecycleEvent: 'AfterAllowTestTraffic',
      functionName: config.smokeTest.functionNames.afterAllowTestTraffic,
      listener: { protocol: 'http', port: config.loadBalancer.testListenerPort },
    }));
    this.edge.allowTestTrafficFrom(
      testTrafficHook.securityGroup,
      'Test listener from the AfterAllowTestTraffic hook',
    );
    // Production (443) is open to the internet already; the hook reaches it
    // on the load balancer's private addresses, inside the VPC.
    const productionHook = (this.productionHook = new DeploymentHook(this, 'ProductionCheck', {
      ...hookSettings,
      lifecycleEvent: 'AfterAllowTraffic',
      functionName: config.smokeTest.functionNames.afterAllowTraffic,
      listener: { protocol: 'https', port: 443 },
      imageRepository: repository,
      service: this.service.service,
    }));

    const artifacts = (this.artifacts = new ArtifactStore(this, 'Artifacts', {
      artifactDays: config.retention.artifactDays,
    }));

    this.rollbackAlarms = this.createRollbackAlarms(config);
    this.dashboard = this.createDashboard(namePrefix);

    const deployment = (this.deployment = new BlueGreenDeployment(this, 'Deployment', {
      service: this.service.service,
      blueTargetGroup: this.edge.blueTargetGroup,
      greenTargetGroup: this.edge.greenTargetGroup,
      productionListener: this.edge.productionListener,
      testListener: this.edge.testListener,
      trafficShift: config.deployment.strategy,
      terminationWait: Duration.minutes(config.deployment.terminationWaitMinutes),
      alarms: this.rollbackAlarms.alarms,
      hooks: [testTrafficHook, productionHook],
    }));

    const liveTraffic = (this.liveTraffic = new LiveTrafficGuard(this, 'LiveTraffic', {
      loadBalancer: this.edge.loadBalancer,
      productionPort: 443,
      testPort: config.loadBalancer.testListenerPort,
      blueTargetGroup: this.edge.blueTargetGroup,
      greenTargetGroup: this.edge.greenTargetGroup,
      application: deployment.application,
      deployRun: props.deployRun ?? 'synth',
    }));
    this.edge.forwardToLiveTargetGroups(liveTraffic.production, liveTraffic.test);
    // What the CODE_DEPLOY service is created with and cannot take in place:
    // a change is refused before the VPC or the service changes.
    this.serviceShape = new ServiceShapeGuard(this, 'ServiceShape', {
      serviceToken: liveTraffic.serviceToken,
      service: this.service.service,
      vpc: this.network.vpc,
      shape: {
        NetworkAzCount: String(config.network.azCount),
        NetworkVpcCidr: config.network.vpcCidr,
        ContainerName: definition.container.name,
        ContainerPort: String(definition.container.port),
      },
    });
    // What a running deployment uses waits for the guard too, so its refusal
    // comes before any of them changes (CloudFormation updates a resource
    // only after those it depends on). What remains: a release started after
    // the guard ran; the README says to pause the Deploy stage transition.
    for (const usedByDeployments of [
      deployment.deploymentGroup,
      testTrafficHook.function,
      productionHook.function,
      this.service.taskDefinition,
    ]) {
      usedByDeployments.node.addDependency(liveTraffic.resource);
    }

    const build = (this.build = new ReleaseBuild(this, 'Build', {
      definition,
      repository,
      releaseValues: {
        imageRepositoryUri: repository.repositoryUri,
        taskFamily: this.service.taskFamily,
        executionRoleArn: this.service.executionRole.roleArn,
        taskRoleArn: this.service.taskRole.roleArn,
        logGroupName: this.service.logGroup.logGroupName,
        // Fixed names, not references: the AppSpec of a release already
        // built keeps naming a function that exists.
        afterAllowTestTrafficHook: config.smokeTest.functionNames.afterAllowTestTraffic,
        afterAllowTrafficHook: config.smokeTest.functionNames.afterAllowTraffic,
      },
    }));

    const release = (this.release = new ReleasePipeline(this, 'Release', {
      definition,
      namePrefix,
      source: config.source,
      project: build.project,
      application: deployment.application,
      deploymentGroup: deployment.deploymentGroup,
      artifactBucket: artifacts.bucket,
      executionRole: this.service.executionRole,
      taskRole: this.service.taskRole,
    }));

    const notifications = (this.notifications = new ReleaseNotifications(this, 'Notifications', {
      pipeline: release.pipeline,
      application: deployment.application,
      deploymentGroup: deployment.deploymentGroup,
      email: config.notifications.email,
    }));

    const pipelineName = release.pipeline.pipelineName;
    new CfnOutput(this, 'SiteUrl', { value: this.edge.siteUrl, description: 'The site' });
    new CfnOutput(this, 'PipelineName', { value: pipelineName });
    new CfnOutput(this, 'PipelineConsoleUrl', {
      value: `https://${this.region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${pipelineName}/view?region=${this.region}`,
    });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards/dashboard/${namePrefix}`,
      description:
        'The release dashboard: traffic by color, latency, healthy hosts, deployments, alarms',
    });
    new CfnOutput(this, 'ClusterName', { value: this.service.cluster.clusterName });
    new CfnOutput(this, 'ServiceName', { value: this.service.service.serviceName });
    new CfnOutput(this, 'CodeDeployApplication', {
      value: deployment.application.applicationName,
    });
    new CfnOutput(this, 'DeploymentGroupName', {
      value: deployment.deploymentGroup.deploymentGroupName,
    });
    new CfnOutput(this, 'SmokeTestLogGroup', {
      value: testTrafficHook.logGroup.logGroupName,
    });
    new CfnOutput(this, 'ProductionCheckLogGroup', {
      value: productionHook.logGroup.logGroupName,
    });
    new CfnOutput(this, 'NotificationTopicArn', {
      value: notifications.topic.topicArn,
      description: 'Release failures and rollbacks; subscribe more endpoints here',
    });
    new CfnOutput(this, 'ConnectionArn', {
      value: release.connectionArn,
      description: release.connectionCreated
        ? 'Created PENDING: complete the handshake (Developer Tools > Settings > Connections > Update pending connection), then Release change on the pipeline. See infra/README.md.'
        : 'Existing connection from the configuration; it must be AVAILABLE.',
    });
  }

  /** What the hooks of either controller share: where they run and what they check. */
  private hookSettings(config: InfraConfig, definition: DeliveryDefinition) {
    return {
      vpc: this.network.vpc,
      loadBalancer: this.edge.loadBalancer,
      siteHost: config.site.domainName,
      containerName: definition.container.name,
      healthCheckPath: definition.container.healthCheckPath,
      pagePath: config.smokeTest.pagePath,
      versionPath: config.smokeTest.versionPath,
      versionVariable: APP_VERSION_VARIABLE,
      requireVersion: config.smokeTest.requireVersion,
    };
  }

  /** Alarms that roll a deployment back, on either controller. */
  private createRollbackAlarms(config: InfraConfig): RollbackAlarms {
    return new RollbackAlarms(this, 'RollbackAlarms', {
      loadBalancer: this.edge.loadBalancer,
      blueTargetGroup: this.edge.blueTargetGroup,
      greenTargetGroup: this.edge.greenTargetGroup,
      thresholds: config.alarms,
    });
  }

  private createDashboard(namePrefix: string): ReleaseDashboard {
    return new ReleaseDashboard(this, 'Dashboard', {
      dashboardName: namePrefix,
      loadBalancer: this.edge.loadBalancer,
      blueTargetGroup: this.edge.blueTargetGroup,
      greenTargetGroup: this.edge.greenTargetGroup,
      service: this.service.service,
      alarms: this.rollbackAlarms.alarms,
    });
  }

  /** The outputs of an environment on the ECS controller (no CodeDeploy, no pipeline yet). */
  private addNativeOutputs(namePrefix: string): void {
    new CfnOutput(this, 'SiteUrl', { value: this.edge.siteUrl, description: 'The site' });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards/dashboard/${namePrefix}`,
      description:
        'The release dashboard: traffic by color, latency, healthy hosts, deployments, alarms',
    });
    new CfnOutput(this, 'ClusterName', { value: this.service.cluster.clusterName });
    new CfnOutput(this, 'ServiceName', { value: this.service.service.serviceName });
  }
}
