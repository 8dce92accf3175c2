import {
  CodeDeployClient,
  GetDeploymentCommand,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeNetworkInterfacesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { httpGet } from './http.js';
import {
  runSmokeTest,
  type HookEvent,
  type SmokeTestPorts,
  type SmokeTestSettings,
} from './smoke-test.js';

/** The AfterAllowTestTraffic hook Lambda: settings come from its environment, set by the CDK app. */

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '')
    throw new Error(`environment variable ${name} is not set`);
  return value;
}

const settings: SmokeTestSettings = {
  testPort: Number(required('TEST_LISTENER_PORT')),
  host: required('SITE_HOST'),
  healthPath: required('HEALTH_PATH'),
  pagePath: required('PAGE_PATH'),
  versionPath: required('VERSION_PATH'),
  containerName: required('CONTAINER_NAME'),
  versionVariable: required('VERSION_VARIABLE'),
  requireVersion: required('REQUIRE_VERSION') === 'true',
  budgetMs: Number(required('CHECK_BUDGET_MS')),
  requestTimeoutMs: 3_000,
  retryDelayMs: 5_000,
};
const loadBalancerEniDescription = required('LOAD_BALANCER_ENI_DESCRIPTION');

const sdkOptions = { maxAttempts: 4 };
const codedeploy = new CodeDeployClient(sdkOptions);
const ecs = new ECSClient(sdkOptions);
const ec2 = new EC2Client(sdkOptions);

const ports: SmokeTestPorts = {
  async getAppSpecContent(deploymentId) {
    const { deploymentInfo } = await codedeploy.send(new GetDeploymentCommand({ deploymentId }));
    const revision = deploymentInfo?.revision;
    return revision?.appSpecContent?.content ?? revision?.string?.content;
  },
  async getContainerEnvironment(taskDefinition, containerName) {
    const { taskDefinition: found } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition }),
    );
    const container = found?.containerDefinitions?.find((c) => c.name === containerName);
    return Object.fromEntries(
      (container?.environment ?? []).map((e) => [e.name ?? '', e.value ?? '']),
    );
  },
  async getLoadBalancerAddresses() {
    const { NetworkInterfaces } = await ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [{ Name: 'description', Values: [loadBalancerEniDescription] }],
      }),
    );
    return (NetworkInterfaces ?? []).flatMap((eni) =>
      eni.PrivateIpAddress ? [eni.PrivateIpAddress] : [],
    );
  },
  httpGet,
  async reportStatus(deploymentId, lifecycleEventHookExecutionId, status) {
    await codedeploy.send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId,
        lifecycleEventHookExecutionId,
        status,
      }),
    );
  },
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  log: (message) => console.log(message),
};

export async function handler(event: HookEvent): Promise<{ status: string }> {
  const result = await runSmokeTest(event, settings, ports);
  return { status: result.status };
}
