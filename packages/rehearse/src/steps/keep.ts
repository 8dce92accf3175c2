import { writeState, type KeptState } from '../environment.js';
import type { ReleaseOutcome } from '../lifecycle.js';
import type { Releases } from './build.js';
import type { RehearsalContext } from './context.js';
import type { Stage } from './blue.js';

/**
 * Step 5, keep or tear down: with `keep` (and not interrupted), whichever
 * task set serves production stays up, with the proxy and the state the
 * next rehearsal and `down` read; otherwise everything goes at the end.
 * Returns whether the environment is kept.
 */
export async function keepOrTearDown(
  context: RehearsalContext,
  releases: Releases,
  stage: Pick<Stage, 'productionUrl' | 'testUrl' | 'listeners' | 'targets'>,
  outcome: Pick<ReleaseOutcome, 'outcome'>,
): Promise<boolean> {
  const { options, slots, colors } = context;
  if (!options.keep || options.signal?.aborted) return false;
  const live = outcome.outcome === 'succeeded' ? 'green' : 'blue';
  context.cleanups.skip('environment');
  await context.cleanups.now('hook runner');
  const state: KeptState = {
    productionUrl: stage.productionUrl,
    testUrl: stage.testUrl,
    engine: context.engine.name,
    listeners: stage.listeners,
    targets: stage.targets,
    liveSlot: slots[live],
    live: { version: releases.versions[live], color: colors[live] },
  };
  await writeState(context.environment, state);
  // The live image's tag stays with the tasks that run it.
  const index = context.localTags.indexOf(releases.releases[live].imageUri);
  if (index >= 0) context.localTags.splice(index, 1);
  return true;
}
