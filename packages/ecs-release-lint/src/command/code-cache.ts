import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/**
 * Loads a CommonJS bundle with V8's code cache kept beside it, as
 * v8-compile-cache does (Node 20 has no module.enableCompileCache): the
 * second and later runs skip compiling the bundle, about a third of the
 * CLI's startup (bench/startup.mjs). The cache is rewritten when V8 rejects
 * it (another Node version, a rebuilt bundle); where the folder is not
 * writable, the bundle simply runs without one.
 */
export function requireWithCodeCache(file: string): unknown {
  const source = readFileSync(file, 'utf8');
  const cacheFile = `${file}.${process.version}-${process.arch}.v8cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
  ) => void;
  wrapper(module.exports, createRequire(file), module, file, dirname(file));
  if (cachedData === undefined || script.cachedDataRejected === true) {
    // After the run, so the functions it compiled lazily are in the cache too.
    process.once('exit', () => {
      try {
        const temporary = `${cacheFile}.${process.pid}`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, cacheFile);
      } catch {
        // A read-only install runs without a cache.
      }
    });
  }
  return module.exports;
}
