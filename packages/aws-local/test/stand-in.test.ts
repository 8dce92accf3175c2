import {
  CodeDeployClient,
  DeploymentDoesNotExistException,
  DeploymentGroupDoesNotExistException,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  InvalidDeploymentIdException,
  InvalidLifecycleEventHookExecutionIdException,
  LifecycleEventAlreadyCompletedException,
  PutLifecycleEventHookExecutionStatusCommand,
  RevisionDoesNotExistException,
} from '@aws-sdk/client-codedeploy';
import { DescribeNetworkInterfacesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  BatchGetImageCommand,
  ECRClient,
  ImageAlreadyExistsException,
  ImageTagAlreadyExistsException,
  PutImageCommand,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import {
  ClientException,
  ClusterNotFoundException,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  sha256,
  startAwsStandIn,
  taskDefinitionArn,
  type AwsStandIn,
  type AwsWorld,
} from '../src/index.js';

const APPSPEC = [
  'version: 0.0',
  'Resources:',
  '  - TargetService:',
  '      Type: AWS::ECS::Service',
  '      Properties:',
  '        TaskDefinition: "arn:aws:ecs:us-east-2:123456789012:task-definition/webapp-color:7"',
  '',
].join('\n');

/** An image with a provenance attestation, as BuildKit pushes it: an OCI image index. */
const OCI_INDEX = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${'a'.repeat(64)}`,
      size: 1234,
      platform: { architecture: 'amd64', os: 'linux' },
    },
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${'b'.repeat(64)}`,
      size: 567,
      annotations: {
        'vnd.docker.reference.digest': `sha256:${'a'.repeat(64)}`,
        'vnd.docker.reference.type': 'attestation-manifest',
      },
      platform: { architecture: 'unknown', os: 'unknown' },
    },
  ],
});

/** A multi-arch image as `docker manifest push` makes it: a Docker manifest list. */
const DOCKER_MANIFEST_LIST = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
  manifests: ['amd64', 'arm64'].map((architecture, i) => ({
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    digest: `sha256:${String(i + 1).repeat(64)}`,
    size: 1000,
    platform: { architecture, os: 'linux' },
  })),
});

function world(): AwsWorld {
  return {
    deployments: [
      {
        deploymentId: 'd-ABCDEFGH1',
        applicationName: 'webapp-color',
        deploymentGroupName: 'webapp-color-bluegreen',
        appSpecContent: APPSPEC,
        lifecycleEventHookExecutionIds: ['hook-after-test-traffic'],
      },
    ],
    services: [
      {
        clusterName: 'webapp',
        serviceName: 'webapp-color',
        taskSets: [
          {
            id: 'ecs-svc/1111',
            status: 'PRIMARY',
            taskDefinition: 'arn:aws:ecs:us-east-2:123456789012:task-definition/webapp-color:6',
            runningCount: 2,
          },
          {
            id: 'ecs-svc/2222',
            status: 'ACTIVE',
            taskDefinition: 'arn:aws:ecs:us-east-2:123456789012:task-definition/webapp-color:7',
            runningCount: 2,
          },
        ],
      },
    ],
    taskDefinitions: [6, 7].map((revision) => ({
      family: 'webapp-color',
      revision,
      containerDefinitions: [
        {
          name: 'webapp-color',
          image: `123456789012.dkr.ecr.us-east-2.amazonaws.com/webapp-color:r${revision}`,
          environment: [{ name: 'APP_VERSION', value: `r${revision}` }],
        },
      ],
    })),
    repositories: [
      {
        repositoryName: 'webapp-color',
        mutableTags: ['live'],
        images: [
          { manifest: '{"schemaVersion":2,"layers":["r6"]}', tags: ['r6', 'live'] },
          { manifest: '{"schemaVersion":2,"layers":["r7"]}', tags: ['r7'] },
          {
            manifest: OCI_INDEX,
            mediaType: 'application/vnd.oci.image.index.v1+json',
            tags: ['r8'],
          },
          {
            manifest: DOCKER_MANIFEST_LIST,
            mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
            tags: ['r9'],
          },
        ],
      },
    ],
    networkInterfaces: [
      {
        networkInterfaceId: 'eni-0a',
        description: 'ELB app/web/50dc6c495c0c9188',
        privateIpAddress: '10.1.0.10',
      },
      {
        networkInterfaceId: 'eni-0b',
        description: 'ELB app/web/50dc6c495c0c9188',
        privateIpAddress: '10.1.16.10',
      },
      {
        networkInterfaceId: 'eni-0c',
        description: 'ELB app/other/1111111111111111',
        privateIpAddress: '10.1.0.99',
      },
    ],
  };
}

let standIn: AwsStandIn;
const saved = { ...process.env };

beforeAll(async () => {
  standIn = await startAwsStandIn(world());
  // The SDK's own configuration route: no endpoint option in the clients below.
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

const clients = () => ({
  codedeploy: new CodeDeployClient({ maxAttempts: 1 }),
  ecs: new ECSClient({ maxAttempts: 1 }),
  ec2: new EC2Client({ maxAttempts: 1 }),
  ecr: new ECRClient({ maxAttempts: 1 }),
});

describe('CodeDeploy', () => {
  it('answers GetDeployment with the revision hash only, never the AppSpec text', async () => {
    const { deploymentInfo } = await clients().codedeploy.send(
      new GetDeploymentCommand({ deploymentId: 'd-ABCDEFGH1' }),
    );
    expect(deploymentInfo?.revision).toEqual({
      revisionType: 'AppSpecContent',
      appSpecContent: { sha256: sha256(APPSPEC) },
    });
    expect(JSON.stringify(deploymentInfo)).not.toContain('TaskDefinition');
    expect(deploymentInfo).toMatchObject({
      applicationName: 'webapp-color',
      deploymentGroupName: 'webapp-color-bluegreen',
      computePlatform: 'ECS',
      status: 'InProgress',
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    });
    expect(deploymentInfo?.createTime).toBeInstanceOf(Date);
  });

  it('answers GetApplicationRevision with the text for the hash GetDeployment gave', async () => {
    const { codedeploy } = clients();
    const { deploymentInfo } = await codedeploy.send(
      new GetDeploymentCommand({ deploymentId: 'd-ABCDEFGH1' }),
    );
    const answer = await codedeploy.send(
      new GetApplicationRevisionCommand({
        applicationName: deploymentInfo!.applicationName,
        revision: deploymentInfo!.revision,
      }),
    );
    expect(answer.revision?.appSpecContent?.content).toBe(APPSPEC);
    expect(answer.revisionInfo?.deploymentGroups).toEqual(['webapp-color-bluegreen']);
  });

  it('answers GetDeploymentGroup with the ECS service it deploys, and fails for an unknown group', async () => {
    const { codedeploy } = clients();
    const { deploymentGroupInfo } = await codedeploy.send(
      new GetDeploymentGroupCommand({
        applicationName: 'webapp-color',
        deploymentGroupName: 'webapp-color-bluegreen',
      }),
    );
    expect(deploymentGroupInfo).toMatchObject({
      applicationName: 'webapp-color',
      deploymentGroupName: 'webapp-color-bluegreen',
      computePlatform: 'ECS',
      ecsServices: [{ clusterName: 'webapp', serviceName: world().services[0]!.serviceName }],
    });
    expect(deploymentGroupInfo?.deploymentGroupId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    await expect(
      codedeploy.send(
        new GetDeploymentGroupCommand({
          applicationName: 'webapp-color',
          deploymentGroupName: 'x',
        }),
      ),
    ).rejects.toBeInstanceOf(DeploymentGroupDoesNotExistException);
  });

  it('fails with the real error codes for unknown ids, revisions and hook executions', async () => {
    const { codedeploy } = clients();
    await expect(
      codedeploy.send(new GetDeploymentCommand({ deploymentId: 'd-NOSUCHONE' })),
    ).rejects.toBeInstanceOf(DeploymentDoesNotExistException);
    await expect(
      codedeploy.send(new GetDeploymentCommand({ deploymentId: 'nope' })),
    ).rejects.toBeInstanceOf(InvalidDeploymentIdException);
    await expect(
      codedeploy.send(
        new GetApplicationRevisionCommand({
          applicationName: 'webapp-color',
          revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256: sha256('other') } },
        }),
      ),
    ).rejects.toBeInstanceOf(RevisionDoesNotExistException);
    await expect(
      codedeploy.send(
        new PutLifecycleEventHookExecutionStatusCommand({
          deploymentId: 'd-ABCDEFGH1',
          lifecycleEventHookExecutionId: 'not-a-hook',
          status: 'Succeeded',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidLifecycleEventHookExecutionIdException);
  });

  it('records one hook report and refuses a second for the same execution', async () => {
    const { codedeploy } = clients();
    const report = new PutLifecycleEventHookExecutionStatusCommand({
      deploymentId: 'd-ABCDEFGH1',
      lifecycleEventHookExecutionId: 'hook-after-test-traffic',
      status: 'Succeeded',
    });
    await expect(codedeploy.send(report)).resolves.toMatchObject({
      lifecycleEventHookExecutionId: 'hook-after-test-traffic',
    });
    await expect(codedeploy.send(report)).rejects.toBeInstanceOf(
      LifecycleEventAlreadyCompletedException,
    );
    expect(standIn.hookReports).toEqual([
      {
        deploymentId: 'd-ABCDEFGH1',
        lifecycleEventHookExecutionId: 'hook-after-test-traffic',
        status: 'Succeeded',
      },
    ]);
  });
});

describe('ECS', () => {
  it('answers DescribeServices with the task sets, and MISSING for an unknown service', async () => {
    const answer = await clients().ecs.send(
      new DescribeServicesCommand({ cluster: 'webapp', services: ['webapp-color', 'ghost'] }),
    );
    expect(answer.services?.[0]?.taskSets?.map((set) => [set.status, set.taskDefinition])).toEqual([
      ['PRIMARY', 'arn:aws:ecs:us-east-2:123456789012:task-definition/webapp-color:6'],
      ['ACTIVE', 'arn:aws:ecs:us-east-2:123456789012:task-definition/webapp-color:7'],
    ]);
    expect(answer.services?.[0]?.deploymentController).toEqual({ type: 'CODE_DEPLOY' });
    expect(answer.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-2:123456789012:service/webapp/ghost', reason: 'MISSING' },
    ]);
    await expect(
      clients().ecs.send(
        new DescribeServicesCommand({ cluster: 'nowhere', services: ['webapp-color'] }),
      ),
    ).rejects.toBeInstanceOf(ClusterNotFoundException);
  });

  it('answers DescribeTaskDefinition by ARN, family:revision or family (latest)', async () => {
    const { ecs } = clients();
    const byArn = await ecs.send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: taskDefinitionArn(standIn.world, 'webapp-color', 6),
      }),
    );
    expect(byArn.taskDefinition?.containerDefinitions?.[0]?.environment).toEqual([
      { name: 'APP_VERSION', value: 'r6' },
    ]);
    const latest = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'webapp-color' }),
    );
    expect(latest.taskDefinition?.revision).toBe(7);
    expect(latest.taskDefinition?.registeredAt).toBeInstanceOf(Date);
    await expect(
      ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'webapp-color:99' })),
    ).rejects.toBeInstanceOf(ClientException);
  });
});

describe('EC2', () => {
  it('answers DescribeNetworkInterfaces filtered by description, in the query protocol', async () => {
    const { NetworkInterfaces } = await clients().ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [{ Name: 'description', Values: ['ELB app/web/50dc6c495c0c9188'] }],
      }),
    );
    expect(
      NetworkInterfaces?.map((eni) => [
        eni.NetworkInterfaceId,
        eni.PrivateIpAddress,
        eni.Description,
      ]),
    ).toEqual([
      ['eni-0a', '10.1.0.10', 'ELB app/web/50dc6c495c0c9188'],
      ['eni-0b', '10.1.16.10', 'ELB app/web/50dc6c495c0c9188'],
    ]);
    expect(NetworkInterfaces?.[0]?.RequesterManaged).toBe(true);
  });

  it('matches wildcards and follows changes to the world', async () => {
    const { ec2 } = clients();
    const query = new DescribeNetworkInterfacesCommand({
      Filters: [{ Name: 'description', Values: ['ELB app/web/*'] }],
    });
    expect((await ec2.send(query)).NetworkInterfaces).toHaveLength(2);
    standIn.world.networkInterfaces.pop();
    standIn.world.networkInterfaces.pop();
    expect((await ec2.send(query)).NetworkInterfaces).toHaveLength(1);
  });

  it('fails with InvalidParameterValue for an unknown filter', async () => {
    await expect(
      clients().ec2.send(
        new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: "The filter 'colour' is invalid",
    });
  });
});

describe('ECR', () => {
  it('retags an image: BatchGetImage, then PutImage with its manifest moves a mutable tag', async () => {
    const { ecr } = clients();
    const { images, failures } = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: 'webapp-color',
        imageIds: [{ imageTag: 'r7' }, { imageTag: 'r99' }],
      }),
    );
    expect(images?.[0]?.imageId?.imageTag).toBe('r7');
    expect(images?.[0]?.imageId?.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(failures).toEqual([
      {
        imageId: { imageTag: 'r99' },
        failureCode: 'ImageNotFound',
        failureReason: 'Requested image not found',
      },
    ]);
    const put = await ecr.send(
      new PutImageCommand({
        repositoryName: 'webapp-color',
        imageTag: 'live',
        imageManifest: images![0]!.imageManifest,
        imageManifestMediaType: images![0]!.imageManifestMediaType,
      }),
    );
    expect(put.image?.imageId?.imageDigest).toBe(images![0]!.imageId!.imageDigest);
    expect(standIn.world.repositories![0]!.images.map((image) => image.tags)).toEqual([
      ['r6'],
      ['r7', 'live'],
      ['r8'],
      ['r9'],
    ]);
  });

  it('answers an image index (OCI index, Docker manifest list) as pushed, with its media type, when the request accepts it', async () => {
    const { ecr } = clients();
    const { images, failures } = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: 'webapp-color',
        imageIds: [{ imageTag: 'r8' }, { imageTag: 'r9' }],
        acceptedMediaTypes: [
          'application/vnd.oci.image.manifest.v1+json',
          'application/vnd.oci.image.index.v1+json',
          'application/vnd.docker.distribution.manifest.list.v2+json',
        ],
      }),
    );
    expect(failures).toEqual([]);
    expect(images?.map((image) => [image.imageManifestMediaType, image.imageManifest])).toEqual([
      ['application/vnd.oci.image.index.v1+json', OCI_INDEX],
      ['application/vnd.docker.distribution.manifest.list.v2+json', DOCKER_MANIFEST_LIST],
    ]);
    expect(images?.[0]?.imageId?.imageDigest).toBe(`sha256:${sha256(OCI_INDEX)}`);
  });

  it('does not return an image of a media type the request does not accept', async () => {
    const { ecr } = clients();
    const { images, failures } = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: 'webapp-color',
        imageIds: [{ imageTag: 'r8' }, { imageTag: 'r7' }],
        acceptedMediaTypes: [
          'application/vnd.docker.distribution.manifest.v2+json',
          'application/vnd.oci.image.manifest.v1+json',
        ],
      }),
    );
    expect(images?.map((image) => image.imageId?.imageTag)).toEqual(['r7']);
    expect(failures?.map((failure) => [failure.imageId?.imageTag, failure.failureCode])).toEqual([
      ['r8', 'ImageNotFound'],
    ]);
  });

  it('fails with the real error codes for a tag already there, an immutable tag and an unknown repository', async () => {
    const { ecr } = clients();
    const manifestOf = (index: number) => standIn.world.repositories![0]!.images[index]!.manifest;
    await expect(
      ecr.send(
        new PutImageCommand({
          repositoryName: 'webapp-color',
          imageTag: 'live',
          imageManifest: manifestOf(1),
        }),
      ),
    ).rejects.toBeInstanceOf(ImageAlreadyExistsException);
    await expect(
      ecr.send(
        new PutImageCommand({
          repositoryName: 'webapp-color',
          imageTag: 'r6',
          imageManifest: manifestOf(1),
        }),
      ),
    ).rejects.toBeInstanceOf(ImageTagAlreadyExistsException);
    await expect(
      ecr.send(
        new BatchGetImageCommand({ repositoryName: 'nope', imageIds: [{ imageTag: 'r6' }] }),
      ),
    ).rejects.toBeInstanceOf(RepositoryNotFoundException);
  });
});

describe('the record of calls', () => {
  it('lists every call with its service, operation and input', () => {
    expect(standIn.calls.map((call) => `${call.service}:${call.operation}`)).toContain(
      'ec2:DescribeNetworkInterfaces',
    );
    expect(standIn.calls.find((call) => call.operation === 'GetDeployment')?.input).toEqual({
      deploymentId: 'd-ABCDEFGH1',
    });
  });

  it('refuses an unsigned request as the real endpoints do', async () => {
    const response = await fetch(standIn.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'CodeDeploy_20141006.GetDeployment',
      },
      body: JSON.stringify({ deploymentId: 'd-ABCDEFGH1' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });
});
