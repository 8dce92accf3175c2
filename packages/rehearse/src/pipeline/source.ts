import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, tail } from '../private/exec.js';

/** The source as CodePipeline's Source action hands it to the build. */
export interface ExportedSource {
  /** The commit whose files were exported (a snapshot commit for a dirty tree). */
  readonly commitId: string;
  /** The commit checked out. */
  readonly headCommitId: string;
  /** Whether the working tree had uncommitted changes (exported as a snapshot of them). */
  readonly dirty: boolean;
  /** The folder the files are in: no `.git`. */
  readonly directory: string;
  readonly files: number;
  /** Symbolic links of the commit, which the ZIP leaves out. */
  readonly symlinksRemoved: readonly string[];
  readonly seconds: number;
}

async function removeSymlinks(root: string, prefix = ''): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isSymbolicLink()) {
      await rm(join(root, path));
      removed.push(path);
    } else if (entry.isDirectory()) removed.push(...(await removeSymlinks(root, path)));
  }
  return removed;
}

export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

async function git(repoRoot: string, args: readonly string[], env?: NodeJS.ProcessEnv) {
  const result = await exec('git', args, {
    cwd: repoRoot,
    ...(env ? { env: { ...process.env, ...env } } : {}),
  });
  if (result.code !== 0) {
    throw new SourceError(
      `git ${args.join(' ')} failed in ${repoRoot} (exit ${result.code}): ${tail(result.stderr || result.stdout)}`,
    );
  }
  return result.stdout.trim();
}

/**
 * A commit of the working tree as it is (tracked changes and untracked files
 * that .gitignore does not exclude), made through a scratch index, so no ref,
 * the real index or a file of the work tree changes: `git stash create`
 * without its blind spot for untracked files. Its id names exactly these
 * contents, so two different dirty trees never share an image tag.
 */
async function snapshotCommit(repoRoot: string, head: string): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'rehearse-index-'));
  // HEAD's date, so the same changes make the same commit (and image tag).
  const date = await git(repoRoot, ['log', '-1', '--format=%cI', head]);
  try {
    const env = { GIT_INDEX_FILE: join(scratch, 'index') };
    await git(repoRoot, ['read-tree', head], env);
    await git(repoRoot, ['add', '--all', '--', '.'], env);
    const tree = await git(repoRoot, ['write-tree'], env);
    return await git(
      repoRoot,
      ['commit-tree', tree, '-p', head, '-m', 'pnpm rehearse: snapshot of uncommitted changes'],
      {
        GIT_AUTHOR_NAME: 'pnpm rehearse',
        GIT_AUTHOR_EMAIL: 'rehearse@localhost',
        GIT_COMMITTER_NAME: 'pnpm rehearse',
        GIT_COMMITTER_EMAIL: 'rehearse@localhost',
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      },
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Exports the source the way CodePipeline's Source action packs it
 * (`CODE_ZIP`, "a ZIP file with a shallow copy of your commit"): the files
 * `git archive` gives for the commit, no `.git`. With uncommitted changes
 * the working tree is exported as a snapshot commit and marked dirty.
 *
 * @see https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html
 */
export async function exportSource(repoRoot: string, directory: string): Promise<ExportedSource> {
  const began = Date.now();
  const inside = await exec('git', ['rev-parse', '--is-inside-work-tree'], { cwd: repoRoot });
  if (inside.code !== 0) {
    throw new SourceError(
      `${repoRoot} is not a git work tree: the rehearsal starts at the push, from a commit`,
    );
  }
  const headCommitId = await git(repoRoot, ['rev-parse', 'HEAD']);
  const status = await git(repoRoot, ['status', '--porcelain', '--untracked-files=normal']);
  const dirty = status !== '';
  const commitId = dirty ? await snapshotCommit(repoRoot, headCommitId) : headCommitId;
  await rm(directory, { recursive: true, force: true });
  await mkdir(directory, { recursive: true });
  const archive = join(directory, '..', `source-${process.pid}.tar`);
  try {
    await git(repoRoot, ['archive', '--format=tar', `--output=${archive}`, commitId]);
    const unpacked = await exec('tar', ['-xf', archive, '-C', directory]);
    if (unpacked.code !== 0) {
      throw new SourceError(`tar -xf ${archive} failed: ${tail(unpacked.stderr)}`);
    }
  } finally {
    await rm(archive, { force: true });
  }
  // CodePipeline's ZIP has no symbolic links ("symlinks would otherwise be
  // removed by CodePipeline", aws-cdk-lib's pipelines.ConnectionSourceOptions).
  const symlinks = await removeSymlinks(directory);
  const listed = await git(repoRoot, ['ls-tree', '-r', '--name-only', commitId]);
  return {
    commitId,
    headCommitId,
    dirty,
    directory,
    files: (listed === '' ? 0 : listed.split('\n').length) - symlinks.length,
    symlinksRemoved: symlinks,
    seconds: (Date.now() - began) / 1000,
  };
}
