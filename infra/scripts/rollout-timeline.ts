// Print the rollout timeline of the staging configuration, or with --write
// put it into infra/docs/deployments.md between its markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { loadInfraConfig } from '../config/index.js';
import { renderRolloutTimeline, withRolloutTimeline } from '../lib/rollout-timeline.js';

const envName = 'staging';
const table = renderRolloutTimeline(envName, loadInfraConfig(envName), webappColor);
if (process.argv.includes('--write')) {
  const readme = new URL('../docs/deployments.md', import.meta.url);
  writeFileSync(readme, withRolloutTimeline(readFileSync(readme, 'utf8'), table));
  console.log('infra/docs/deployments.md: rollout timeline updated');
} else {
  console.log(table);
}
