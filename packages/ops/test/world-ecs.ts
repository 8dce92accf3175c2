import type { AwsWorld } from '@webapp-color/aws-local';
import type {
  ServiceDeployment,
  ServiceDeploymentLifecycleStage,
  ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import type { Listener, Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ACCOUNT, ARNS, LOAD_BALANCER_DNS, NAMES, healthyWorld, hookFunction } from './world.js';

/**
 * staging-ecs (test/ecs-environment.ts) as a real account holds it after a
 * few native releases, in the shapes the APIs answer: the app stack's
 * outputs of an ECS-controller environment (SiteUrl, DashboardUrl,
 * ClusterName, ServiceName: no pipeline, CodeDeploy, topic or connection,
 * infra/lib/stacks/app-stack.ts addNativeOutputs), a service on the ECS
 * controller with its deployments and service deployments, and each
 * listener's priority-1 rule as ECS leaves it after an odd number of
 * releases: a weighted ForwardConfig, green 100 and blue 0
 * (docs/ecs-native.md).
 */

const REGION = 'us-east-2';
export const ECS_NAMES = {
  app: 'myproject-staging-ecs-app',
  stateful: 'myproject-staging-ecs-stateful',
  cluster: 'myproject-staging-ecs-app-ServiceCluster1A2B3C4D-UvWxYz',
  service: 'myproject-staging-ecs-app-ServiceFargate5E6F7A8B-AbCdEf',
  domain: 'myapp-ecs.example.com',
  /** The native hooks: CDK names them (ECS finds them by ARN in the service). */
  testHook: 'myproject-staging-ecs-app-SmokeTestFunction3C1D2E-QwErTy',
  productionHook: 'myproject-staging-ecs-app-ProductionCheckFunction9A8B-AsDfGh',
  hookInvokeRole: `arn:aws:iam::${ACCOUNT}:role/myproject-staging-ecs-app-DeploymentHookInvokeRole-ZxCv`,
};

/** A native hook function as GetFunctionConfiguration answers it (infra's DeploymentHook under ecs). */
function nativeHookFunction(name: string, lifecycleEvent: string, protocol: string, port: string) {
  const production = lifecycleEvent === 'AfterAllowTraffic';
  const fn = hookFunction(
    name,
    lifecycleEvent,
    protocol,
    port,
    production ? { LIVE_IMAGE_TAG: 'live', PREVIOUS_IMAGE_TAG: 'previous' } : {},
  );
  return {
    ...fn,
    Timeout: 120,
    Environment: {
      Variables: {
        ...fn.Environment.Variables,
        SITE_HOST: ECS_NAMES.domain,
        CHECK_BUDGET_MS: '90000',
        CHECK_DEADLINE_MS: '600000',
      },
    },
  };
}

/** The service's lifecycle hooks as DescribeServices answers them. */
export function nativeLifecycleHooks() {
  const arn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
  return [
    {
      hookTargetArn: arn(ECS_NAMES.testHook),
      roleArn: ECS_NAMES.hookInvokeRole,
      lifecycleStages: ['TEST_TRAFFIC_SHIFT' as const, 'POST_TEST_TRAFFIC_SHIFT' as const],
    },
    {
      hookTargetArn: arn(ECS_NAMES.productionHook),
      roleArn: ECS_NAMES.hookInvokeRole,
      lifecycleStages: [
        'PRODUCTION_TRAFFIC_SHIFT' as const,
        'POST_PRODUCTION_TRAFFIC_SHIFT' as const,
      ],
    },
  ];
}

const listenerArn = (port: number) =>
  `${ARNS.loadBalancer.replace(':loadbalancer/', ':listener/')}/${port}0000000000${port}`;
const serviceArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${ECS_NAMES.cluster}/${ECS_NAMES.service}`;
export const serviceDeploymentArn = (id: string) =>
  `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/${ECS_NAMES.cluster}/${ECS_NAMES.service}/${id}`;
export const revisionArn = (n: number) =>
  `arn:aws:ecs:${REGION}:${ACCOUNT}:service-revision/${ECS_NAMES.cluster}/${ECS_NAMES.service}/${n}`;

/** A listener as the CDK app creates it for the ECS controller: its default action is never reached. */
function listener(port: number, protocol: 'HTTP' | 'HTTPS'): Listener {
  return {
    ListenerArn: listenerArn(port),
    Port: port,
    Protocol: protocol,
    DefaultActions: [
      {
        Type: 'forward',
        Order: 1,
        TargetGroupArn: ARNS.blue,
        ForwardConfig: {
          TargetGroups: [{ TargetGroupArn: ARNS.blue, Weight: 1 }],
          TargetGroupStickinessConfig: { Enabled: false },
        },
      },
    ],
  };
}

/** The traffic rule (priority 1, every path) forwarding with these weights. */
export function trafficRule(
  port: number,
  groups: readonly (readonly [string, number])[],
  priority = '1',
): Rule {
  return {
    RuleArn: `${listenerArn(port).replace(':listener/', ':listener-rule/')}/${priority}00${port}`,
    Priority: priority,
    Conditions: [
      {
        Field: 'path-pattern',
        Values: ['/*'],
        PathPatternConfig: { Values: ['/*'] },
      },
    ],
    Actions: [
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

/** Green live, blue idle: after an odd number of releases. */
export const LIVE_ON_GREEN = [
  [ARNS.green, 100],
  [ARNS.blue, 0],
] as const;

const minutes = (n: number) => n * 60_000;

/** One service deployment of the canary configuration, created at `at`. */
export function serviceDeployment(
  id: string,
  at: Date,
  status: ServiceDeploymentStatus,
  revision: number,
  options: {
    finishedAfterMinutes?: number;
    rollbackAfterMinutes?: number;
    stage?: ServiceDeploymentLifecycleStage;
  } = {},
): ServiceDeployment {
  const finishedAt =
    options.finishedAfterMinutes === undefined
      ? undefined
      : new Date(at.getTime() + minutes(options.finishedAfterMinutes));
  return {
    serviceDeploymentArn: serviceDeploymentArn(id),
    createdAt: at,
    startedAt: at,
    finishedAt,
    stoppedAt: status === 'STOPPED' ? finishedAt : undefined,
    updatedAt: finishedAt ?? at,
    sourceServiceRevisions: [
      { arn: revisionArn(revision - 1), requestedTaskCount: 2, runningTaskCount: 0 },
    ],
    targetServiceRevision: {
      arn: revisionArn(revision),
      requestedTaskCount: 2,
      runningTaskCount: status === 'SUCCESSFUL' ? 2 : 0,
      pendingTaskCount: 0,
    },
    status,
    statusReason:
      status === 'ROLLBACK_SUCCESSFUL'
        ? 'Service deployment rolled back because of an alarm'
        : undefined,
    lifecycleStage: options.stage ?? (finishedAt ? 'CLEAN_UP' : 'SCALE_UP'),
    deploymentConfiguration: {
      strategy: 'CANARY',
      bakeTimeInMinutes: 15,
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 },
    },
    rollback:
      options.rollbackAfterMinutes === undefined
        ? undefined
        : {
            reason: 'Alarm myproject-staging-ecs-app-RollbackAlarmsTarget5xxAlarm-2B in ALARM',
            startedAt: new Date(at.getTime() + minutes(options.rollbackAfterMinutes)),
            serviceRevisionArn: revisionArn(revision - 1),
          },
    alarms: {
      status: status === 'ROLLBACK_SUCCESSFUL' ? 'TRIGGERED' : 'MONITORING',
      alarmNames: NAMES.alarms,
      triggeredAlarmNames:
        status === 'ROLLBACK_SUCCESSFUL'
          ? ['myproject-staging-ecs-app-RollbackAlarmsTarget5xxAlarm-2B']
          : [],
    },
  };
}

/**
 * The service deployments of the last 40 days, `now` the moment of the test:
 * - 40 d ago, successful (outside a 30-day window);
 * - 20 d ago, successful in 25 min;
 * - 10 d ago, rolled back: the alarm fired 12 min in, the rollback ended 5 min later;
 * - 9 d ago, successful in 27 min;
 * - 3 d ago, stopped on request after 4 min;
 * - 1 d ago, successful in 25 min.
 */
export function serviceDeploymentHistory(now: number): ServiceDeployment[] {
  const ago = (days: number) => new Date(now - days * 86_400_000);
  return [
    serviceDeployment('old0000000', ago(40), 'SUCCESSFUL', 2, { finishedAfterMinutes: 25 }),
    serviceDeployment('aaaa111111', ago(20), 'SUCCESSFUL', 3, { finishedAfterMinutes: 25 }),
    serviceDeployment('bbbb222222', ago(10), 'ROLLBACK_SUCCESSFUL', 4, {
      finishedAfterMinutes: 17,
      rollbackAfterMinutes: 12,
    }),
    serviceDeployment('cccc333333', ago(9), 'SUCCESSFUL', 5, { finishedAfterMinutes: 27 }),
    serviceDeployment('dddd444444', ago(3), 'STOPPED', 6, { finishedAfterMinutes: 4 }),
    serviceDeployment('eeee555555', ago(1), 'SUCCESSFUL', 7, { finishedAfterMinutes: 25 }),
  ];
}

/** Everything healthy on the ECS controller: every check that applies passes. */
export function healthyEcsWorld(now: number = Date.now()): AwsWorld {
  const base = healthyWorld(now);
  const [stateful, app] = base.stacks!;
  const keep = new Set([
    'AWS::CertificateManager::Certificate',
    'AWS::ElasticLoadBalancingV2::LoadBalancer',
    'AWS::ElasticLoadBalancingV2::TargetGroup',
    'AWS::Route53::RecordSet',
    'AWS::CloudWatch::Alarm',
  ]);
  return {
    ...base,
    deployments: [],
    deploymentGroups: [],
    pipelines: [],
    connections: [],
    topics: [],
    functions: [
      nativeHookFunction(ECS_NAMES.testHook, 'AfterAllowTestTraffic', 'http', '9000'),
      nativeHookFunction(ECS_NAMES.productionHook, 'AfterAllowTraffic', 'https', '443'),
    ],
    services: [
      {
        clusterName: ECS_NAMES.cluster,
        serviceName: ECS_NAMES.service,
        taskSets: [],
        desiredCount: 2,
        deploymentController: 'ECS',
        deploymentConfiguration: {
          strategy: 'CANARY',
          bakeTimeInMinutes: 15,
          canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 },
          deploymentCircuitBreaker: { enable: false, rollback: false },
          alarms: { alarmNames: NAMES.alarms, enable: true, rollback: true },
          maximumPercent: 200,
          minimumHealthyPercent: 100,
          lifecycleHooks: nativeLifecycleHooks(),
        },
        deployments: [
          {
            id: 'ecs-svc/7777777777777777777',
            status: 'PRIMARY',
            taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/myproject-staging-ecs-webapp-color:7`,
            desiredCount: 2,
            pendingCount: 0,
            runningCount: 2,
            failedTasks: 0,
            createdAt: new Date(now - 86_400_000),
            updatedAt: new Date(now - 86_400_000 + minutes(25)),
            launchType: 'FARGATE',
            platformVersion: '1.4.0',
            rolloutState: 'COMPLETED',
            rolloutStateReason: 'ECS deployment ecs-svc/7777777777777777777 completed.',
          },
        ],
        serviceDeployments: serviceDeploymentHistory(now),
      },
    ],
    stacks: [
      {
        ...stateful!,
        stackName: ECS_NAMES.stateful,
      },
      {
        ...app!,
        stackName: ECS_NAMES.app,
        outputs: {
          SiteUrl: `https://${ECS_NAMES.domain}`,
          DashboardUrl: `https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#dashboards/dashboard/myproject-staging-ecs`,
          ClusterName: ECS_NAMES.cluster,
          ServiceName: ECS_NAMES.service,
        },
        resources: app!.resources
          .filter((r) => keep.has(r.resourceType))
          .map((r) =>
            r.resourceType === 'AWS::Route53::RecordSet'
              ? { ...r, physicalResourceId: ECS_NAMES.domain }
              : r,
          ),
      },
    ],
    certificates: [
      { certificateArn: ARNS.certificate, domainName: ECS_NAMES.domain, status: 'ISSUED' },
    ],
    hostedZones: base.hostedZones!.map((zone) => ({
      ...zone,
      records: zone.records.map((record) =>
        record.Type === 'A' ? { ...record, Name: `${ECS_NAMES.domain}.` } : record,
      ),
    })),
    loadBalancers: [
      {
        loadBalancerArn: ARNS.loadBalancer,
        dnsName: LOAD_BALANCER_DNS,
        canonicalHostedZoneId: 'Z3AADJGX6KTTL2',
        listeners: [
          { ...listener(443, 'HTTPS'), Certificates: [{ CertificateArn: ARNS.certificate }] },
          listener(9000, 'HTTP'),
        ],
        rules: {
          [listenerArn(443)]: [trafficRule(443, LIVE_ON_GREEN)],
          [listenerArn(9000)]: [trafficRule(9000, LIVE_ON_GREEN)],
        },
      },
    ],
  };
}

export { listenerArn, serviceArn };
