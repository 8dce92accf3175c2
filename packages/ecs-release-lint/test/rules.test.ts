import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFiles, type FileInput } from '../src/check/check-files.js';
import { formatFinding } from '../src/core/findings.js';
import { RULES } from '../src/rules/catalog.js';

// actionlint's layout: each case under test/rules/<RULE_ID>/ sits beside the output it must
// produce (<case>.out, one `FILE:LINE:COL SEVERITY RULE-ID message` line per finding). A case is
// one file, or a folder of files validated together (a Dockerfile in it is --dockerfile).
// `bad-*` cases must report their folder's rule, `good-*` cases must not.
// UPDATE_RULE_FIXTURES=1 rewrites the .out files; review the diff before committing it.
const ROOT = join(import.meta.dirname, 'rules');
const update = process.env.UPDATE_RULE_FIXTURES === '1';

interface Case {
  readonly rule: string;
  readonly name: string;
  readonly path: string;
}

const cases: Case[] = readdirSync(ROOT).flatMap((rule) =>
  readdirSync(join(ROOT, rule))
    .filter((name) => !name.endsWith('.out'))
    .map((name) => ({ rule, name, path: join(ROOT, rule, name) })),
);

function output({ name, path }: Case): string {
  let inputs: FileInput[];
  let dockerfile: FileInput | undefined;
  if (statSync(path).isDirectory()) {
    const files = readdirSync(path).sort();
    inputs = files
      .filter((file) => file !== 'Dockerfile')
      .map((file) => ({ file: `${name}/${file}`, text: readFileSync(join(path, file), 'utf8') }));
    if (files.includes('Dockerfile'))
      dockerfile = {
        file: `${name}/Dockerfile`,
        text: readFileSync(join(path, 'Dockerfile'), 'utf8'),
      };
  } else {
    inputs = [{ file: name, text: readFileSync(path, 'utf8') }];
  }
  return checkFiles(inputs, { dockerfile })
    .findings.map((finding) => `${formatFinding(finding)}\n`)
    .join('');
}

describe('rule fixtures', () => {
  it.each(cases.map((fixture) => [`${fixture.rule}/${fixture.name}`, fixture] as const))(
    '%s gives its .out',
    (_, fixture) => {
      const actual = output(fixture);
      const expectedFile = `${fixture.path}.out`;
      if (update) writeFileSync(expectedFile, actual);
      expect(actual).toBe(readFileSync(expectedFile, 'utf8'));
      const reportsRule = actual.split('\n').some((line) => line.includes(` ${fixture.rule} `));
      if (fixture.name.startsWith('bad-')) expect(reportsRule).toBe(true);
      else if (fixture.name.startsWith('good-')) expect(reportsRule).toBe(false);
      else throw new Error(`${fixture.rule}/${fixture.name}: name a case bad-… or good-…`);
    },
  );

  it.each(RULES.map((rule) => rule.id))('%s has a failing and a passing fixture', (id) => {
    expect(existsSync(join(ROOT, id))).toBe(true);
    const names = cases.filter((fixture) => fixture.rule === id).map((fixture) => fixture.name);
    expect(names.some((name) => name.startsWith('bad-'))).toBe(true);
    expect(names.some((name) => name.startsWith('good-'))).toBe(true);
  });

  it('has no folder for a rule the catalog does not have', () => {
    const ids = new Set(RULES.map((rule) => rule.id));
    expect(readdirSync(ROOT).filter((rule) => !ids.has(rule))).toEqual([]);
  });
});
