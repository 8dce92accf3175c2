// Bundles the CLI (src/command/main.ts) into one CommonJS file that dist/cli.js loads with a
// V8 code cache: one module instead of a few hundred (zod, yaml, commander), compiled once.
// See bench/startup.mjs and the README's figures.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/command/main.ts'],
  outfile: 'dist/cli.bundle.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // jsonc-parser's main build is UMD with dynamic requires a bundle cannot follow; its ES build is plain.
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
