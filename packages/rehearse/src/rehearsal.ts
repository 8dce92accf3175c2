import { gatekeeper, type GateRecord } from './gates.js';
import { approvalGate } from './steps/approval.js';
import { buildAndRender } from './steps/build.js';
import { bringUpBlue } from './steps/blue.js';
import { prepare, type RehearseOptions } from './steps/context.js';
import { keepOrTearDown } from './steps/keep.js';
import { startLoad } from './steps/load.js';
import { nativeReleasePlan, releaseGreen, releasePlan } from './steps/release.js';
import { summarize, type RehearsalSummary } from './steps/summarize.js';

export { UsageError } from './preflight.js';
export { SCALED_SECONDS_PER_MINUTE, type RehearseOptions } from './steps/context.js';
export type { RehearsalEvent, RehearsalSummary } from './steps/summarize.js';

/**
 * One rehearsal, from the push: Source (the commit as CODE_ZIP packs it),
 * Build (the committed buildspec, the image pushed to the local registry),
 * then the deployment of the build's artifact (blue up, green released
 * through the lifecycle under load), and a report. Everything it starts is
 * removed at the end, unless `keep` and the release succeeded.
 */
export async function rehearse(options: RehearseOptions): Promise<RehearsalSummary> {
  const context = await prepare(options);
  try {
    const build = await buildAndRender(context);
    if (!build.built) return summarize(context, build);
    const { infra } = context;
    const gates: GateRecord[] = [];
    const keeper = gatekeeper({
      approve: options.approve ?? false,
      directory: context.environment.directory,
      progress: options.progress,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const approval = await approvalGate(infra, context.scale, keeper);
    if (approval) gates.push(approval.record);
    if (approval?.rejected) {
      // Nothing was released: a kept environment stays as it was.
      if (context.kept) context.cleanups.skip('environment');
      return summarize(context, build, undefined, { records: gates, rejected: approval.rejected });
    }
    const stage = await bringUpBlue(context, build);
    const load = await startLoad(context, stage.productionUrl);
    const release = await releaseGreen({
      platform: stage.platform,
      plan: releasePlan(
        context.infra,
        context.strategy,
        build.releases.green.appSpec,
        context.scale,
      ),
      ...(context.controller === 'ecs'
        ? {
            nativePlan: nativeReleasePlan(
              context.infra,
              context.strategy,
              context.nativeHooks,
              stage.hooks.nativeIdentity,
              context.scale,
              context.nativePause,
            ),
          }
        : {}),
      releases: build.releases,
      load,
      fault: options.fault,
      progress: options.progress,
      signal: options.signal,
      ...(options.recording ? { traffic: options.recording.traffic } : {}),
      gates: {
        gatekeeper: keeper,
        records: gates,
        paused: (request) =>
          stage.hooks.paused({
            stage: request.stage ?? '',
            timeoutSeconds: request.timeoutSeconds,
            onTimeout: request.onTimeout,
          }),
        answered: (record) =>
          stage.hooks.pauseAnswered({
            decision: record.decision,
            timedOut: record.answer.by === 'timeout',
          }),
      },
    });
    if (options.recording) options.recording.load = load.series.seconds();
    const kept = await keepOrTearDown(context, build, stage, release);
    return summarize(
      context,
      build,
      {
        release,
        load: { totals: load.totals(), phases: load.phases },
        replacedTasks: stage.platform.replacedTasks,
        productionUrl: stage.productionUrl,
        testUrl: stage.testUrl,
        kept,
        awsCalls: stage.hooks.calls().map((call) => `${call.service}:${call.operation}`),
      },
      { records: gates },
    );
  } finally {
    await context.cleanups.runAll();
  }
}
