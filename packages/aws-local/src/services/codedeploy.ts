import { createHash } from 'node:crypto';
import type {
  DeploymentGroupInfo,
  DeploymentInfo,
  GetApplicationRevisionOutput,
  GetDeploymentGroupOutput,
  GetDeploymentOutput,
  GetDeploymentTargetOutput,
  ListDeploymentGroupsOutput,
  ListDeploymentsOutput,
  ListDeploymentTargetsOutput,
  PutLifecycleEventHookExecutionStatusOutput,
  RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import { AwsServiceError } from '../protocols/errors.js';
import type { JsonOperation } from '../protocols/json.js';
import { page } from '../protocols/paging.js';
import {
  DEFAULT_ACCOUNT_ID,
  type AwsWorld,
  type HookReport,
  type WorldDeployment,
  type WorldDeploymentGroup,
} from '../world.js';

/**
 * CodeDeploy (awsJson1_1, `X-Amz-Target: CodeDeploy_20141006.<Op>`): the
 * calls a deployment hook makes. Shapes follow the SDK's output types
 * and the API reference:
 * - GetDeployment: https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeployment.html
 *   The revision is identified by type and `sha256` only; the AppSpec text
 *   is not part of DeploymentInfo (seek-oss/aws-codedeploy-hooks
 *   `process/lambda/lambda.ts` passes it on to GetApplicationRevision).
 * - GetApplicationRevision: https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetApplicationRevision.html
 * - GetDeploymentGroup: https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeploymentGroup.html
 *   An ECS group names its service and cluster in `ecsServices`.
 * - PutLifecycleEventHookExecutionStatus: https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_PutLifecycleEventHookExecutionStatus.html
 * - ListDeploymentGroups: https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ListDeploymentGroups.html
 * - ListDeployments: https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ListDeployments.html
 *   Ids only; `applicationName` and `deploymentGroupName` go together;
 *   `includeOnlyStatuses` and `createTimeRange` filter; newest first here
 *   (the order is not documented), pages of 100 with `nextToken`.
 * - ListDeploymentTargets, GetDeploymentTarget:
 *   https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeploymentTarget.html
 *   An ECS deployment has one target, `<cluster>:<service>`; its
 *   `ecsTarget.lifecycleEvents` carry each event's start and end
 *   (AllowTraffic ends when production traffic is on the new task set).
 */

export const CODEDEPLOY_TARGET_PREFIX = 'CodeDeploy_20141006';

const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function requiredString(input: Record<string, unknown>, name: string, missing: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') {
    throw new AwsServiceError(missing, `${name} is required`);
  }
  return value;
}

function findDeployment(world: AwsWorld, input: Record<string, unknown>): WorldDeployment {
  const deploymentId = requiredString(input, 'deploymentId', 'DeploymentIdRequiredException');
  if (!DEPLOYMENT_ID.test(deploymentId)) {
    throw new AwsServiceError(
      'InvalidDeploymentIdException',
      `Specified DeploymentId is not in the valid format: ${deploymentId}`,
    );
  }
  const deployment = world.deployments.find((d) => d.deploymentId === deploymentId);
  if (!deployment) {
    throw new AwsServiceError(
      'DeploymentDoesNotExistException',
      `The deployment ${deploymentId} could not be found`,
    );
  }
  return deployment;
}

/** How CodePipeline's CodeDeployToECS action registers the AppSpec: by content, identified by hash. */
function revisionReference(deployment: WorldDeployment): RevisionLocation {
  return {
    revisionType: 'AppSpecContent',
    appSpecContent: { sha256: sha256(deployment.appSpecContent) },
  };
}

function deploymentGroupsOf(world: AwsWorld): WorldDeploymentGroup[] {
  if (world.deploymentGroups) return world.deploymentGroups;
  const named = new Map(
    world.deployments.map((d) => [`${d.applicationName}/${d.deploymentGroupName}`, d]),
  );
  return [...named.values()].map((d) => ({
    applicationName: d.applicationName,
    deploymentGroupName: d.deploymentGroupName,
    ecsServices: world.services.map(({ clusterName, serviceName }) => ({
      clusterName,
      serviceName,
    })),
  }));
}

export function codeDeployOperations(
  world: AwsWorld,
  startedAt: Date,
  hookReports: HookReport[],
): Record<string, JsonOperation> {
  return {
    GetDeployment(input): GetDeploymentOutput {
      const deployment = findDeployment(world, input);
      const deploymentInfo: DeploymentInfo = {
        applicationName: deployment.applicationName,
        deploymentGroupName: deployment.deploymentGroupName,
        deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
        deploymentId: deployment.deploymentId,
        revision: revisionReference(deployment),
        status: deployment.status ?? 'InProgress',
        createTime: deployment.createTime ?? startedAt,
        creator: 'user',
        ignoreApplicationStopFailures: false,
        updateOutdatedInstancesOnly: false,
        deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
        instanceTerminationWaitTimeStarted: false,
        computePlatform: 'ECS',
        deploymentStatusMessages: [],
        completeTime: deployment.completeTime,
        rollbackInfo: deployment.rollbackInfo,
        errorInformation: deployment.errorInformation,
      };
      return { deploymentInfo };
    },

    GetDeploymentGroup(input): GetDeploymentGroupOutput {
      const applicationName = requiredString(
        input,
        'applicationName',
        'ApplicationNameRequiredException',
      );
      const deploymentGroupName = requiredString(
        input,
        'deploymentGroupName',
        'DeploymentGroupNameRequiredException',
      );
      const groups = deploymentGroupsOf(world);
      if (!groups.some((g) => g.applicationName === applicationName)) {
        throw new AwsServiceError(
          'ApplicationDoesNotExistException',
          `No application found for name: ${applicationName}`,
        );
      }
      const group = groups.find(
        (g) =>
          g.applicationName === applicationName && g.deploymentGroupName === deploymentGroupName,
      );
      if (!group) {
        throw new AwsServiceError(
          'DeploymentGroupDoesNotExistException',
          `No Deployment Group found for name: ${deploymentGroupName}`,
        );
      }
      const account = world.accountId ?? DEFAULT_ACCOUNT_ID;
      const deploymentGroupInfo: DeploymentGroupInfo = {
        applicationName,
        // A UUID in the real service; stable per group here.
        deploymentGroupId: sha256(`${applicationName}/${deploymentGroupName}`)
          .slice(0, 32)
          .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
        deploymentGroupName,
        deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
        serviceRoleArn: `arn:aws:iam::${account}:role/codedeploy-ecs`,
        computePlatform: 'ECS',
        deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
        ecsServices: group.ecsServices,
        autoRollbackConfiguration: {
          enabled: true,
          events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
        },
        triggerConfigurations: [],
        outdatedInstancesStrategy: 'UPDATE',
        terminationHookEnabled: false,
      };
      return { deploymentGroupInfo };
    },

    GetApplicationRevision(input): GetApplicationRevisionOutput {
      const applicationName = requiredString(
        input,
        'applicationName',
        'ApplicationNameRequiredException',
      );
      const ofApplication = world.deployments.filter((d) => d.applicationName === applicationName);
      if (ofApplication.length === 0) {
        throw new AwsServiceError(
          'ApplicationDoesNotExistException',
          `No application found for name: ${applicationName}`,
        );
      }
      const revision = input.revision as RevisionLocation | undefined;
      if (revision === undefined || revision === null || typeof revision !== 'object') {
        throw new AwsServiceError('RevisionRequiredException', 'Revision is required');
      }
      const reference =
        revision.revisionType === 'AppSpecContent'
          ? revision.appSpecContent?.sha256
          : revision.revisionType === 'String'
            ? revision.string?.sha256
            : undefined;
      if (reference === undefined) {
        throw new AwsServiceError(
          'InvalidRevisionException',
          `Revision of type ${String(revision.revisionType)} with no sha256 is not one this application registered`,
        );
      }
      const users = ofApplication.filter((d) => sha256(d.appSpecContent) === reference);
      const first = users[0];
      if (!first) {
        throw new AwsServiceError(
          'RevisionDoesNotExistException',
          `No application revision found for revision ${reference}`,
        );
      }
      const used = users.map((d) => d.createTime ?? startedAt).sort((a, b) => +a - +b);
      return {
        applicationName,
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: { content: first.appSpecContent, sha256: reference },
        },
        revisionInfo: {
          deploymentGroups: [...new Set(users.map((d) => d.deploymentGroupName))],
          registerTime: used[0],
          firstUsedTime: used[0],
          lastUsedTime: used.at(-1),
        },
      };
    },

    PutLifecycleEventHookExecutionStatus(input): PutLifecycleEventHookExecutionStatusOutput {
      const deployment = findDeployment(world, input);
      const hookId = input.lifecycleEventHookExecutionId;
      if (
        typeof hookId !== 'string' ||
        !deployment.lifecycleEventHookExecutionIds.includes(hookId)
      ) {
        throw new AwsServiceError(
          'InvalidLifecycleEventHookExecutionIdException',
          `A lifecycle event hook execution with id ${String(hookId)} is not part of deployment ${deployment.deploymentId}`,
        );
      }
      const status = input.status;
      if (status !== 'Succeeded' && status !== 'Failed') {
        throw new AwsServiceError(
          'InvalidLifecycleEventHookExecutionStatusException',
          `The status ${String(status)} is not valid: a hook reports Succeeded or Failed`,
        );
      }
      if (
        hookReports.some(
          (r) =>
            r.deploymentId === deployment.deploymentId &&
            r.lifecycleEventHookExecutionId === hookId,
        )
      ) {
        throw new AwsServiceError(
          'LifecycleEventAlreadyCompletedException',
          `The lifecycle event hook execution ${hookId} has already completed`,
        );
      }
      hookReports.push({
        deploymentId: deployment.deploymentId,
        lifecycleEventHookExecutionId: hookId,
        status,
      });
      return { lifecycleEventHookExecutionId: hookId };
    },

    ListDeploymentGroups(input): ListDeploymentGroupsOutput {
      const applicationName = requiredString(
        input,
        'applicationName',
        'ApplicationNameRequiredException',
      );
      const groups = deploymentGroupsOf(world).filter((g) => g.applicationName === applicationName);
      if (groups.length === 0) {
        throw new AwsServiceError(
          'ApplicationDoesNotExistException',
          `No application found for name: ${applicationName}`,
        );
      }
      const { items, next } = page(
        groups.map((g) => g.deploymentGroupName),
        input.nextToken,
        100,
        'InvalidNextTokenException',
      );
      return { applicationName, deploymentGroups: items, nextToken: next };
    },

    ListDeployments(input): ListDeploymentsOutput {
      const applicationName = input.applicationName as string | undefined;
      const deploymentGroupName = input.deploymentGroupName as string | undefined;
      if (deploymentGroupName !== undefined && applicationName === undefined) {
        throw new AwsServiceError(
          'ApplicationNameRequiredException',
          'If deploymentGroupName is specified, applicationName must be specified',
        );
      }
      if (applicationName !== undefined && deploymentGroupName === undefined) {
        throw new AwsServiceError(
          'DeploymentGroupNameRequiredException',
          'If applicationName is specified, deploymentGroupName must be specified',
        );
      }
      const statuses = input.includeOnlyStatuses as string[] | undefined;
      const range = input.createTimeRange as { start?: number; end?: number } | undefined;
      const created = (d: WorldDeployment) => (d.createTime ?? startedAt).getTime() / 1000;
      const selected = world.deployments
        .filter(
          (d) =>
            applicationName === undefined ||
            (d.applicationName === applicationName &&
              d.deploymentGroupName === deploymentGroupName),
        )
        .filter((d) => !statuses?.length || statuses.includes(d.status ?? 'InProgress'))
        .filter((d) => range?.start === undefined || created(d) >= range.start)
        .filter((d) => range?.end === undefined || created(d) <= range.end)
        .sort((a, b) => created(b) - created(a));
      const { items, next } = page(
        selected.map((d) => d.deploymentId),
        input.nextToken,
        100,
        'InvalidNextTokenException',
      );
      return { deployments: items, nextToken: next };
    },

    ListDeploymentTargets(input): ListDeploymentTargetsOutput {
      const deployment = findDeployment(world, input);
      return { targetIds: deployment.lifecycleEvents ? [ecsTargetId(world, deployment)] : [] };
    },

    GetDeploymentTarget(input): GetDeploymentTargetOutput {
      const deployment = findDeployment(world, input);
      const targetId = input.targetId;
      if (!deployment.lifecycleEvents || targetId !== ecsTargetId(world, deployment)) {
        throw new AwsServiceError(
          'DeploymentTargetDoesNotExistException',
          `The target ${String(targetId)} is not part of deployment ${deployment.deploymentId}`,
        );
      }
      const [clusterName, serviceName] = String(targetId).split(':');
      const account = world.accountId ?? DEFAULT_ACCOUNT_ID;
      const region = world.region ?? 'us-east-2';
      const ended = deployment.lifecycleEvents
        .map((e) => e.endTime ?? e.startTime)
        .filter((t): t is Date => t !== undefined);
      return {
        deploymentTarget: {
          deploymentTargetType: 'ECSTarget',
          ecsTarget: {
            deploymentId: deployment.deploymentId,
            targetId: String(targetId),
            targetArn: `arn:aws:ecs:${region}:${account}:service/${clusterName}/${serviceName}`,
            lastUpdatedAt: ended.sort((a, b) => +b - +a)[0],
            lifecycleEvents: deployment.lifecycleEvents,
            status:
              deployment.status === 'Succeeded'
                ? 'Succeeded'
                : deployment.status === 'Failed' || deployment.status === 'Stopped'
                  ? 'Failed'
                  : 'InProgress',
          },
        },
      };
    },
  };
}

/** An ECS deployment's one target: `<cluster>:<service>` of the group's service. */
function ecsTargetId(world: AwsWorld, deployment: WorldDeployment): string {
  const group = deploymentGroupsOf(world).find(
    (g) =>
      g.applicationName === deployment.applicationName &&
      g.deploymentGroupName === deployment.deploymentGroupName,
  );
  const service = group?.ecsServices[0];
  return service ? `${service.clusterName}:${service.serviceName}` : 'unknown:unknown';
}
