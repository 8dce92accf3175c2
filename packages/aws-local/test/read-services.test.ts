import { ACMClient, DescribeCertificateCommand } from '@aws-sdk/client-acm';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CodeDeployClient,
  DeploymentTargetDoesNotExistException,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentGroupsCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import {
  CodePipelineClient,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  PipelineNotFoundException,
} from '@aws-sdk/client-codepipeline';
import {
  CodeStarConnectionsClient,
  GetConnectionCommand,
} from '@aws-sdk/client-codestar-connections';
import { DescribeImagesCommand, ECRClient, ImageNotFoundException } from '@aws-sdk/client-ecr';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
  LoadBalancerNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import {
  ListResourceRecordSetsCommand,
  NoSuchHostedZone,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { ListSubscriptionsByTopicCommand, NotFoundException, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsStandIn, type AwsStandIn, type AwsWorld } from '../src/index.js';

/**
 * The read operations added for `@webapp-color/ops` (verify, releases),
 * driven by the real SDK clients: each protocol's serializer and
 * deserializer, success and error shapes.
 */

const LB =
  'arn:aws:elasticloadbalancing:us-east-2:123456789012:loadbalancer/app/web/50dc6c495c0c9188';
const BLUE =
  'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/blue/1111111111111111';
const GREEN =
  'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/green/2222222222222222';
const TOPIC = 'arn:aws:sns:us-east-2:123456789012:releases';
const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute));

function world(): AwsWorld {
  return {
    deployments: Array.from({ length: 120 }, (_, i) => ({
      deploymentId: `d-${String(i).padStart(9, '0')}`,
      applicationName: 'app',
      deploymentGroupName: 'group',
      status: i === 119 ? ('InProgress' as const) : ('Succeeded' as const),
      appSpecContent: `version: 0.0 # ${i}`,
      lifecycleEventHookExecutionIds: [],
      createTime: new Date(Date.UTC(2026, 10, 1) + i * 3_600_000),
      completeTime:
        i === 119 ? undefined : new Date(Date.UTC(2026, 10, 1) + i * 3_600_000 + 900_000),
      lifecycleEvents:
        i === 0
          ? [
              {
                lifecycleEventName: 'Install',
                startTime: at(0),
                endTime: at(2),
                status: 'Succeeded',
              },
              {
                lifecycleEventName: 'AllowTraffic',
                startTime: at(5),
                endTime: at(6),
                status: 'Succeeded',
              },
            ]
          : undefined,
    })),
    deploymentGroups: [
      {
        applicationName: 'app',
        deploymentGroupName: 'group',
        ecsServices: [{ clusterName: 'web', serviceName: 'svc' }],
      },
    ],
    services: [],
    taskDefinitions: [],
    networkInterfaces: [],
    repositories: [
      {
        repositoryName: 'images',
        images: [{ manifest: '{"schemaVersion":2}', tags: ['abc', 'live'] }],
      },
    ],
    stacks: [
      {
        stackName: 'web-app',
        stackStatus: 'UPDATE_COMPLETE',
        outputs: { ClusterName: 'web' },
        resources: Array.from({ length: 130 }, (_, i) => ({
          logicalResourceId: `Alarm${i}`,
          physicalResourceId: `web-app-Alarm${i}`,
          resourceType: 'AWS::CloudWatch::Alarm',
        })),
      },
    ],
    connections: [
      {
        connectionArn: 'arn:aws:codestar-connections:us-east-2:123456789012:connection/abc',
        connectionName: 'web-github',
        connectionStatus: 'PENDING',
      },
    ],
    certificates: [
      {
        certificateArn: 'arn:aws:acm:us-east-2:123456789012:certificate/abc',
        domainName: 'web.example.com',
        status: 'PENDING_VALIDATION',
      },
    ],
    hostedZones: [
      {
        id: 'ZONE1',
        name: 'example.com.',
        records: [
          {
            Name: 'web.example.com.',
            Type: 'A',
            AliasTarget: {
              HostedZoneId: 'Z3AADJGX6KTTL2',
              DNSName: 'dualstack.web-1.us-east-2.elb.amazonaws.com.',
              EvaluateTargetHealth: false,
            },
          },
          {
            Name: 'example.com.',
            Type: 'NS',
            TTL: 172800,
            ResourceRecords: [{ Value: 'ns-1.awsdns-01.org.' }, { Value: 'ns-2.awsdns-02.net.' }],
          },
          {
            Name: 'a.web.example.com.',
            Type: 'CNAME',
            TTL: 300,
            ResourceRecords: [{ Value: 'web.example.com.' }],
          },
        ],
      },
    ],
    loadBalancers: [
      {
        loadBalancerArn: LB,
        dnsName: 'web-1.us-east-2.elb.amazonaws.com',
        listeners: [
          {
            ListenerArn: `${LB.replace(':loadbalancer/', ':listener/')}/443`,
            Port: 443,
            Protocol: 'HTTPS',
            DefaultActions: [
              {
                Type: 'forward',
                Order: 1,
                ForwardConfig: {
                  TargetGroups: [
                    { TargetGroupArn: BLUE, Weight: 100 },
                    { TargetGroupArn: GREEN, Weight: 0 },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
    functions: [
      {
        FunctionName: 'hook',
        Runtime: 'nodejs24.x',
        Environment: { Variables: { LISTENER_PORT: '9000' } },
      },
    ],
    alarms: [
      { AlarmName: 'b-latency', StateValue: 'ALARM', Threshold: 2 },
      { AlarmName: 'a-5xx', StateValue: 'OK', Threshold: 5 },
    ],
    topics: [
      {
        topicArn: TOPIC,
        subscriptions: [
          { protocol: 'email', endpoint: 'ops@example.com', confirmed: true },
          { protocol: 'email', endpoint: 'new@example.com', confirmed: false },
        ],
      },
    ],
    pipelines: [
      {
        pipelineName: 'release',
        executions: [
          {
            pipelineExecutionId: 'old',
            status: 'Succeeded',
            startTime: at(0),
            lastUpdateTime: at(20),
          },
          {
            pipelineExecutionId: 'new',
            status: 'Failed',
            startTime: at(30),
            lastUpdateTime: at(35),
            sourceRevisions: [{ actionName: 'GitHub', revisionId: 'abc123' }],
          },
        ],
        actionExecutions: [
          {
            pipelineExecutionId: 'old',
            actionName: 'BlueGreen',
            startTime: at(9),
            status: 'Succeeded',
            output: { executionResult: { externalExecutionId: 'd-000000000' } },
          },
          {
            pipelineExecutionId: 'new',
            actionName: 'GitHub',
            startTime: at(30),
            status: 'Succeeded',
          },
        ],
      },
    ],
  };
}

let standIn: AwsStandIn;
const saved = { ...process.env };
beforeAll(async () => {
  standIn = await startAwsStandIn(world());
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: standIn.endpoint,
    AWS_REGION: 'us-east-2',
    AWS_ACCESS_KEY_ID: 'AKIDLOCALSTANDIN',
    AWS_SECRET_ACCESS_KEY: 'local-stand-in-secret',
  });
});
afterAll(async () => {
  process.env = saved;
  await standIn.close();
});

const config = { maxAttempts: 1 };

describe('CloudFormation (awsQuery)', () => {
  it('describes a stack with its outputs, and pages its resources by 100', async () => {
    const cfn = new CloudFormationClient(config);
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: 'web-app' }));
    expect(Stacks?.[0]).toMatchObject({
      StackName: 'web-app',
      StackStatus: 'UPDATE_COMPLETE',
      Outputs: [{ OutputKey: 'ClusterName', OutputValue: 'web' }],
    });
    expect(Stacks?.[0]?.StackId).toMatch(
      /^arn:aws:cloudformation:us-east-2:123456789012:stack\/web-app\/[0-9a-f-]{36}$/,
    );
    expect(Stacks?.[0]?.CreationTime).toBeInstanceOf(Date);
    const first = await cfn.send(new ListStackResourcesCommand({ StackName: 'web-app' }));
    expect(first.StackResourceSummaries).toHaveLength(100);
    expect(first.NextToken).toBeDefined();
    const second = await cfn.send(
      new ListStackResourcesCommand({ StackName: 'web-app', NextToken: first.NextToken }),
    );
    expect(second.StackResourceSummaries?.map((r) => r.PhysicalResourceId).at(-1)).toBe(
      'web-app-Alarm129',
    );
    expect(second.NextToken).toBeUndefined();
  });

  it('answers an unknown stack with ValidationError, as CloudFormation does', async () => {
    const error = await new CloudFormationClient(config)
      .send(new DescribeStacksCommand({ StackName: 'nope' }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'ValidationError',
      message: 'Stack with id nope does not exist',
    });
  });

  it('refuses an unsigned request', async () => {
    const response = await fetch(standIn.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DescribeStacks&Version=2010-05-15&StackName=web-app',
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });
});

describe('Elastic Load Balancing v2 (awsQuery)', () => {
  it('describes the load balancer and its weighted listeners', async () => {
    const elb = new ElasticLoadBalancingV2Client(config);
    const { LoadBalancers } = await elb.send(
      new DescribeLoadBalancersCommand({ LoadBalancerArns: [LB] }),
    );
    expect(LoadBalancers?.[0]).toMatchObject({
      DNSName: 'web-1.us-east-2.elb.amazonaws.com',
      State: { Code: 'active' },
      Type: 'application',
    });
    const { Listeners } = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: LB }));
    expect(Listeners?.[0]?.LoadBalancerArn).toBe(LB);
    expect(Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups).toEqual([
      { TargetGroupArn: BLUE, Weight: 100 },
      { TargetGroupArn: GREEN, Weight: 0 },
    ]);
    expect(Listeners?.[0]?.DefaultActions?.[0]?.TargetGroupArn).toBeUndefined();
  });

  it('answers an unknown load balancer with LoadBalancerNotFound', async () => {
    const error = await new ElasticLoadBalancingV2Client(config)
      .send(new DescribeListenersCommand({ LoadBalancerArn: `${LB}0` }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadBalancerNotFoundException);
  });
});

describe('SNS and STS (awsQuery)', () => {
  it('lists subscriptions, an unconfirmed one as PendingConfirmation', async () => {
    const { Subscriptions } = await new SNSClient(config).send(
      new ListSubscriptionsByTopicCommand({ TopicArn: TOPIC }),
    );
    expect(
      Subscriptions?.map((s) => [s.Endpoint, s.SubscriptionArn === 'PendingConfirmation']),
    ).toEqual([
      ['ops@example.com', false],
      ['new@example.com', true],
    ]);
    expect(Subscriptions?.[0]?.SubscriptionArn).toMatch(new RegExp(`^${TOPIC}:`));
  });

  it('answers an unknown topic with NotFound', async () => {
    const error = await new SNSClient(config)
      .send(new ListSubscriptionsByTopicCommand({ TopicArn: `${TOPIC}-x` }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundException);
  });

  it('says who the caller is', async () => {
    const identity = await new STSClient(config).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('123456789012');
    expect(identity.Arn).toMatch(/^arn:aws:sts::123456789012:assumed-role\//);
  });
});

describe('Route 53 (restXml)', () => {
  it('lists records in Route 53 order from the name asked, with alias targets and paging', async () => {
    const route53 = new Route53Client({ ...config, region: 'us-east-1' });
    const page = await route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: '/hostedzone/ZONE1',
        StartRecordName: 'web.example.com',
        StartRecordType: 'A',
        MaxItems: 1,
      }),
    );
    expect(page.ResourceRecordSets).toEqual([
      {
        Name: 'web.example.com.',
        Type: 'A',
        AliasTarget: {
          HostedZoneId: 'Z3AADJGX6KTTL2',
          DNSName: 'dualstack.web-1.us-east-2.elb.amazonaws.com.',
          EvaluateTargetHealth: false,
        },
      },
    ]);
    expect(page).toMatchObject({
      IsTruncated: true,
      MaxItems: 1,
      NextRecordName: 'a.web.example.com.',
      NextRecordType: 'CNAME',
    });
    const all = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: 'ZONE1' }));
    expect(all.ResourceRecordSets?.map((r) => `${r.Name} ${r.Type}`)).toEqual([
      'example.com. NS',
      'web.example.com. A',
      'a.web.example.com. CNAME',
    ]);
    expect(all.ResourceRecordSets?.[0]?.ResourceRecords).toEqual([
      { Value: 'ns-1.awsdns-01.org.' },
      { Value: 'ns-2.awsdns-02.net.' },
    ]);
  });

  it('answers an unknown zone with NoSuchHostedZone', async () => {
    const error = await new Route53Client(config)
      .send(new ListResourceRecordSetsCommand({ HostedZoneId: 'ZONE2' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoSuchHostedZone);
  });
});

describe('Lambda (restJson1)', () => {
  it('answers the function configuration, filling what Lambda always reports', async () => {
    const found = await new LambdaClient(config).send(
      new GetFunctionConfigurationCommand({ FunctionName: 'hook' }),
    );
    expect(found).toMatchObject({
      FunctionName: 'hook',
      FunctionArn: 'arn:aws:lambda:us-east-2:123456789012:function:hook',
      State: 'Active',
      LastUpdateStatus: 'Successful',
      Environment: { Variables: { LISTENER_PORT: '9000' } },
    });
  });

  it('answers an unknown function with ResourceNotFoundException', async () => {
    const error = await new LambdaClient(config)
      .send(new GetFunctionConfigurationCommand({ FunctionName: 'nope' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toBe(
      'Function not found: arn:aws:lambda:us-east-2:123456789012:function:nope',
    );
  });
});

describe('ACM, CodeStar Connections, CloudWatch (awsJson)', () => {
  it('describes a pending certificate with its validation record', async () => {
    const { Certificate } = await new ACMClient(config).send(
      new DescribeCertificateCommand({
        CertificateArn: 'arn:aws:acm:us-east-2:123456789012:certificate/abc',
      }),
    );
    expect(Certificate?.Status).toBe('PENDING_VALIDATION');
    expect(Certificate?.IssuedAt).toBeUndefined();
    expect(Certificate?.DomainValidationOptions?.[0]?.ResourceRecord?.Type).toBe('CNAME');
  });

  it('answers a connection with its status', async () => {
    const { Connection } = await new CodeStarConnectionsClient(config).send(
      new GetConnectionCommand({
        ConnectionArn: 'arn:aws:codestar-connections:us-east-2:123456789012:connection/abc',
      }),
    );
    expect(Connection).toMatchObject({
      ConnectionName: 'web-github',
      ConnectionStatus: 'PENDING',
      ProviderType: 'GitHub',
    });
  });

  it('describes the named alarms only, sorted by name, leaving unknown names out', async () => {
    const { MetricAlarms } = await new CloudWatchClient(config).send(
      new DescribeAlarmsCommand({ AlarmNames: ['b-latency', 'a-5xx', 'missing'] }),
    );
    expect(MetricAlarms?.map((a) => [a.AlarmName, a.StateValue])).toEqual([
      ['a-5xx', 'OK'],
      ['b-latency', 'ALARM'],
    ]);
    expect(MetricAlarms?.[0]?.StateUpdatedTimestamp).toBeInstanceOf(Date);
  });

  it('reports CloudWatch errors with their query-compatible code', async () => {
    const error = await new CloudWatchClient(config)
      .send(new DescribeAlarmsCommand({ NextToken: 'not-a-token' }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InvalidNextToken' });
  });
});

describe('CodeDeploy history', () => {
  it('lists a group’s deployments newest first, by status, in pages of 100', async () => {
    const codedeploy = new CodeDeployClient(config);
    const first = await codedeploy.send(
      new ListDeploymentsCommand({ applicationName: 'app', deploymentGroupName: 'group' }),
    );
    expect(first.deployments).toHaveLength(100);
    expect(first.deployments?.[0]).toBe('d-000000119');
    const second = await codedeploy.send(
      new ListDeploymentsCommand({
        applicationName: 'app',
        deploymentGroupName: 'group',
        nextToken: first.nextToken,
      }),
    );
    expect(second.deployments).toHaveLength(20);
    expect(second.nextToken).toBeUndefined();
    const running = await codedeploy.send(
      new ListDeploymentsCommand({
        applicationName: 'app',
        deploymentGroupName: 'group',
        includeOnlyStatuses: ['InProgress'],
      }),
    );
    expect(running.deployments).toEqual(['d-000000119']);
    const groups = await codedeploy.send(
      new ListDeploymentGroupsCommand({ applicationName: 'app' }),
    );
    expect(groups.deploymentGroups).toEqual(['group']);
  });

  it('answers an ECS deployment’s one target and its lifecycle events', async () => {
    const codedeploy = new CodeDeployClient(config);
    const { deploymentInfo } = await codedeploy.send(
      new GetDeploymentCommand({ deploymentId: 'd-000000000' }),
    );
    expect(deploymentInfo?.completeTime).toBeInstanceOf(Date);
    const { targetIds } = await codedeploy.send(
      new ListDeploymentTargetsCommand({ deploymentId: 'd-000000000' }),
    );
    expect(targetIds).toEqual(['web:svc']);
    const { deploymentTarget } = await codedeploy.send(
      new GetDeploymentTargetCommand({ deploymentId: 'd-000000000', targetId: 'web:svc' }),
    );
    expect(deploymentTarget?.deploymentTargetType).toBe('ECSTarget');
    expect(deploymentTarget?.ecsTarget?.targetArn).toBe(
      'arn:aws:ecs:us-east-2:123456789012:service/web/svc',
    );
    expect(
      deploymentTarget?.ecsTarget?.lifecycleEvents?.find(
        (e) => e.lifecycleEventName === 'AllowTraffic',
      )?.endTime,
    ).toEqual(at(6));
    const error = await codedeploy
      .send(new GetDeploymentTargetCommand({ deploymentId: 'd-000000000', targetId: 'web:other' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploymentTargetDoesNotExistException);
  });
});

describe('CodePipeline history (awsJson1_1)', () => {
  it('lists executions and action executions newest first, one execution’s on request', async () => {
    const pipeline = new CodePipelineClient(config);
    const { pipelineExecutionSummaries } = await pipeline.send(
      new ListPipelineExecutionsCommand({ pipelineName: 'release' }),
    );
    expect(pipelineExecutionSummaries?.map((s) => s.pipelineExecutionId)).toEqual(['new', 'old']);
    expect(pipelineExecutionSummaries?.[0]?.sourceRevisions?.[0]?.revisionId).toBe('abc123');
    const { actionExecutionDetails } = await pipeline.send(
      new ListActionExecutionsCommand({
        pipelineName: 'release',
        filter: { pipelineExecutionId: 'old' },
      }),
    );
    expect(
      actionExecutionDetails?.map((a) => a.output?.executionResult?.externalExecutionId),
    ).toEqual(['d-000000000']);
  });

  it('answers an unknown pipeline with PipelineNotFoundException', async () => {
    const error = await new CodePipelineClient(config)
      .send(new ListPipelineExecutionsCommand({ pipelineName: 'nope' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineNotFoundException);
  });
});

describe('ECR DescribeImages', () => {
  it('describes an image by tag, and fails the whole call for a tag no image has', async () => {
    const ecr = new ECRClient(config);
    const { imageDetails } = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'images', imageIds: [{ imageTag: 'live' }] }),
    );
    expect(imageDetails?.[0]?.imageTags).toEqual(['abc', 'live']);
    expect(imageDetails?.[0]?.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const error = await ecr
      .send(
        new DescribeImagesCommand({
          repositoryName: 'images',
          imageIds: [{ imageTag: 'live' }, { imageTag: 'previous' }],
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageNotFoundException);
  });
});
