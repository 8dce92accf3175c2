import { createHash } from 'node:crypto';
import type {
  DeploymentInfo,
  GetApplicationRevisionOutput,
  GetDeploymentOutput,
  PutLifecycleEventHookExecutionStatusOutput,
  RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import { AwsServiceError } from '../protocols/errors.js';
import type { JsonOperation } from '../protocols/json.js';
import type { AwsWorld, HookReport, WorldDeployment } from '../world.js';

/**
 * CodeDeploy (awsJson1_1, `X-Amz-Target: CodeDeploy_20141006.<Op>`): the
 * three calls a deployment hook makes. Shapes follow the SDK's output types
 * and the API reference:
 * - GetDeployment: https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeployment.html
 *   The revision is identified by type and `sha256` only; the AppSpec text
 *   is not part of DeploymentInfo (seek-oss/aws-codedeploy-hooks
 *   `process/lambda/lambda.ts` passes it on to GetApplicationRevision).
 * - GetApplicationRevision: https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetApplicationRevision.html
 * - PutLifecycleEventHookExecutionStatus: https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_PutLifecycleEventHookExecutionStatus.html
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
      };
      return { deploymentInfo };
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
  };
}
