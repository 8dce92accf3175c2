import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package folder: the nearest folder above this module with a
 * package.json (this module runs from src/ under tests, from dist/ when
 * built, and bundled into dist/cli.js).
 */
function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder)
    folder = dirname(folder);
  return folder;
}

export const PACKAGE_ROOT = packageRoot();
/** The repository root: the package lives at packages/deploy-specs. */
export const REPOSITORY_ROOT = resolve(PACKAGE_ROOT, '..', '..');
/** The package folder relative to the repository root. */
export const PACKAGE_PATH = 'packages/deploy-specs';
/** The linter's package folder relative to the repository root (its schemas and docs are generated here too). */
export const LINTER_PATH = 'packages/ecs-release-lint';
