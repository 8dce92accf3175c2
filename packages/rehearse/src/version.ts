import { exec } from './private/exec.js';

export interface SourceVersion {
  /** The commit checked out (what the pipeline's build passes as COMMIT_ID). */
  readonly commitId: string;
  /** Whether the working tree differs from that commit. */
  readonly dirty: boolean;
  /** The image tag and APP_VERSION: the commit id, `-dirty` appended as `git describe --dirty` does. */
  readonly version: string;
}

/** The version of the working tree, as the release build would tag it. */
export async function sourceVersion(repoRoot: string): Promise<SourceVersion> {
  const head = await exec('git', ['rev-parse', 'HEAD'], { cwd: repoRoot });
  if (head.code !== 0) {
    throw new Error(
      `cannot read the commit id in ${repoRoot} (git rev-parse HEAD: ${head.stderr.trim() || `exit ${head.code}`}): the image is tagged with it, as the release build does`,
    );
  }
  const status = await exec('git', ['status', '--porcelain', '--untracked-files=normal'], {
    cwd: repoRoot,
  });
  const commitId = head.stdout.trim();
  const dirty = status.stdout.trim() !== '';
  return { commitId, dirty, version: dirty ? `${commitId}-dirty` : commitId };
}
