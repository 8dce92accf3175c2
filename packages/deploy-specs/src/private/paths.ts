import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package folder (works from src/ under tests and from dist/ when built). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The repository root: the package lives at packages/deploy-specs. */
export const REPOSITORY_ROOT = resolve(PACKAGE_ROOT, '..', '..');
/** The package folder relative to the repository root. */
export const PACKAGE_PATH = 'packages/deploy-specs';
