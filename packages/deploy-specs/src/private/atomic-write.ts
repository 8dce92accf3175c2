import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Writes several files so that none is left half-written: every file goes
 * to a temporary name beside its target first, and only when all of them
 * are written are they renamed into place. On failure the temporary files
 * are removed and the targets are untouched.
 */
export async function writeFilesAtomically(
  directory: string,
  files: readonly { readonly name: string; readonly content: string }[],
): Promise<string[]> {
  const suffix = `.tmp-${process.pid}-${Date.now()}`;
  const staged: { temporary: string; target: string }[] = [];
  try {
    for (const file of files) {
      const target = join(directory, file.name);
      await mkdir(dirname(target), { recursive: true });
      const temporary = `${target}${suffix}`;
      staged.push({ temporary, target });
      await writeFile(temporary, file.content, { encoding: 'utf8', flag: 'wx' });
    }
  } catch (error) {
    await Promise.all(staged.map(({ temporary }) => rm(temporary, { force: true })));
    throw error;
  }
  for (const { temporary, target } of staged) await rename(temporary, target);
  return staged.map(({ target }) => target);
}
