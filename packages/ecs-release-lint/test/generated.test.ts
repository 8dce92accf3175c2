import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleFindings, ruleExample } from '../src/docs/examples.js';
import { generatedFiles } from '../src/generated.js';
import { RULES, ruleCatalog } from '../src/rules/catalog.js';
import { VERSION } from '../src/core/version.js';

const PACKAGE = join(import.meta.dirname, '..');

describe('committed generated files', () => {
  it.each(generatedFiles(PACKAGE).map((file) => [file.path, file] as const))(
    '%s is up to date (run "pnpm specs generate" when this fails)',
    (path, file) => {
      expect(readFileSync(join(PACKAGE, path), 'utf8')).toBe(file.content);
    },
  );
});

describe('package', () => {
  it('states its version once: package.json and the CLI agree', () => {
    const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(manifest.version);
  });
});

describe('rules reference', () => {
  const reference = readFileSync(join(PACKAGE, 'docs', 'rules.md'), 'utf8');

  it.each(ruleCatalog().map((rule) => rule.id))('documents rule %s', (id) => {
    expect(reference).toMatch(new RegExp(`^## ${id}$`, 'm'));
  });
});

describe('rule examples', () => {
  it.each(RULES.map((rule) => [rule.id, rule] as const))(
    '%s: the bad example reports it and the good one does not',
    (_, rule) => {
      const bad = exampleFindings(ruleExample(PACKAGE, rule.id, 'bad')).filter(
        (finding) => finding.ruleId === rule.id,
      );
      expect(bad.map((finding) => finding.severity)).toContain(rule.severity);
      expect(exampleFindings(ruleExample(PACKAGE, rule.id, 'good'))).toEqual([]);
    },
  );
});

describe('README', () => {
  const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');

  it('opens with a usage example', () => {
    const afterTitle = readme.split('\n').slice(1).join('\n').trimStart();
    expect(afterTitle.startsWith('```sh\nnpx ecs-release-lint validate ')).toBe(true);
  });

  it('points at the rules reference and states the measured install size', () => {
    expect(readme).toContain('(docs/rules.md)');
    expect(readme).toContain('pnpm --filter ecs-release-lint install-size');
    expect(readme).toMatch(/a \d+ kB\s+tarball, \d+ kB unpacked/);
  });

  it("has a pre-commit hook whose file pattern picks the kinds' usual names", () => {
    const patterns = [...readme.matchAll(/(?:files: '|grep -E ')([^']+)'/g)].map(
      ([, pattern]) => new RegExp(pattern!),
    );
    expect(patterns).toHaveLength(2);
    for (const pattern of patterns) {
      for (const name of [
        'appspec.yaml',
        'deploy/appspec.json',
        'buildspec.yml',
        'ci/buildspec-release.yaml',
        'taskdef.json',
        'ecs/task-definition.prod.json',
        'imagedefinitions.json',
      ])
        expect(pattern.test(name), `${String(pattern)} ${name}`).toBe(true);
      for (const name of ['package.json', 'docker-compose.yml', 'appspec/README.md'])
        expect(pattern.test(name), `${String(pattern)} ${name}`).toBe(false);
    }
  });
});
