import {
  CodeDeployClient,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeNetworkInterfacesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import type { CheckPorts, HookStatus } from './checks.js';

/**
 * The AWS side of the checks, on the SDK. Each call is in HOOK_API_CALLS
 * (api-calls.ts), which the hook role's policy is written from. Clients
 * follow the SDK's own configuration (AWS_REGION, AWS_ENDPOINT_URL, …), so
 * the same code runs in Lambda and against the local stand-in.
 */

// A hung connection must not eat the time left to report: bounded attempts
// and socket timeouts.
const clientOptions = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
};

let clients: { codedeploy: CodeDeployClient; ecs: ECSClient; ec2: EC2Client } | undefined;
function sdk() {
  clients ??= {
    codedeploy: new CodeDeployClient(clientOptions),
    ecs: new ECSClient(clientOptions),
    ec2: new EC2Client(clientOptions),
  };
  return clients;
}

/**
 * The AppSpec text of a deployment. GetDeployment names the revision only
 * by type and sha256; GetApplicationRevision, given that reference, returns
 * the text (`appSpecContent` for CodeDeployToECS, `string` for revisions
 * registered as a string), as seek-oss/aws-codedeploy-hooks reads it.
 */
export async function appSpecContent(deploymentId: string): Promise<string | undefined> {
  const { codedeploy } = sdk();
  const { deploymentInfo } = await codedeploy.send(new GetDeploymentCommand({ deploymentId }));
  if (!deploymentInfo?.applicationName || !deploymentInfo.revision) return undefined;
  const { revision } = await codedeploy.send(
    new GetApplicationRevisionCommand({
      applicationName: deploymentInfo.applicationName,
      revision: deploymentInfo.revision,
    }),
  );
  return revision?.appSpecContent?.content ?? revision?.string?.content;
}

export async function reportStatus(
  deploymentId: string,
  lifecycleEventHookExecutionId: string,
  status: HookStatus,
): Promise<void> {
  await sdk().codedeploy.send(
    new PutLifecycleEventHookExecutionStatusCommand({
      deploymentId,
      lifecycleEventHookExecutionId,
      status,
    }),
  );
}

export function awsPorts(
  loadBalancerEniDescription: string,
): Pick<
  CheckPorts,
  'getAppSpecContent' | 'getContainerEnvironment' | 'getLoadBalancerAddresses' | 'reportStatus'
> {
  return {
    getAppSpecContent: appSpecContent,
    async getContainerEnvironment(taskDefinition, containerName) {
      const { taskDefinition: found } = await sdk().ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition }),
      );
      const container = found?.containerDefinitions?.find((c) => c.name === containerName);
      return Object.fromEntries(
        (container?.environment ?? []).map((e) => [e.name ?? '', e.value ?? '']),
      );
    },
    async getLoadBalancerAddresses() {
      const { NetworkInterfaces } = await sdk().ec2.send(
        new DescribeNetworkInterfacesCommand({
          Filters: [{ Name: 'description', Values: [loadBalancerEniDescription] }],
        }),
      );
      return (NetworkInterfaces ?? []).flatMap((eni) =>
        eni.PrivateIpAddress ? [eni.PrivateIpAddress] : [],
      );
    },
    reportStatus,
  };
}
