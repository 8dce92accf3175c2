import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PACKAGE_ROOT = join(import.meta.dirname, '..', '..');

/**
 * The environment for npm run from a pnpm script: pnpm's own npm_* variables (the lifecycle
 * event, the package, pnpm's settings) would steer npm too; the registry and TLS settings
 * are kept.
 */
export function npmEnvironment(): NodeJS.ProcessEnv {
  const keep = /^npm_config_(registry|cafile|ca|proxy|https_proxy|noproxy|strict_ssl|cache)$/i;
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) || keep.test(name)),
  );
}

/** `pnpm pack` of the built package into a new temporary folder; the tarball's path. */
export function packTarball(): string {
  if (!existsSync(join(PACKAGE_ROOT, 'dist', 'cli.bundle.cjs')))
    throw new Error(`${PACKAGE_ROOT}/dist is not built: run pnpm build first`);
  const destination = mkdtempSync(join(tmpdir(), 'ecs-release-lint-pack-'));
  execFileSync('pnpm', ['pack', '--pack-destination', destination], {
    cwd: PACKAGE_ROOT,
    stdio: 'pipe',
  });
  const [tarball] = readdirSync(destination).filter((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`pnpm pack wrote no tarball to ${destination}`);
  return join(destination, tarball);
}

/**
 * `npm install <tarball>` in a new, empty temporary folder, as a user would; the
 * folder. Dependencies come from `registry` with an npm cache of its own when
 * given (the tests give a loopback one in their own process: they reach no
 * network beyond 127.0.0.1, and npm runs asynchronously so that registry can
 * answer), else from npm's configured registry (the install-size script).
 */
export async function installTarball(tarball: string, registry?: string): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'ecs-release-lint-install-'));
  const args = [
    'install',
    '--no-audit',
    '--no-fund',
    '--no-update-notifier',
    '--loglevel=error',
    ...(registry ? [`--registry=${registry}`, `--cache=${join(folder, '.npm-cache')}`] : []),
    tarball,
  ];
  const env = registry
    ? { ...npmEnvironment(), NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' }
    : npmEnvironment();
  await new Promise<void>((resolve, reject) => {
    execFile('npm', args, { cwd: folder, env, timeout: 240_000 }, (error, _stdout, stderr) =>
      error
        ? reject(new Error(`npm ${args.join(' ')} failed: ${error.message}\n${stderr}`))
        : resolve(),
    );
  });
  return folder;
}
