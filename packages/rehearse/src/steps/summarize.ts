import type { Fault } from '../faults.js';
import type { GateRecord } from '../gates.js';
import type { TaskSetColor } from '../haproxy.js';
import type { EventRecord, ReleaseOutcome } from '../lifecycle.js';
import type { PhaseCount } from '../load.js';
import type { PipelineEvent } from '../pipeline/push.js';
import type { DeploymentController, DeploymentStrategy } from '../settings.js';
import type { Build, BuildFailure } from './build.js';
import type { RehearsalContext } from './context.js';

/** One event of the summary: Source and Build (CodeBuild's phases), then the deployment's lifecycle. */
export type RehearsalEvent = PipelineEvent | (EventRecord & { readonly stage: 'Deploy' });

export interface RehearsalSummary {
  /**
   * `failed`: the build failed, nothing was deployed; `rejected`: the
   * approval before the release was rejected (or timed out), the release
   * was not made.
   */
  readonly outcome: 'succeeded' | 'rolled-back' | 'failed' | 'rejected';
  readonly reason?: string;
  /** The image tag and APP_VERSION: the commit id (of a snapshot commit for a dirty tree). */
  readonly version: string;
  /** The source as the Source action handed it to the build. */
  readonly source: {
    readonly commitId: string;
    readonly headCommitId: string;
    readonly dirty: boolean;
    readonly files: number;
  };
  /** The build: its status, and where it failed. */
  readonly build: {
    readonly status: 'SUCCEEDED' | 'FAILED' | 'STOPPED';
    readonly failedPhase?: string;
    readonly failedCommand?: string;
    readonly logFile: string;
    /** The artifact's files, which the deployment uses. */
    readonly artifactFiles: readonly string[];
  };
  /** Manifest requests for the release's image the local registry answered (pushes and pulls). */
  readonly registry: {
    readonly address: string;
    readonly standsInFor: string;
    readonly imageRequests: readonly string[];
  };
  readonly engine: string;
  readonly infraEnvironment: string;
  /** What drove the release: CodeDeploy, or ECS's own blue/green deployment. */
  readonly controller: DeploymentController;
  readonly strategy: DeploymentStrategy;
  readonly fault: Fault | null;
  readonly colors: Readonly<Record<TaskSetColor, string>>;
  readonly requests: number;
  readonly failedRequests: number;
  readonly phases: Readonly<Record<string, PhaseCount>>;
  readonly events: readonly RehearsalEvent[];
  /** Tasks ECS's scheduler replaced because they stopped (`set/target`). */
  readonly replacedTasks: readonly string[];
  readonly timings: {
    /** Source and Build, from the push to the uploaded artifact. */
    readonly buildSeconds: number;
    readonly greenHealthySeconds: number | null;
    readonly healthGateSeconds: number;
    readonly hookSeconds: number;
    readonly shiftSeconds: number | null;
    readonly drainSeconds: number | null;
    readonly totalSeconds: number;
  };
  readonly timeScale: number;
  readonly productionUrl: string;
  readonly testUrl: string;
  readonly kept: boolean;
  /** The value of the `webapp-color.rehearsal` label on everything this rehearsal started. */
  readonly environmentKey: string;
  /** The AWS API calls the hooks made, in order (`service:Operation`), all answered by the stand-in. */
  readonly awsCalls: readonly string[];
  /** The gates met, in order: the approval, the pause; who or what answered each, and how long it waited. */
  readonly gates: readonly GateRecord[];
}

/** What the deployment adds to the summary; a failed build has none. */
export interface Deployment {
  readonly release: ReleaseOutcome;
  readonly load: {
    readonly totals: { readonly requests: number; readonly failed: number };
    readonly phases: ReadonlyMap<string, PhaseCount>;
  };
  readonly replacedTasks: readonly string[];
  readonly productionUrl: string;
  readonly testUrl: string;
  readonly kept: boolean;
  readonly awsCalls: readonly string[];
}

/**
 * Step 6, summarize: the one summary of a rehearsal, for a build that failed
 * (no deployment: nothing was deployed) as for a release that succeeded or
 * rolled back.
 */
export function summarize(
  context: Pick<
    RehearsalContext,
    | 'options'
    | 'began'
    | 'scale'
    | 'engine'
    | 'environment'
    | 'infra'
    | 'strategy'
    | 'colors'
    | 'controller'
  >,
  build: Build & { readonly failure?: BuildFailure },
  deployment?: Deployment,
  gates: { readonly records: readonly GateRecord[]; readonly rejected?: string } = { records: [] },
): RehearsalSummary {
  const { push, version, failure } = build;
  const { infra, options } = context;
  const release = deployment?.release;
  const reason = failure?.reason ?? gates.rejected ?? release?.reason;
  return {
    outcome: release?.outcome ?? (gates.rejected ? 'rejected' : 'failed'),
    ...(reason ? { reason } : {}),
    version,
    ...pipelineReport(build, options.definition.app.name),
    engine: `${context.engine.name} ${context.engine.version}`,
    infraEnvironment: infra.environment,
    controller: context.controller,
    strategy: context.strategy,
    fault: options.fault ?? null,
    colors: { blue: context.colors.blue, green: context.colors.green },
    requests: deployment?.load.totals.requests ?? 0,
    failedRequests: deployment?.load.totals.failed ?? 0,
    phases: Object.fromEntries(deployment?.load.phases ?? []),
    events: [
      ...push.events,
      ...(release?.events ?? []).map((event) => ({ ...event, stage: 'Deploy' as const })),
    ],
    replacedTasks: [...(deployment?.replacedTasks ?? [])],
    timings: {
      buildSeconds: push.buildSeconds,
      greenHealthySeconds: release?.greenHealthySeconds ?? null,
      healthGateSeconds: infra.healthCheck.healthyThreshold * infra.healthCheck.intervalSeconds,
      hookSeconds: release?.hookSeconds ?? 0,
      shiftSeconds: release?.shiftSeconds ?? null,
      drainSeconds: release?.drainSeconds ?? null,
      totalSeconds: (Date.now() - context.began) / 1000,
    },
    timeScale: context.scale,
    productionUrl: deployment?.productionUrl ?? '',
    testUrl: deployment?.testUrl ?? '',
    kept: deployment?.kept ?? false,
    environmentKey: context.environment.key,
    awsCalls: [...(deployment?.awsCalls ?? [])],
    gates: [...gates.records],
  };
}

/** Source, Build and ECR's stand-in, as the summary tells them for every outcome. */
function pipelineReport(
  { push, registry, version, failure }: Build & { readonly failure?: BuildFailure },
  appName: string,
): Pick<RehearsalSummary, 'source' | 'build' | 'registry'> {
  return {
    source: {
      commitId: push.source.commitId,
      headCommitId: push.source.headCommitId,
      dirty: push.source.dirty,
      files: push.source.files,
    },
    build: {
      status: push.build.buildStatus,
      logFile: push.build.logFile,
      artifactFiles: push.build.artifactFiles,
      ...(failure?.failedPhase ? { failedPhase: failure.failedPhase } : {}),
      ...(failure?.failedCommand ? { failedCommand: failure.failedCommand } : {}),
    },
    registry: {
      address: registry.address,
      standsInFor: registry.standsInFor,
      imageRequests: registry
        .manifestRequests()
        .filter((request) => request.includes(`${appName}:${version}`)),
    },
  };
}
