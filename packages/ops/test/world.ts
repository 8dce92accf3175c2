import type { AwsWorld, WorldDeployment } from '@webapp-color/aws-local';
import type { ActionExecutionDetail, PipelineExecutionSummary } from '@aws-sdk/client-codepipeline';
import type { LifecycleEvent } from '@aws-sdk/client-codedeploy';
import type { Listener } from '@aws-sdk/client-elastic-load-balancing-v2';

/**
 * The staging environment of infra/config/staging.ts as a real account
 * would hold it after a few releases, in the shapes the APIs answer:
 * stack outputs as infra/lib/stacks/app-stack.ts writes them, physical ids
 * of the resource types CloudFormation reports (a name for alarms, the ECR
 * repository and functions; an ARN for the certificate, load balancer and
 * target groups), listeners as CodeDeploy leaves them after a release
 * (`[{live, 100}, {idle, 0}]`, no top-level TargetGroupArn).
 */

export const ACCOUNT = '123456789012';
const REGION = 'us-east-2';
const ARN = (service: string, resource: string) =>
  `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;

export const NAMES = {
  app: 'myproject-staging-app',
  stateful: 'myproject-staging-stateful',
  pipeline: 'myproject-staging-app-ReleasePipeline8E3C1A2B-1XYZ',
  cluster: 'myproject-staging-app-ServiceCluster1A2B3C4D-AbCdEf',
  service: 'myproject-staging-app-ServiceFargate5E6F7A8B-GhIjKl',
  application: 'myproject-staging-app-DeploymentApplication9C0D-MnOp',
  group: 'myproject-staging-app-DeploymentGroupE1F2-QrSt',
  repository: 'myproject-staging-stateful-images1a2b3c4d-efgh',
  testHook: 'myproject-staging-after-allow-test-traffic',
  productionHook: 'myproject-staging-after-allow-traffic',
  domain: 'staging.myapp.example.com',
  zone: 'Z0123456789EXAMPLE',
  alarms: [
    'myproject-staging-app-RollbackAlarmsLoadBalancer5xxAlarm-1A',
    'myproject-staging-app-RollbackAlarmsTarget5xxAlarm-2B',
    'myproject-staging-app-RollbackAlarmsUnhealthyHostsAlarm-3C',
    'myproject-staging-app-RollbackAlarmsLatencyAlarm-4D',
  ],
};

export const ARNS = {
  connection: ARN('codestar-connections', 'connection/5e3a1b2c-7d8e-4f90-a1b2-c3d4e5f60718'),
  certificate: ARN('acm', 'certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b'),
  loadBalancer: ARN(
    'elasticloadbalancing',
    'loadbalancer/app/mypro-EdgeL-1A2B3C4D5E6F/50dc6c495c0c9188',
  ),
  blue: ARN('elasticloadbalancing', 'targetgroup/mypro-EdgeB-1AAAAAAAAAAA/1111111111111111'),
  green: ARN('elasticloadbalancing', 'targetgroup/mypro-EdgeG-2BBBBBBBBBBB/2222222222222222'),
  topic: ARN('sns', 'myproject-staging-app-NotificationsTopic1A2B3C4D-5E6F7G8H'),
};
export const LOAD_BALANCER_DNS = 'mypro-EdgeL-1A2B3C4D5E6F-1234567890.us-east-2.elb.amazonaws.com';

/** A listener as CodeDeploy leaves it: every target group in ForwardConfig with its weight. */
function listener(
  port: number,
  protocol: 'HTTP' | 'HTTPS',
  groups: readonly (readonly [string, number])[],
): Listener {
  return {
    ListenerArn: `${ARNS.loadBalancer.replace(':loadbalancer/', ':listener/')}/${port}0000000000${port}`,
    Port: port,
    Protocol: protocol,
    DefaultActions: [
      {
        Type: 'forward',
        Order: 1,
        ForwardConfig: {
          TargetGroups: groups.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })),
          TargetGroupStickinessConfig: { Enabled: false },
        },
      },
    ],
  };
}

/** The production listener (443), blue live and green idle unless told otherwise. */
export function productionListener(
  groups: readonly (readonly [string, number])[] = [
    [ARNS.blue, 100],
    [ARNS.green, 0],
  ],
): Listener {
  return {
    ...listener(443, 'HTTPS', groups),
    Certificates: [{ CertificateArn: ARNS.certificate }],
    SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
  };
}

const minutes = (n: number) => n * 60_000;

/** One pipeline run: the execution summary and its deploy action, as CodePipeline lists them. */
function execution(
  id: string,
  commit: string,
  message: string,
  start: Date,
  end: Date | undefined,
  status: PipelineExecutionSummary['status'],
  deploymentId?: string,
): { summary: PipelineExecutionSummary; actions: ActionExecutionDetail[] } {
  const summary: PipelineExecutionSummary = {
    pipelineExecutionId: id,
    status,
    startTime: start,
    lastUpdateTime: end ?? new Date(start.getTime() + minutes(3)),
    sourceRevisions: [
      {
        actionName: 'GitHub',
        revisionId: commit,
        revisionSummary: JSON.stringify({ ProviderType: 'GitHub', CommitMessage: message }),
        revisionUrl: `https://github.com/example-owner/webapp-color/commit/${commit}`,
      },
    ],
    trigger: { triggerType: 'WebhookV2', triggerDetail: ARNS.connection },
    executionMode: 'QUEUED',
    executionType: 'STANDARD',
  };
  const actions: ActionExecutionDetail[] = [
    {
      pipelineExecutionId: id,
      actionExecutionId: `${id}-source`,
      pipelineVersion: 3,
      stageName: 'Source',
      actionName: 'GitHub',
      startTime: start,
      lastUpdateTime: new Date(start.getTime() + minutes(1)),
      status: 'Succeeded',
      input: {
        actionTypeId: {
          category: 'Source',
          owner: 'AWS',
          provider: 'CodeStarSourceConnection',
          version: '1',
        },
        configuration: { BranchName: 'master', FullRepositoryId: 'example-owner/webapp-color' },
        resolvedConfiguration: {},
        region: REGION,
        inputArtifacts: [],
      },
      output: {
        executionResult: { externalExecutionId: commit },
        outputArtifacts: [],
        outputVariables: {},
      },
    },
  ];
  if (deploymentId) {
    actions.push({
      pipelineExecutionId: id,
      actionExecutionId: `${id}-deploy`,
      pipelineVersion: 3,
      stageName: 'Deploy',
      actionName: 'BlueGreen',
      startTime: new Date(start.getTime() + minutes(9)),
      lastUpdateTime: end ?? new Date(start.getTime() + minutes(10)),
      status:
        status === 'Succeeded' ? 'Succeeded' : status === 'InProgress' ? 'InProgress' : 'Failed',
      input: {
        actionTypeId: {
          category: 'Deploy',
          owner: 'AWS',
          provider: 'CodeDeployToECS',
          version: '1',
        },
        configuration: { ApplicationName: NAMES.application, DeploymentGroupName: NAMES.group },
        resolvedConfiguration: {},
        region: REGION,
        inputArtifacts: [{ name: 'Build' }],
      },
      output: {
        executionResult: {
          externalExecutionId: deploymentId,
          externalExecutionSummary: 'Deployment Succeeded',
          externalExecutionUrl: `https://console.aws.amazon.com/codedeploy/home?region=${REGION}#/deployments/${deploymentId}`,
        },
        outputArtifacts: [],
        outputVariables: {},
      },
    });
  }
  return { summary, actions };
}

/** An ECS blue/green deployment's lifecycle events, in order (CodeDeploy user guide, "AppSpec hooks for an Amazon ECS deployment"). */
const ECS_LIFECYCLE_EVENTS = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
];

/** ECS lifecycle events of a deployment that started at `at`, up to `reached`, with the last one's status. */
function events(at: Date, reached: number, lastStatus: 'Succeeded' | 'Failed'): LifecycleEvent[] {
  return ECS_LIFECYCLE_EVENTS.map((name, index) => {
    if (index > reached) return { lifecycleEventName: name, status: 'Pending' };
    const startTime = new Date(at.getTime() + minutes(index + 1));
    return {
      lifecycleEventName: name,
      startTime,
      endTime: new Date(startTime.getTime() + minutes(1)),
      status: index === reached ? lastStatus : 'Succeeded',
    };
  });
}

/**
 * The release history of the last 40 days, `now` the moment of the test:
 * - 40 d ago, deployed (outside a 30-day window);
 * - 20 d ago, deployed: push → production traffic 17 min;
 * - 10 d ago, rolled back after production traffic moved: restored 5 min later;
 * - 9 d ago, deployed: push → production traffic 19 min;
 * - 5 d ago, the build failed: no deployment;
 * - 2 d ago, the test-traffic hook failed: production never moved.
 */
export function releaseHistory(now: number) {
  const ago = (days: number) => new Date(now - days * 86_400_000);
  const runs = [
    {
      id: 'e0',
      commit: '0000000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      days: 40,
      deployment: 'd-OLD000000',
      kind: 'deployed',
    },
    {
      id: 'e1',
      commit: '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      days: 20,
      deployment: 'd-AAAAAAAA1',
      kind: 'deployed',
    },
    {
      id: 'e2',
      commit: '2222222aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      days: 10,
      deployment: 'd-BBBBBBBB2',
      kind: 'rolled-back',
    },
    {
      id: 'e3',
      commit: '3333333aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      days: 9,
      deployment: 'd-CCCCCCCC3',
      kind: 'deployed',
    },
    {
      id: 'e4',
      commit: '4444444aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      days: 5,
      deployment: undefined,
      kind: 'build-failed',
    },
    {
      id: 'e5',
      commit: '5555555aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      days: 2,
      deployment: 'd-DDDDDDDD5',
      kind: 'test-failed',
    },
  ] as const;
  const executions: PipelineExecutionSummary[] = [];
  const actionExecutions: ActionExecutionDetail[] = [];
  const deployments: WorldDeployment[] = [];
  for (const run of runs) {
    const start = ago(run.days);
    // The deploy action starts 9 min after the push; CodeDeploy's events follow a minute apart.
    const deployStart = new Date(start.getTime() + minutes(9));
    const extra = run.days === 9 ? minutes(2) : 0;
    const deployAt = new Date(deployStart.getTime() + extra);
    let end: Date;
    let status: PipelineExecutionSummary['status'];
    if (run.kind === 'deployed') {
      // AllowTraffic (index 6) ends at deployAt + 8 min; the termination wait follows.
      end = new Date(deployAt.getTime() + minutes(16));
      status = 'Succeeded';
      deployments.push({
        deploymentId: run.deployment,
        applicationName: NAMES.application,
        deploymentGroupName: NAMES.group,
        status: 'Succeeded',
        appSpecContent: `version: 0.0 # ${run.commit}`,
        lifecycleEventHookExecutionIds: [],
        createTime: deployAt,
        completeTime: end,
        lifecycleEvents: events(deployAt, 7, 'Succeeded'),
      });
    } else if (run.kind === 'rolled-back') {
      // AllowTraffic starts at deployAt + 7 min, the AfterAllowTraffic hook fails, the rollback ends at + 12 min.
      end = new Date(deployAt.getTime() + minutes(12));
      status = 'Failed';
      deployments.push({
        deploymentId: run.deployment,
        applicationName: NAMES.application,
        deploymentGroupName: NAMES.group,
        status: 'Failed',
        appSpecContent: `version: 0.0 # ${run.commit}`,
        lifecycleEventHookExecutionIds: [],
        createTime: deployAt,
        completeTime: end,
        rollbackInfo: {
          rollbackMessage: 'Deployment failed: the AfterAllowTraffic hook reported Failed',
        },
        errorInformation: {
          code: 'HOOK_EXECUTION_FAILURE',
          message: 'The AfterAllowTraffic hook failed',
        },
        lifecycleEvents: events(deployAt, 7, 'Failed'),
      });
    } else if (run.kind === 'test-failed') {
      end = new Date(deployAt.getTime() + minutes(6));
      status = 'Failed';
      deployments.push({
        deploymentId: run.deployment,
        applicationName: NAMES.application,
        deploymentGroupName: NAMES.group,
        status: 'Failed',
        appSpecContent: `version: 0.0 # ${run.commit}`,
        lifecycleEventHookExecutionIds: [],
        createTime: deployAt,
        completeTime: end,
        errorInformation: {
          code: 'HOOK_EXECUTION_FAILURE',
          message: 'The AfterAllowTestTraffic hook failed',
        },
        lifecycleEvents: events(deployAt, 4, 'Failed'),
      });
    } else {
      end = new Date(start.getTime() + minutes(6));
      status = 'Failed';
    }
    const { summary, actions } = execution(
      run.id,
      run.commit,
      `release ${run.id}\n\nbody`,
      start,
      end,
      status,
      run.deployment,
    );
    executions.push(summary);
    actionExecutions.push(...actions);
  }
  return { executions, actionExecutions, deployments };
}

/** Everything healthy: every verify check passes. */
export function healthyWorld(now: number = Date.now()): AwsWorld {
  const history = releaseHistory(now);
  const manifest = (n: number) =>
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { digest: `sha256:${String(n).repeat(64)}` },
    });
  return {
    region: REGION,
    accountId: ACCOUNT,
    deployments: history.deployments,
    deploymentGroups: [
      {
        applicationName: NAMES.application,
        deploymentGroupName: NAMES.group,
        ecsServices: [{ clusterName: NAMES.cluster, serviceName: NAMES.service }],
      },
    ],
    services: [
      {
        clusterName: NAMES.cluster,
        serviceName: NAMES.service,
        desiredCount: 2,
        taskSets: [
          {
            id: 'ecs-svc/1234567890123456789',
            taskSetArn: ARN(
              'ecs',
              `task-set/${NAMES.cluster}/${NAMES.service}/ecs-svc/1234567890123456789`,
            ),
            status: 'PRIMARY',
            externalId: 'd-CCCCCCCC3',
            taskDefinition: ARN('ecs', 'task-definition/myproject-staging-webapp-color:9'),
            computedDesiredCount: 2,
            runningCount: 2,
            pendingCount: 0,
            stabilityStatus: 'STEADY_STATE',
            scale: { value: 100, unit: 'PERCENT' },
            launchType: 'FARGATE',
            platformVersion: '1.4.0',
          },
        ],
      },
    ],
    taskDefinitions: [],
    networkInterfaces: [],
    repositories: [
      {
        repositoryName: NAMES.repository,
        images: [
          { manifest: manifest(1), tags: ['1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'] },
          { manifest: manifest(3), tags: ['3333333aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'live'] },
          { manifest: manifest(2), tags: ['2222222aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'] },
          { manifest: manifest(4), tags: ['0000000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'previous'] },
        ],
        mutableTags: ['live', 'previous', 'buildcache'],
      },
    ],
    stacks: [
      {
        stackName: NAMES.stateful,
        stackStatus: 'UPDATE_COMPLETE',
        outputs: {},
        terminationProtection: true,
        resources: [
          {
            logicalResourceId: 'Images1A2B3C4D',
            physicalResourceId: NAMES.repository,
            resourceType: 'AWS::ECR::Repository',
          },
        ],
      },
      {
        stackName: NAMES.app,
        stackStatus: 'UPDATE_COMPLETE',
        outputs: {
          SiteUrl: `https://${NAMES.domain}`,
          PipelineName: NAMES.pipeline,
          ClusterName: NAMES.cluster,
          ServiceName: NAMES.service,
          CodeDeployApplication: NAMES.application,
          DeploymentGroupName: NAMES.group,
          NotificationTopicArn: ARNS.topic,
          ConnectionArn: ARNS.connection,
        },
        resources: [
          {
            logicalResourceId: 'GitHubConnection',
            physicalResourceId: ARNS.connection,
            resourceType: 'AWS::CodeStarConnections::Connection',
          },
          {
            logicalResourceId: 'EdgeCertificate1A2B3C4D',
            physicalResourceId: ARNS.certificate,
            resourceType: 'AWS::CertificateManager::Certificate',
          },
          {
            logicalResourceId: 'EdgeLoadBalancer1A2B3C4D',
            physicalResourceId: ARNS.loadBalancer,
            resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
          },
          {
            logicalResourceId: 'EdgeBlueTargetGroup1A2B3C4D',
            physicalResourceId: ARNS.blue,
            resourceType: 'AWS::ElasticLoadBalancingV2::TargetGroup',
          },
          {
            logicalResourceId: 'EdgeGreenTargetGroup1A2B3C4D',
            physicalResourceId: ARNS.green,
            resourceType: 'AWS::ElasticLoadBalancingV2::TargetGroup',
          },
          {
            logicalResourceId: 'EdgeAliasRecord1A2B3C4D',
            physicalResourceId: NAMES.domain,
            resourceType: 'AWS::Route53::RecordSet',
          },
          ...NAMES.alarms.map((name, i) => ({
            logicalResourceId: `RollbackAlarms${i}Alarm1A2B3C4D`,
            physicalResourceId: name,
            resourceType: 'AWS::CloudWatch::Alarm',
          })),
          {
            logicalResourceId: 'NotificationsTopic1A2B3C4D',
            physicalResourceId: ARNS.topic,
            resourceType: 'AWS::SNS::Topic',
          },
        ],
      },
    ],
    connections: [
      {
        connectionArn: ARNS.connection,
        connectionName: 'myproject-staging-github',
        connectionStatus: 'AVAILABLE',
      },
    ],
    certificates: [
      { certificateArn: ARNS.certificate, domainName: NAMES.domain, status: 'ISSUED' },
    ],
    hostedZones: [
      {
        id: NAMES.zone,
        name: 'example.com.',
        records: [
          {
            Name: 'example.com.',
            Type: 'NS',
            TTL: 172800,
            ResourceRecords: [{ Value: 'ns-1.awsdns-01.org.' }],
          },
          {
            Name: 'example.com.',
            Type: 'SOA',
            TTL: 900,
            ResourceRecords: [
              {
                Value: 'ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400',
              },
            ],
          },
          {
            Name: `${NAMES.domain}.`,
            Type: 'A',
            AliasTarget: {
              HostedZoneId: 'Z3AADJGX6KTTL2',
              DNSName: `dualstack.${LOAD_BALANCER_DNS.toLowerCase()}.`,
              EvaluateTargetHealth: false,
            },
          },
          {
            Name: `_3639ac514e785e898d2646601fa951d5.${NAMES.domain}.`,
            Type: 'CNAME',
            TTL: 300,
            ResourceRecords: [
              { Value: '_98d2646601fa951d53639ac514e785e8.mhbtsbpdnt.acm-validations.aws.' },
            ],
          },
        ],
      },
    ],
    loadBalancers: [
      {
        loadBalancerArn: ARNS.loadBalancer,
        dnsName: LOAD_BALANCER_DNS,
        canonicalHostedZoneId: 'Z3AADJGX6KTTL2',
        listeners: [
          productionListener(),
          {
            ListenerArn: `${ARNS.loadBalancer.replace(':loadbalancer/', ':listener/')}/80redirect`,
            Port: 80,
            Protocol: 'HTTP',
            DefaultActions: [
              {
                Type: 'redirect',
                Order: 1,
                RedirectConfig: {
                  Protocol: 'HTTPS',
                  Port: '443',
                  Host: '#{host}',
                  Path: '/#{path}',
                  Query: '#{query}',
                  StatusCode: 'HTTP_301',
                },
              },
            ],
          },
          listener(9000, 'HTTP', [
            [ARNS.blue, 100],
            [ARNS.green, 0],
          ]),
        ],
      },
    ],
    functions: [
      hookFunction(NAMES.testHook, 'AfterAllowTestTraffic', 'http', '9000'),
      hookFunction(NAMES.productionHook, 'AfterAllowTraffic', 'https', '443', {
        LIVE_IMAGE_TAG: 'live',
        PREVIOUS_IMAGE_TAG: 'previous',
      }),
    ],
    alarms: NAMES.alarms.map((name) => ({
      AlarmName: name,
      StateValue: 'OK',
      Threshold: 5,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    })),
    topics: [
      {
        topicArn: ARNS.topic,
        subscriptions: [{ protocol: 'email', endpoint: 'ops@example.com', confirmed: true }],
      },
    ],
    pipelines: [
      {
        pipelineName: NAMES.pipeline,
        executions: history.executions,
        actionExecutions: history.actionExecutions,
      },
    ],
  };
}

export function hookFunction(
  name: string,
  lifecycleEvent: string,
  protocol: string,
  port: string,
  extra: Record<string, string> = {},
) {
  return {
    FunctionName: name,
    Runtime: 'nodejs24.x' as const,
    Handler: 'index.handler',
    Role: `arn:aws:iam::${ACCOUNT}:role/${name}-role`,
    CodeSize: 412345,
    Description: `CodeDeploy ${lifecycleEvent} hook`,
    Timeout: 300,
    MemorySize: 256,
    Architectures: ['arm64' as const],
    VpcConfig: {
      SubnetIds: ['subnet-0a', 'subnet-0b'],
      SecurityGroupIds: ['sg-0hook'],
      VpcId: 'vpc-0123456789abcdef0',
    },
    Environment: {
      Variables: {
        HOOK_LIFECYCLE_EVENT: lifecycleEvent,
        LISTENER_PROTOCOL: protocol,
        LISTENER_PORT: port,
        SITE_HOST: NAMES.domain,
        HEALTH_PATH: '/healthz',
        PAGE_PATH: '/',
        VERSION_PATH: '/version',
        CONTAINER_NAME: 'webapp-color',
        VERSION_VARIABLE: 'APP_VERSION',
        REQUIRE_VERSION: 'true',
        CHECK_BUDGET_MS: '240000',
        LOAD_BALANCER_ENI_DESCRIPTION: 'ELB app/mypro-EdgeL-1A2B3C4D5E6F/50dc6c495c0c9188',
        ...extra,
      },
    },
  };
}
