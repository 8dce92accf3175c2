import { Validations } from 'aws-cdk-lib';
import { fileURLToPath } from 'node:url';
import { ArnFormat, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { APP_VERSION_VARIABLE } from '@webapp-color/deploy-specs';
import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import type { Construct } from 'constructs';
import {
  environmentNames,
  pipelineArtifactNames,
  nativeDeploymentOf,
  shipTimeoutMinutes,
  type InfraConfig,
} from '../../config/index.js';
import { HOOK_CHECKS } from '@webapp-color/hooks';
import { Aws } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BlueGreenDeployment, codeDeployConfigName } from '../constructs/blue-green-deployment.js';
import { DeploymentHook } from '../constructs/deployment-hook.js';
import { Edge, TRAFFIC_RULE_PRIORITY, type TrafficRules } from '../constructs/edge.js';
import { LiveRuleGuard } from '../constructs/live-rule-guard.js';
import { LiveTrafficGuard } from '../constructs/live-traffic-guard.js';
import { NativeBlueGreen } from '../constructs/native-blue-green.js';
import { Network } from '../constructs/network.js';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import { ReleaseBuild } from '../constructs/release-build.js';
import { ReleaseNotifications } from '../constructs/release-notifications.js';
import { ReleasePipeline, shipStatements, type Promotion } from '../constructs/release-pipeline.js';
import type { PromotedBuildTarget } from '../constructs/release-build.js';
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
  /**
   * The environments this environment's pipeline promotes its build to, in
   * order (their own validated configurations; config/promotion.ts). Only
   * for an environment without `promotion`. @default none
   */
  readonly promotions?: readonly InfraConfig[];
  /**
   * For a promoted environment in another account than its pipeline: that
   * account, trusted by the deploy role created here. @default same account
   */
  readonly pipelineAccount?: string;
  /** With pipelineAccount: the pipeline's artifact bucket and key alias, which the deploy role reads. */
  readonly pipelineArtifacts?: {
    readonly bucket: string;
    readonly keyAlias: string;
    readonly region: string;
  };
}

/** Network, edge, service, hooks and the release path, composed. */
export class AppStack extends Stack {
  readonly network: Network;
  readonly edge: Edge;
  readonly service: Service;
  readonly rollbackAlarms: RollbackAlarms;
  readonly dashboard: ReleaseDashboard;
  /** The pipeline's parts: absent in an environment another environment's pipeline deploys. */
  artifacts?: ArtifactStore;
  readonly build?: ReleaseBuild;
  readonly release?: ReleasePipeline;
  readonly notifications: ReleaseNotifications;
  /** The test-traffic and production hooks, on either controller. */
  readonly testTrafficHook?: DeploymentHook;
  readonly productionHook?: DeploymentHook;
  // deployment.controller 'codedeploy' only:
  readonly deployment?: BlueGreenDeployment;
  readonly liveTraffic?: LiveTrafficGuard;
  readonly serviceShape?: ServiceShapeGuard;
  // deployment.controller 'ecs' only:
  /** The listener rules ECS moves. */
  readonly trafficRules?: TrafficRules;
  readonly nativeDeployment?: NativeBlueGreen;
  readonly liveRules?: LiveRuleGuard;
  /** A promoted environment in another account: the role its pipeline's Deploy action uses here. */
  promotionDeployRole?: iam.Role;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    const { config, definition, repository } = props;
    const names = environmentNames({ ...config, appName: definition.app.name });
    const { namePrefix } = names;
    // Deployed by another environment's pipeline: its resources carry the
    // fixed names that pipeline's build renders the release with.
    const promoted = config.promotion !== undefined;
    if (promoted && (props.promotions ?? []).length > 0) {
      throw new Error(
        `AppStack ${id}: ${config.environment} is promoted from ${config.promotion!.from}; its pipeline is ${config.promotion!.from}'s, so it promotes to nothing itself`,
      );
    }

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
      taskFamily: names.taskFamily,
      bootstrapImage,
      repository,
      loadBalancerSecurityGroup: this.edge.securityGroup,
      blueTargetGroup: this.edge.blueTargetGroup,
      greenTargetGroup: this.edge.greenTargetGroup,
      ...config.service,
      ...(promoted
        ? {
            names: {
              cluster: names.cluster,
              service: names.service,
              taskRole: names.taskRole,
              executionRole: names.executionRole,
              logGroup: names.logGroup,
            },
          }
        : {}),
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

    const releaseValues = {
      imageRepositoryUri: repository.repositoryUri,
      taskFamily: this.service.taskFamily,
      executionRoleArn: this.service.executionRole.roleArn,
      taskRoleArn: this.service.taskRole.roleArn,
      logGroupName: this.service.logGroup.logGroupName,
    };

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
        pause: config.deployment.pause,
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
        bootstrapTaskDefinitionArn: this.service.taskDefinition.taskDefinitionArn,
      });
      // The service names the revision it runs now, not the family: a stack
      // update never moves it off a release's revision, nor onto a replaced
      // bootstrap revision (infra/docs/deployments.md, the family caveat).
      (this.service.service.node.defaultChild as ecs.CfnService).addPropertyOverride(
        'TaskDefinition',
        this.liveRules.serviceTaskDefinition,
      );
      // The rules then wait for the guard, and the service for the rules:
      // its refusal comes before either changes.
      this.edge.forwardRulesToLiveTargetGroups(
        trafficRules,
        this.liveRules.production,
        this.liveRules.test,
      );
      const deployment = { controller: 'ecs' as const, service: this.service.service };
      if (promoted) {
        this.notifications = new ReleaseNotifications(this, 'Notifications', {
          deployment,
          email: config.notifications.email,
        });
        if (props.pipelineAccount)
          this.createPromotionDeployRole(props.pipelineAccount, names, props.pipelineArtifacts);
        this.addServiceOutputs(namePrefix);
        return;
      }
      this.notifications = new ReleaseNotifications(this, 'Notifications', {
        deployment,
        email: config.notifications.email,
      });
      // The release: the build renders the full taskdef.json (image by
      // digest) and the Deploy stage ships it (infra/docs/deployments.md).
      this.build = new ReleaseBuild(this, 'Build', {
        definition,
        repository,
        releaseValues,
        controller: 'ecs',
        ...this.promotedBuild(config, definition, props.promotions),
      });
      const deploymentMinutes = deployActionMinutes(config);
      this.release = new ReleasePipeline(this, 'Release', {
        definition,
        namePrefix,
        source: config.source,
        project: this.build.project,
        deploy: {
          controller: 'ecs',
          cluster: this.service.cluster,
          service: this.service.service,
          taskFamily: this.service.taskFamily,
          timeout: Duration.minutes(deploymentMinutes),
        },
        artifactBucket: this.createArtifacts(config, definition, props.promotions).bucket,
        executionRole: this.service.executionRole,
        taskRole: this.service.taskRole,
        promotions: this.promotionsOf(config, definition, props.promotions),
      });
      this.notifications.watchPipeline(this.release.pipeline);
      this.addReleaseOutputs(namePrefix);
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

    this.rollbackAlarms = this.createRollbackAlarms(config);
    this.dashboard = this.createDashboard(namePrefix);

    const deployment = (this.deployment = new BlueGreenDeployment(this, 'Deployment', {
      ...(promoted
        ? {
            names: {
              application: names.codeDeployApplication,
              deploymentGroup: names.deploymentGroup,
              deploymentConfigPrefix: namePrefix,
            },
          }
        : {}),
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

    const codeDeployTarget = {
      controller: 'codedeploy' as const,
      application: deployment.application,
      deploymentGroup: deployment.deploymentGroup,
    };
    this.notifications = new ReleaseNotifications(this, 'Notifications', {
      deployment: codeDeployTarget,
      email: config.notifications.email,
    });
    if (!promoted) {
      const build = (this.build = new ReleaseBuild(this, 'Build', {
        definition,
        repository,
        releaseValues: {
          ...releaseValues,
          // Fixed names, not references: the AppSpec of a release already
          // built keeps naming a function that exists.
          afterAllowTestTrafficHook: config.smokeTest.functionNames.afterAllowTestTraffic,
          afterAllowTrafficHook: config.smokeTest.functionNames.afterAllowTraffic,
        },
        ...this.promotedBuild(config, definition, props.promotions),
      }));
      const release = (this.release = new ReleasePipeline(this, 'Release', {
        definition,
        namePrefix,
        source: config.source,
        project: build.project,
        deploy: codeDeployTarget,
        artifactBucket: this.createArtifacts(config, definition, props.promotions).bucket,
        executionRole: this.service.executionRole,
        taskRole: this.service.taskRole,
        promotions: this.promotionsOf(config, definition, props.promotions),
      }));
      this.notifications.watchPipeline(release.pipeline);
    }

    if (this.release) this.addReleaseOutputs(namePrefix);
    else {
      if (props.pipelineAccount)
        this.createPromotionDeployRole(props.pipelineAccount, names, props.pipelineArtifacts);
      this.addServiceOutputs(namePrefix);
    }
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
  }

  /** What every environment outputs: the site, its dashboard, cluster, service and topic. */
  private addServiceOutputs(namePrefix: string): void {
    new CfnOutput(this, 'SiteUrl', { value: this.edge.siteUrl, description: 'The site' });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards/dashboard/${namePrefix}`,
      description:
        'The release dashboard: traffic by color, latency, healthy hosts, deployments, alarms',
    });
    new CfnOutput(this, 'ClusterName', { value: this.service.cluster.clusterName });
    new CfnOutput(this, 'ServiceName', { value: this.service.service.serviceName });
    new CfnOutput(this, 'NotificationTopicArn', {
      value: this.notifications.topic.topicArn,
      description: 'Release failures and rollbacks; subscribe more endpoints here',
    });
  }

  /**
   * The role a promoting pipeline in another account deploys this
   * environment with (its fixed name; trusted by that account only): under
   * `ecs` the ship program's calls (@webapp-color/ship/api-calls) on this
   * service, under `codedeploy` the CodeDeployToECS action's calls on this
   * deployment group. Reading the pipeline's artifacts is granted by the
   * pipeline's bucket and key policies (infra/docs/environments.md).
   */
  private createPromotionDeployRole(
    pipelineAccount: string,
    names: ReturnType<typeof environmentNames>,
    artifacts?: AppStackProps['pipelineArtifacts'],
  ): void {
    const role = (this.promotionDeployRole = new iam.Role(this, 'PromotionDeployRole', {
      roleName: names.deployRole,
      assumedBy: new iam.AccountPrincipal(pipelineAccount),
      description: `The promoting pipeline (account ${pipelineAccount}) deploys releases of this environment`,
    }));
    const taskRoles = [this.service.executionRole.roleArn, this.service.taskRole.roleArn];
    if (this.deployment) {
      const group = this.deployment.deploymentGroup;
      // CodeDeployToECS registers the release's task definition, passing the task roles.
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'PassOnlyTheTaskRoles',
          actions: ['iam:PassRole'],
          resources: taskRoles,
          conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        }),
      );
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'RegisterReleaseTaskDefinition',
          // RegisterTaskDefinition supports no resource-level permission.
          actions: ['ecs:RegisterTaskDefinition'],
          resources: ['*'],
        }),
      );
      // CodeDeployToECS reads the release files from the pipeline's bucket,
      // encrypted with its key (whose key policy lets this role decrypt).
      if (artifacts) {
        role.addToPolicy(
          new iam.PolicyStatement({
            actions: ['s3:GetObject', 's3:GetObjectVersion'],
            resources: [`arn:${Aws.PARTITION}:s3:::${artifacts.bucket}/*`],
          }),
        );
        role.addToPolicy(
          new iam.PolicyStatement({
            actions: ['kms:Decrypt', 'kms:DescribeKey'],
            resources: [`arn:${Aws.PARTITION}:kms:${artifacts.region}:${pipelineAccount}:key/*`],
            conditions: {
              'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [artifacts.keyAlias] },
            },
          }),
        );
        Validations.of(role).acknowledge(
          {
            id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${artifacts.bucket}/*]`,
            reason:
              'The objects of the pipeline’s artifact bucket, whose keys CodePipeline makes up per run.',
          },
          {
            id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:${artifacts.region}:${pipelineAccount}:key/*]`,
            reason:
              'The pipeline’s artifact key, in another account, named by its alias (kms:ResourceAliases): its id is unknown here.',
          },
        );
      }
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: [
            'codedeploy:GetApplication',
            'codedeploy:GetApplicationRevision',
            'codedeploy:RegisterApplicationRevision',
          ],
          resources: [this.deployment.application.applicationArn],
        }),
      );
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['codedeploy:CreateDeployment', 'codedeploy:GetDeployment'],
          resources: [group.deploymentGroupArn],
        }),
      );
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['codedeploy:GetDeploymentConfig'],
          resources: [group.deploymentConfig.deploymentConfigArn],
        }),
      );
    } else {
      // The ship program's calls (@webapp-color/ship/api-calls), on this service.
      const inService = (resource: string) =>
        this.formatArn({
          service: 'ecs',
          resource,
          resourceName: `${names.cluster}/${names.service}/*`,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        });
      for (const statement of shipStatements({
        service: { resources: [this.service.service.serviceArn] },
        serviceDeployments: { resources: [inService('service-deployment')] },
        serviceRevisions: { resources: [inService('service-revision')] },
        any: { resources: ['*'] },
        taskDefinitionFamily: {
          resources: [
            this.formatArn({
              service: 'ecs',
              resource: 'task-definition',
              resourceName: `${names.taskFamily}:*`,
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
          ],
        },
        taskRoles: { resources: taskRoles },
      }))
        role.addToPolicy(statement);
    }
    const region = this.region;
    const inThisService = (resource: string) =>
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:${region}:<AWS::AccountId>:${resource}/${names.cluster}/${names.service}/*]`;
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ecs:RegisterTaskDefinition, DescribeTaskDefinition and DeregisterTaskDefinition support no resource-level permission (Service Authorization Reference); iam:PassRole is limited to the two task roles.',
      },
      {
        id: inThisService('service-deployment'),
        reason: 'The deployments of this one service, whose ids ECS makes up per deployment.',
      },
      {
        id: inThisService('service-revision'),
        reason: 'The revisions of this one service, whose ids ECS makes up per revision.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:${region}:<AWS::AccountId>:task-definition/${names.taskFamily}:*]`,
        reason:
          'ecs:TagResource on the revisions of the one family, only as part of RegisterTaskDefinition (ecs:CreateAction).',
      },
    );
  }

  /** The pipeline's artifact bucket. */
  private createArtifacts(
    config: InfraConfig,
    definition: DeliveryDefinition,
    promotions: readonly InfraConfig[] = [],
  ): ArtifactStore {
    // A CodeDeploy environment in another account reads the artifacts itself.
    const readers = promotions
      .filter((next) => isCrossAccount(config, next) && next.deployment.controller === 'codedeploy')
      .map((next) => promotedDeployRoleArn(next, definition));
    return (this.artifacts = new ArtifactStore(this, 'Artifacts', {
      artifactDays: config.retention.artifactDays,
      ...(readers.length > 0 && config.account !== undefined
        ? {
            crossAccountReaders: readers,
            names: pipelineArtifactNames({ ...config, account: config.account }),
          }
        : {}),
    }));
  }

  /** What the build needs to promote: each promoted environment's release values and repository. */
  private promotedBuild(
    config: InfraConfig,
    definition: DeliveryDefinition,
    promotions: readonly InfraConfig[] = [],
  ): { promoted?: PromotedBuildTarget[]; roleName?: string } {
    if (promotions.length === 0) return {};
    const crossAccount = promotions.some((next) => isCrossAccount(config, next));
    return {
      promoted: promotions.map((next) => {
        const values = promotedReleaseValues(next, definition);
        return {
          release: {
            environment: next.environment,
            controller: next.deployment.controller,
            region: next.region,
            values: values.release,
          },
          repositoryArn: values.repositoryArn,
        };
      }),
      ...(crossAccount
        ? { roleName: environmentNames({ ...config, appName: definition.app.name }).buildRole }
        : {}),
    };
  }

  /** The approval, gates and Deploy stage of each promoted environment. */
  private promotionsOf(
    config: InfraConfig,
    definition: DeliveryDefinition,
    promotions: readonly InfraConfig[] = [],
  ): Promotion[] {
    const byName = new Map([config, ...promotions].map((each) => [each.environment, each]));
    return promotions.map((next, index) => {
      const previous = byName.get(next.promotion!.from)!;
      const values = promotedReleaseValues(next, definition);
      const id = `Promote${index + 1}`;
      const previousUrl = `https://${previous.site.domainName}`;
      const checks = [
        ...HOOK_CHECKS.AfterAllowTestTraffic.map((check) => `test: ${check}`),
        ...HOOK_CHECKS.AfterAllowTraffic.map((check) => `production: ${check}`),
      ].join('; ');
      const approval: Promotion['approval'] = {
        timeoutMinutes: next.promotion!.approval.timeoutMinutes,
        topic: this.notifications.topic,
        externalEntityLink: previousUrl,
        message: (source) =>
          `Promote commit ${source.commitId} (${source.commitMessage}) to ${next.environment}. ${previous.environment} (${previousUrl}) runs it; its hooks checked: ${checks}.`,
      };
      // Only the pipeline's own environment's alarms are in this stack; a
      // chain longer than two gates later steps on the approval alone.
      const gateAlarms = previous === config ? this.rollbackAlarms.alarms : [];
      const window = next.promotion!.window;
      const deploy: Promotion['deploy'] =
        next.deployment.controller === 'ecs'
          ? {
              controller: 'ecs',
              region: next.region,
              account: values.account,
              clusterName: values.names.cluster,
              serviceName: values.names.service,
              taskFamily: values.names.taskFamily,
              roles: values.roles,
              timeout: Duration.minutes(deployActionMinutes(next)),
              ...(isCrossAccount(config, next)
                ? { assumeRoleArn: promotedDeployRoleArn(next, definition) }
                : {}),
            }
          : {
              controller: 'codedeploy',
              ...this.importedDeploymentGroup(id, next, values),
              roles: values.roles,
              ...(isCrossAccount(config, next)
                ? {
                    crossAccountRole: iam.Role.fromRoleArn(
                      this,
                      `${id}DeployRole`,
                      promotedDeployRoleArn(next, definition),
                      { mutable: false },
                    ),
                  }
                : {}),
            };
      return {
        environment: next.environment,
        approval,
        gateAlarms,
        ...(window ? { window: { cron: window.cron, timeZone: window.timeZone } } : {}),
        deploy,
      };
    });
  }

  /** A promoted environment's CodeDeploy application and group, by their fixed names. */
  private importedDeploymentGroup(
    id: string,
    next: InfraConfig,
    values: ReturnType<typeof promotedReleaseValues>,
  ): { application: codedeploy.IEcsApplication; deploymentGroup: codedeploy.IEcsDeploymentGroup } {
    const application = codedeploy.EcsApplication.fromEcsApplicationArn(
      this,
      `${id}Application`,
      this.formatArn({
        service: 'codedeploy',
        region: next.region,
        account: values.account,
        resource: 'application',
        resourceName: values.names.codeDeployApplication,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    const deploymentGroup = codedeploy.EcsDeploymentGroup.fromEcsDeploymentGroupAttributes(
      this,
      `${id}DeploymentGroup`,
      {
        application,
        deploymentGroupName: values.names.deploymentGroup,
        deploymentConfig: codedeploy.EcsDeploymentConfig.fromEcsDeploymentConfigName(
          this,
          `${id}DeploymentConfig`,
          codeDeployConfigName(next.deployment.strategy, values.names.namePrefix),
        ),
      },
    );
    return { application, deploymentGroup };
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

  /** The outputs of the release path, on either controller. */
  private addReleaseOutputs(namePrefix: string): void {
    const release = this.release!;
    const pipelineName = release.pipeline.pipelineName;
    this.addServiceOutputs(namePrefix);
    new CfnOutput(this, 'PipelineName', { value: pipelineName });
    new CfnOutput(this, 'PipelineConsoleUrl', {
      value: `https://${this.region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${pipelineName}/view?region=${this.region}`,
    });
    new CfnOutput(this, 'ConnectionArn', {
      value: release.connectionArn,
      description: release.connectionCreated
        ? 'Created PENDING: complete the handshake (Developer Tools > Settings > Connections > Update pending connection), then Release change on the pipeline. See infra/README.md.'
        : 'Existing connection from the configuration; it must be AVAILABLE.',
    });
  }
}

/** The Deploy action's timeout of an `ecs` environment: deployment, margin and the pause. */
function deployActionMinutes(config: InfraConfig): number {
  return (
    shipTimeoutMinutes(
      nativeDeploymentOf(config.deployment.strategy, config.deployment.terminationWaitMinutes),
    ) + (config.deployment.pause?.timeoutMinutes ?? 0)
  );
}

/** The fixed-name role a promoting pipeline deploys a promoted environment with (its account). */
function promotedDeployRoleArn(next: InfraConfig, definition: DeliveryDefinition): string {
  const { deployRole } = environmentNames({ ...next, appName: definition.app.name });
  return `arn:${Aws.PARTITION}:iam::${next.account ?? Aws.ACCOUNT_ID}:role/${deployRole}`;
}

/** Whether a promoted environment lives in another account than the pipeline's. */
export function isCrossAccount(pipeline: InfraConfig, promoted: InfraConfig): boolean {
  return promoted.account !== undefined && promoted.account !== pipeline.account;
}

/**
 * What the pipeline's build and Deploy stage know of a promoted environment:
 * its fixed names (config/names.ts) made into URIs and ARNs in its account
 * and region, with no reference into its stacks.
 */
export function promotedReleaseValues(next: InfraConfig, definition: DeliveryDefinition) {
  const names = environmentNames({ ...next, appName: definition.app.name });
  // The pipeline stack's own account when the environment shares it.
  const account = next.account ?? Aws.ACCOUNT_ID;
  const partition = Aws.PARTITION;
  const role = (name: string) => `arn:${partition}:iam::${account}:role/${name}`;
  const roles = { executionRoleArn: role(names.executionRole), taskRoleArn: role(names.taskRole) };
  return {
    names,
    account,
    roles,
    repositoryArn: `arn:${partition}:ecr:${next.region}:${account}:repository/${names.repository}`,
    release: {
      imageRepositoryUri: `${account}.dkr.ecr.${next.region}.${Aws.URL_SUFFIX}/${names.repository}`,
      taskFamily: names.taskFamily,
      ...roles,
      logGroupName: names.logGroup,
      ...(next.deployment.controller === 'codedeploy'
        ? {
            afterAllowTestTrafficHook: next.smokeTest.functionNames.afterAllowTestTraffic,
            afterAllowTrafficHook: next.smokeTest.functionNames.afterAllowTraffic,
          }
        : {}),
    },
  };
}
