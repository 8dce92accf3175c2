import {
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  type DeploymentInfo,
  type LifecycleEvent,
} from '@aws-sdk/client-codedeploy';
import {
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  type ActionExecutionDetail,
  type PipelineExecutionSummary,
} from '@aws-sdk/client-codepipeline';
import type { OpsClients } from '../aws.js';

/**
 * How a release ended:
 * - `deployed`: production traffic moved to it and the deployment succeeded;
 * - `rolled-back`: production traffic moved to it, then the deployment
 *   failed or was stopped and CodeDeploy moved traffic back (a failure in
 *   production, in DORA's sense);
 * - `stopped-before-production`: the deployment failed before production
 *   traffic moved (the test-traffic hook, the install): users never saw it;
 * - `failed-before-deploy`: the pipeline failed or stopped before any
 *   deployment (source, build, tests);
 * - `stopped`: an ECS service deployment stopped on request (STOPPED):
 *   ECS does not say whether production traffic had moved, so it counts
 *   in no figure;
 * - `in-progress`.
 */
export type ReleaseOutcome =
  | 'deployed'
  | 'rolled-back'
  | 'stopped-before-production'
  | 'failed-before-deploy'
  | 'stopped'
  | 'in-progress';

export interface Release {
  /** The pipeline execution (CodeDeploy controller). */
  readonly pipelineExecutionId?: string;
  readonly commit?: string;
  readonly commitMessage?: string;
  readonly pipelineStatus?: string;
  /** The pipeline execution's start: the push (the source action's trigger). */
  readonly start: Date;
  /** The pipeline execution's last update, once it has ended. */
  readonly end?: Date;
  /** The CodeDeploy deployment, or the ECS service deployment's id (the last part of its ARN). */
  readonly deploymentId?: string;
  readonly deploymentStatus?: string;
  /** The ECS service deployment (ECS controller). */
  readonly serviceDeploymentArn?: string;
  /** The service revision an ECS service deployment deployed (ECS controller). */
  readonly targetServiceRevisionArn?: string;
  /** When production traffic was on the release: the end of CodeDeploy's AllowTraffic event. */
  readonly productionAt?: Date;
  /** When production traffic moved to a release that was then rolled back (AllowTraffic's start). */
  readonly failedInProductionAt?: Date;
  /** When a rolled-back deployment ended: traffic back on the task set before it. */
  readonly restoredAt?: Date;
  readonly outcome: ReleaseOutcome;
}

export interface ReleaseSource {
  readonly pipelineName: string;
  readonly since: Date;
}

async function pipelineExecutions(
  clients: OpsClients,
  { pipelineName, since }: ReleaseSource,
): Promise<PipelineExecutionSummary[]> {
  const found: PipelineExecutionSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.codepipeline.send(
      new ListPipelineExecutionsCommand({ pipelineName, nextToken }),
    );
    const summaries = page.pipelineExecutionSummaries ?? [];
    found.push(...summaries.filter((s) => s.startTime && s.startTime >= since));
    // Newest first: once a page reaches before the window, the rest is older still.
    const reachedOlder = summaries.some((s) => s.startTime && s.startTime < since);
    nextToken = reachedOlder ? undefined : page.nextToken;
  } while (nextToken);
  return found;
}

/** Pipeline execution id → the CodeDeploy deployment its deploy action started. */
async function deploymentIdsByExecution(
  clients: OpsClients,
  { pipelineName, since }: ReleaseSource,
): Promise<Map<string, string>> {
  const byExecution = new Map<string, string>();
  let nextToken: string | undefined;
  do {
    const page = await clients.codepipeline.send(
      new ListActionExecutionsCommand({ pipelineName, nextToken }),
    );
    const details: ActionExecutionDetail[] = page.actionExecutionDetails ?? [];
    for (const detail of details) {
      const provider = detail.input?.actionTypeId?.provider ?? '';
      const deploymentId = detail.output?.executionResult?.externalExecutionId;
      if (/^CodeDeploy/.test(provider) && detail.pipelineExecutionId && deploymentId) {
        byExecution.set(detail.pipelineExecutionId, deploymentId);
      }
    }
    const reachedOlder = details.some((d) => d.startTime && d.startTime < since);
    nextToken = reachedOlder ? undefined : page.nextToken;
  } while (nextToken);
  return byExecution;
}

async function lifecycleEvents(
  clients: OpsClients,
  deploymentId: string,
): Promise<LifecycleEvent[]> {
  const { targetIds } = await clients.codedeploy.send(
    new ListDeploymentTargetsCommand({ deploymentId }),
  );
  const targetId = targetIds?.[0];
  if (!targetId) return [];
  const { deploymentTarget } = await clients.codedeploy.send(
    new GetDeploymentTargetCommand({ deploymentId, targetId }),
  );
  return deploymentTarget?.ecsTarget?.lifecycleEvents ?? [];
}

/** The commit message a connection source puts in revisionSummary (JSON with CommitMessage), or the text. */
function commitMessage(summary: string | undefined): string | undefined {
  if (!summary) return undefined;
  try {
    const parsed = JSON.parse(summary) as { CommitMessage?: unknown };
    if (typeof parsed.CommitMessage === 'string') return parsed.CommitMessage.split('\n')[0];
  } catch {
    // A plain-text summary.
  }
  return summary.split('\n')[0];
}

const ENDED = new Set(['Succeeded', 'Failed', 'Stopped', 'Superseded', 'Cancelled']);

function outcomeOf(
  execution: PipelineExecutionSummary,
  deployment: DeploymentInfo | undefined,
  allowTraffic: LifecycleEvent | undefined,
): ReleaseOutcome {
  if (!deployment)
    return ENDED.has(execution.status ?? '') ? 'failed-before-deploy' : 'in-progress';
  if (deployment.status === 'Succeeded') return 'deployed';
  if (deployment.status === 'Failed' || deployment.status === 'Stopped') {
    return allowTraffic?.startTime ? 'rolled-back' : 'stopped-before-production';
  }
  return 'in-progress';
}

/** The releases the pipeline started in the window, newest first, with their deployments. */
export async function readReleases(clients: OpsClients, source: ReleaseSource): Promise<Release[]> {
  const executions = await pipelineExecutions(clients, source);
  const deployments = await deploymentIdsByExecution(clients, source);
  const releases: Release[] = [];
  for (const execution of executions) {
    const revision = execution.sourceRevisions?.[0];
    const deploymentId = deployments.get(execution.pipelineExecutionId ?? '');
    let deployment: DeploymentInfo | undefined;
    let allowTraffic: LifecycleEvent | undefined;
    if (deploymentId) {
      deployment = (await clients.codedeploy.send(new GetDeploymentCommand({ deploymentId })))
        .deploymentInfo;
      allowTraffic = (await lifecycleEvents(clients, deploymentId)).find(
        (e) => e.lifecycleEventName === 'AllowTraffic',
      );
    }
    const outcome = outcomeOf(execution, deployment, allowTraffic);
    releases.push({
      pipelineExecutionId: execution.pipelineExecutionId ?? '',
      commit: revision?.revisionId,
      commitMessage: commitMessage(revision?.revisionSummary),
      pipelineStatus: execution.status ?? 'unknown',
      start: execution.startTime!,
      end: ENDED.has(execution.status ?? '') ? execution.lastUpdateTime : undefined,
      deploymentId,
      deploymentStatus: deployment?.status,
      productionAt:
        outcome === 'deployed' && allowTraffic?.status === 'Succeeded'
          ? allowTraffic.endTime
          : undefined,
      failedInProductionAt: outcome === 'rolled-back' ? allowTraffic?.startTime : undefined,
      restoredAt: outcome === 'rolled-back' ? deployment?.completeTime : undefined,
      outcome,
    });
  }
  return releases.sort((a, b) => b.start.getTime() - a.start.getTime());
}
