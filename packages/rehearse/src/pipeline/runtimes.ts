import { chmod, mkdir, readdir, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { exec, tail } from '../private/exec.js';

/**
 * Node.js of a major version for the build, as the CodeBuild image's
 * `runtime-versions: nodejs: <major>` selects one: the Node binary from the
 * npm registry's `node-linux-<arch>` package and npm from the `npm`
 * package (this machine reaches no other download site), kept in `cache`
 * once per major, as an image keeps its runtimes.
 */
async function cachedNodeRuntime(major: string, cache: string): Promise<string> {
  if (!/^\d+$/.test(major)) {
    throw new Error(`expected a Node.js major version such as 24, got ${JSON.stringify(major)}`);
  }
  const home = join(cache, `node-${major}`);
  const bin = join(home, 'bin');
  const present = await exec(join(bin, 'node'), ['--version']);
  if (present.code === 0 && present.stdout.startsWith(`v${major}.`)) return home;

  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  const work = `${home}.partial-${process.pid}`;
  await rm(work, { recursive: true, force: true });
  await mkdir(join(work, 'lib', 'node_modules', 'npm'), { recursive: true });
  const npmVersion = (await exec('npm', ['--version'])).stdout.trim() || 'latest';
  const packed = await exec(
    'npm',
    [
      'pack',
      '--silent',
      '--pack-destination',
      work,
      `node-linux-${arch}@${major}`,
      `npm@${npmVersion}`,
    ],
    { timeoutMs: 300_000 },
  );
  if (packed.code !== 0) {
    throw new Error(
      `npm pack node-linux-${arch}@${major} npm@${npmVersion} failed: ${tail(packed.stderr)}`,
    );
  }
  const tarballs = await readdir(work);
  const nodeTarball = tarballs.find((name) => name.startsWith(`node-linux-${arch}-`));
  const npmTarball = tarballs.find((name) => name.startsWith('npm-'));
  if (!nodeTarball || !npmTarball) throw new Error(`npm pack gave ${tarballs.join(', ')}`);
  for (const [tarball, into, strip] of [
    [nodeTarball, work, '1'],
    [npmTarball, join(work, 'lib', 'node_modules', 'npm'), '1'],
  ] as const) {
    const unpacked = await exec('tar', [
      '-xzf',
      join(work, tarball),
      '-C',
      into,
      `--strip-components=${strip}`,
    ]);
    if (unpacked.code !== 0) throw new Error(`tar -xzf ${tarball}: ${tail(unpacked.stderr)}`);
    await rm(join(work, tarball));
  }
  await chmod(join(work, 'bin', 'node'), 0o755);
  await symlink('../lib/node_modules/npm/bin/npm-cli.js', join(work, 'bin', 'npm'));
  await symlink('../lib/node_modules/npm/bin/npx-cli.js', join(work, 'bin', 'npx'));
  const version = await exec(join(work, 'bin', 'node'), ['--version']);
  if (!version.stdout.startsWith(`v${major}.`)) {
    throw new Error(`node-linux-${arch}@${major} says ${version.stdout.trim() || version.stderr}`);
  }
  await rm(home, { recursive: true, force: true });
  await rename(work, home);
  return home;
}

/**
 * The build's own copy of the cached runtime (hard links, so it costs
 * nothing): what the build installs globally (`npm install --global pnpm`)
 * stays in this build, as it stays in CodeBuild's container.
 */
export async function nodeRuntime(major: string, cache: string, into: string): Promise<string> {
  const cached = await cachedNodeRuntime(major, cache);
  const copy = join(into, `node-${major}`);
  await rm(copy, { recursive: true, force: true });
  await mkdir(into, { recursive: true });
  const linked = await exec('cp', ['-al', cached, copy]);
  if (linked.code !== 0) throw new Error(`cp -al ${cached} ${copy}: ${tail(linked.stderr)}`);
  return join(copy, 'bin');
}
