import { readFileSync } from 'node:fs';
import { RELEASE_FILES, SHIP_BUNDLE } from '@webapp-color/deploy-specs';
import { describe, expect, it } from 'vitest';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  bin: Record<string, string>;
};
const bundleScript = readFileSync(new URL('../scripts/bundle.mjs', import.meta.url), 'utf8');

describe('the bundle the release build copies', () => {
  it('is where the buildspec recipe copies it from, under the name the Deploy stage runs', () => {
    expect(manifest.bin.ship).toBe('./dist/ship.mjs');
    expect(bundleScript).toContain("outfile: 'dist/ship.mjs'");
    expect(SHIP_BUNDLE).toEqual({ path: 'packages/ship/dist/ship.mjs', name: 'ship.mjs' });
    expect(RELEASE_FILES.ecs).toContain(SHIP_BUNDLE.name);
  });
});
