import { fileURLToPath } from 'node:url';

// This module sits in `src/` (tsx, vitest) or `dist/` (built); either way the
// package root is one level up, so the app runs from any working directory.
export const viewsDirectory = fileURLToPath(new URL('../views/', import.meta.url));
export const publicDirectory = fileURLToPath(new URL('../public/', import.meta.url));
