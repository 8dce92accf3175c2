import { realClock } from '../clock.js';
import { SteadyLoad } from '../load.js';
import type { RehearsalContext } from './context.js';

/** How long the load runs on blue alone before the release begins. */
const BASELINE_MS = 500;

/** Step 3, start the load: steady requests on the production listener, from before the release to its end. */
export async function startLoad(
  context: RehearsalContext,
  productionUrl: string,
): Promise<SteadyLoad> {
  const load = new SteadyLoad({
    url: `${productionUrl}/`,
    rate: context.options.rate,
    connections: 4,
  });
  load.start();
  context.cleanups.add('load', () => load.stop());
  await realClock.sleep(BASELINE_MS);
  return load;
}
