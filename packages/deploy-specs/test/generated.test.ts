import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedFiles, staleFiles } from '../src/generated.js';
import { REPOSITORY_ROOT } from '../src/private/paths.js';
import { validateDocument } from 'ecs-release-lint/validate';

describe('committed generated files', () => {
  it('are up to date (run "pnpm specs generate" when this fails)', async () => {
    const stale = await staleFiles(REPOSITORY_ROOT);
    expect(stale.map((file) => `${file.path}\n${file.diff}`)).toEqual([]);
  });

  it('include a buildspec.yaml at the repository root with a header and schema modeline', () => {
    const buildspec = generatedFiles().find((file) => file.path === 'buildspec.yaml')!;
    expect(buildspec.content.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./packages/ecs-release-lint/schemas/buildspec.schema.json',
    );
    expect(buildspec.content).toContain('GENERATED FILE, do not edit');
    expect(buildspec.content).toContain('pnpm specs generate');
    expect(validateDocument('buildspec', 'buildspec.yaml', buildspec.content).errors).toEqual([]);
  });

  it('has the modeline point at a committed schema', () => {
    const schema = JSON.parse(
      readFileSync(
        join(REPOSITORY_ROOT, 'packages/ecs-release-lint/schemas/buildspec.schema.json'),
        'utf8',
      ),
    ) as {
      title: string;
    };
    expect(schema.title).toBe('CodeBuild buildspec 0.2');
  });
});

describe('README', () => {
  const readme = readFileSync(join(REPOSITORY_ROOT, 'packages/deploy-specs/README.md'), 'utf8');

  it('opens with a usage example', () => {
    const afterTitle = readme.split('\n').slice(1).join('\n').trimStart();
    expect(afterTitle.startsWith('```')).toBe(true);
  });

  it('points at the generated rules reference', () => {
    expect(readme).toContain('docs/rules.md');
  });
});
