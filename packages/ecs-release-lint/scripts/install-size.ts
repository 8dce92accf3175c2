// What `npm install ecs-release-lint` costs a user: the tarball, the package unpacked, and
// node_modules with its dependencies, measured by packing the built package and installing the
// tarball in an empty folder. Run after `pnpm build`: `pnpm --filter ecs-release-lint install-size`.
// The README states these figures.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { installTarball, packTarball } from '../test/support/pack.js';

/** Bytes of the files under a folder (apparent sizes, as npm reports unpacked sizes). */
function bytes(folder: string): number {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .reduce((total, entry) => total + statSync(join(entry.parentPath, entry.name)).size, 0);
}

const tarball = packTarball();
const folder = await installTarball(tarball);
const modules = join(folder, 'node_modules');
const packages = readdirSync(modules).filter((name) => !name.startsWith('.'));
const kB = (size: number) => `${(size / 1000).toFixed(0)} kB`;
console.log(`tarball:                       ${kB(statSync(tarball).size)}`);
console.log(`ecs-release-lint unpacked:     ${kB(bytes(join(modules, 'ecs-release-lint')))}`);
console.log(`node_modules with dependencies: ${kB(bytes(modules))} (${packages.join(', ')})`);
rmSync(dirname(tarball), { recursive: true, force: true });
rmSync(folder, { recursive: true, force: true });
