#!/usr/bin/env node
// Startup cost of the CLI: one-file `ecs-release-lint validate` against a bare `node -e 0`, measured
// in the same run in alternating rounds (median of each), so machine load affects both alike.
// Also measures the same command from the bundle without its V8 code cache (a first run), and
// through the separate tsc-built modules, to show what the esbuild bundle
// (scripts/bundle-cli.mjs) and the code cache (src/command/code-cache.ts) each buy.
// Run after `pnpm build`: `pnpm bench` [--rounds N].
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const main = pathToFileURL(join(root, 'dist', 'command', 'main.js')).href;
const bundle = join(root, 'dist', 'cli.bundle.cjs');
if (!existsSync(cli)) {
  console.error(`${cli} is missing: run pnpm build first`);
  process.exit(2);
}
const roundsFlag = process.argv.indexOf('--rounds');
const rounds = roundsFlag > 0 ? Number(process.argv[roundsFlag + 1]) : 15;
if (!Number.isInteger(rounds) || rounds < 3) {
  console.error(`--rounds takes a whole number of at least 3, not ${process.argv[roundsFlag + 1]}`);
  process.exit(2);
}

const taskdef = join(root, 'test', 'corpus', 'valid', 'fargate-httpd', 'taskdef.json');
const appspec = join(root, 'test', 'corpus', 'valid', 'ecs-hooks-network', 'appspec.yaml');
const unbundled = (file) => [
  '--input-type=module',
  '-e',
  `process.argv.splice(1, Infinity, '[eval]', 'validate', ${JSON.stringify(file)}); (await import(${JSON.stringify(main)})).main();`,
];
const uncached = (file) => [
  '-e',
  `process.argv.splice(1, Infinity, '[eval]', 'validate', ${JSON.stringify(file)}); require(${JSON.stringify(bundle)}).main();`,
];

const commands = {
  'node -e 0': ['-e', '0'],
  'validate taskdef.json': [cli, 'validate', taskdef],
  'validate appspec.yaml': [cli, 'validate', appspec],
  'validate taskdef.json, no code cache': uncached(taskdef),
  'validate taskdef.json, unbundled': unbundled(taskdef),
};

function time(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0)
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
for (const args of Object.values(commands)) time(args); // warm the file cache
for (let round = 0; round < rounds; round++)
  for (const [name, args] of Object.entries(commands)) samples[name].push(time(args));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const bare = median(samples['node -e 0']);
console.log(
  `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${rounds} rounds`,
);
for (const [name, values] of Object.entries(samples)) {
  const ms = median(values);
  console.log(
    `${name.padEnd(38)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / bare).toFixed(2)}× bare node`,
  );
}
