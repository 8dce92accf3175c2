import { COMMIT_ID_PATTERN } from '@webapp-color/deploy-specs';
import { exec } from './private/exec.js';

export interface SourceVersion {
  /** The commit checked out (what the pipeline's build passes as COMMIT_ID). */
  readonly commitId: string;
  /** Whether the working tree differs from that commit. */
  readonly dirty: boolean;
  /** The image tag and APP_VERSION: the commit id, `-dirty` appended as `git describe --dirty` does. */
  readonly version: string;
  /** Where the commit id came from: the repository, or a CodeBuild variable (no `.git`). */
  readonly from: string;
}

/**
 * The variables that carry the commit where there is no `.git` (CodePipeline
 * hands CodeBuild a ZIP of the commit's files), in the order the release
 * build reads them: the pipeline's, then CodeBuild's own.
 */
export const COMMIT_ID_VARIABLES = [
  'SOURCE_COMMIT_ID',
  'CODEBUILD_RESOLVED_SOURCE_VERSION',
] as const;

/**
 * The version of the source, as the release build would tag it: from git
 * where the folder is a work tree, else from the build's variables (the
 * source exactly as CodePipeline hands it has no `.git`).
 */
export async function sourceVersion(
  repoRoot: string,
  environment: NodeJS.ProcessEnv = process.env,
): Promise<SourceVersion> {
  const inside = await exec('git', ['rev-parse', '--is-inside-work-tree'], { cwd: repoRoot });
  if (inside.code !== 0 || inside.stdout.trim() !== 'true') {
    for (const name of COMMIT_ID_VARIABLES) {
      const value = environment[name];
      if (!value) continue;
      if (!COMMIT_ID_PATTERN.test(value)) {
        throw new Error(
          `${name}=${JSON.stringify(value)} is not a commit id (expected ${COMMIT_ID_PATTERN.source})`,
        );
      }
      return { commitId: value, dirty: false, version: value, from: name };
    }
    throw new Error(
      `${repoRoot} is not a git work tree and none of ${COMMIT_ID_VARIABLES.join(', ')} is set: the image is tagged with the commit id, as the release build does`,
    );
  }
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
  return { commitId, dirty, version: dirty ? `${commitId}-dirty` : commitId, from: 'git' };
}
