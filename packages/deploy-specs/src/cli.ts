#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requireWithCodeCache } from 'ecs-release-lint/code-cache';

// `pnpm build` bundles the CLI into cli.bundle.cjs (scripts/bundle-cli.mjs), which starts in
// about half the time of the separate modules; a tsc-only build runs them directly.
const bundle = fileURLToPath(new URL('./cli.bundle.cjs', import.meta.url));
const cli = existsSync(bundle)
  ? (requireWithCodeCache(bundle) as { main: () => void })
  : await import('./command/main.js');
cli.main();
