// Bundles the CLI into one file over the tsc output: loading one module instead of
// a few hundred (zod, yaml, commander) is what brings startup near bare node
// (see bench/startup.mjs and the README's figures).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // jsonc-parser's main build is UMD with dynamic requires a bundle cannot follow; its ES build is plain.
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
  // commander is CommonJS and requires node: built-ins; an ES module bundle needs a require.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
