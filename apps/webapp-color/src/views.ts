import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ejs from 'ejs';
import { viewsDirectory } from './paths.js';

/** Renders `views/<name>.ejs` synchronously; only called while the app is being built. */
export function renderView(name: string, data: Readonly<Record<string, unknown>>): string {
  const filename = join(viewsDirectory, `${name}.ejs`);
  return ejs.render(readFileSync(filename, 'utf8'), data, { filename });
}
