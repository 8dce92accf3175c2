import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const codeCache = pathToFileURL(
  join(import.meta.dirname, '..', 'src', 'command', 'code-cache.ts'),
).href;

function load(file: string) {
  return spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const { requireWithCodeCache } = await import(${JSON.stringify(codeCache)}); console.log(requireWithCodeCache(${JSON.stringify(file)}).answer);`,
    ],
    { encoding: 'utf8', cwd: join(import.meta.dirname, '..') },
  );
}

describe('requireWithCodeCache', () => {
  it('writes V8 code cache beside a bundle on the first run and reuses it after', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-release-lint-cache-'));
    const bundle = join(dir, 'bundle.cjs');
    writeFileSync(bundle, 'module.exports = { answer: require("node:path").basename("/x/42") };\n');

    const first = load(bundle);
    expect(first.stdout.trim()).toBe('42');
    const [cache] = readdirSync(dir).filter((name) => name.endsWith('.v8cache'));
    expect(cache).toBe(`bundle.cjs.${process.version}-${process.arch}.v8cache`);
    const written = statSync(join(dir, cache!)).mtimeMs;

    const second = load(bundle);
    expect(second.stdout.trim()).toBe('42');
    expect(statSync(join(dir, cache!)).mtimeMs).toBe(written);
  });

  it('runs without a cache where it cannot write one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-release-lint-cache-'));
    const bundle = join(dir, 'bundle.cjs');
    writeFileSync(bundle, 'module.exports = { answer: 7 };\n');
    // A folder where the cache file would go: reading and renaming onto it both fail.
    mkdirSync(join(dir, `bundle.cjs.${process.version}-${process.arch}.v8cache`, 'occupied'), {
      recursive: true,
    });
    const result = load(bundle);
    expect(result.stdout.trim()).toBe('7');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
