// The Source stage: the commit's files as CODE_ZIP packs them, no .git; a
// dirty tree as a snapshot commit that touches neither refs nor the index.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportSource, SourceError } from '../src/pipeline/source.js';
import { sourceVersion } from '../src/version.js';
import { git } from './support/git.js';

function repository(): string {
  const root = mkdtempSync(join(tmpdir(), 'source-test-'));
  git(root, 'init', '--quiet');
  writeFileSync(join(root, 'tracked.txt'), 'committed\n');
  writeFileSync(join(root, '.gitignore'), 'ignored.txt\n');
  writeFileSync(join(root, '.gitattributes'), 'private.txt export-ignore\n');
  writeFileSync(join(root, 'private.txt'), 'not in archives\n');
  git(root, 'add', '.');
  git(root, 'commit', '--quiet', '-m', 'first');
  return root;
}

describe('exportSource', () => {
  it('exports exactly the files git archive gives for the commit, without .git', async () => {
    const root = repository();
    const into = join(mkdtempSync(join(tmpdir(), 'source-out-')), 'src');
    const source = await exportSource(root, into);
    expect(source.dirty).toBe(false);
    expect(source.commitId).toBe(git(root, 'rev-parse', 'HEAD'));
    expect(existsSync(join(into, '.git'))).toBe(false);
    expect(existsSync(join(into, 'private.txt'))).toBe(false);
    expect(readFileSync(join(into, 'tracked.txt'), 'utf8')).toBe('committed\n');
  });

  it('exports a dirty tree as a snapshot commit of it, and changes no ref, index or file', async () => {
    const root = repository();
    const head = git(root, 'rev-parse', 'HEAD');
    writeFileSync(join(root, 'tracked.txt'), 'changed\n');
    writeFileSync(join(root, 'new.txt'), 'untracked\n');
    writeFileSync(join(root, 'ignored.txt'), 'ignored\n');
    const statusBefore = git(root, 'status', '--porcelain');
    const into = join(mkdtempSync(join(tmpdir(), 'source-out-')), 'src');
    const source = await exportSource(root, into);
    expect(source).toMatchObject({ dirty: true, headCommitId: head });
    expect(source.commitId).not.toBe(head);
    expect(git(root, 'rev-parse', `${source.commitId}^`)).toBe(head);
    expect(readFileSync(join(into, 'tracked.txt'), 'utf8')).toBe('changed\n');
    expect(readFileSync(join(into, 'new.txt'), 'utf8')).toBe('untracked\n');
    expect(existsSync(join(into, 'ignored.txt'))).toBe(false);
    expect(git(root, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(root, 'status', '--porcelain')).toBe(statusBefore);
  });

  it('refuses a folder that is not a git work tree', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'source-plain-'));
    await expect(exportSource(plain, join(plain, 'out'))).rejects.toThrow(SourceError);
  });
});

describe('sourceVersion without .git (the source as CodePipeline hands it)', () => {
  const plain = mkdtempSync(join(tmpdir(), 'source-plain-'));
  const commit = '0123456789abcdef0123456789abcdef01234567';

  it("takes the pipeline's SOURCE_COMMIT_ID first, then CodeBuild's resolved version", async () => {
    expect(
      await sourceVersion(plain, {
        SOURCE_COMMIT_ID: commit,
        CODEBUILD_RESOLVED_SOURCE_VERSION: 'ffffffff',
      }),
    ).toMatchObject({ commitId: commit, version: commit, dirty: false, from: 'SOURCE_COMMIT_ID' });
    expect(await sourceVersion(plain, { CODEBUILD_RESOLVED_SOURCE_VERSION: commit })).toMatchObject(
      { commitId: commit, from: 'CODEBUILD_RESOLVED_SOURCE_VERSION' },
    );
  });

  it('names the variables when neither is set, and the value when it is no commit id', async () => {
    await expect(sourceVersion(plain, {})).rejects.toThrow(
      /SOURCE_COMMIT_ID, CODEBUILD_RESOLVED_SOURCE_VERSION/,
    );
    await expect(sourceVersion(plain, { SOURCE_COMMIT_ID: 'main' })).rejects.toThrow(
      'SOURCE_COMMIT_ID="main" is not a commit id',
    );
  });
});
