import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFiles } from '../check/check-files.js';
import type { Finding } from '../core/findings.js';
import type { RuleExample } from '../core/rule.js';

/**
 * Where each rule's fixtures are, relative to the package: test/rules/<RULE_ID>/, whose
 * `bad-example` and `good-example` cases are the examples docs/rules.md shows, so the
 * reference and the tests read the same files.
 */
export const RULE_FIXTURES_PATH = 'test/rules';

/** A rule's documented example, read from its fixture folder (a Dockerfile last). */
export function ruleExample(
  packageRoot: string,
  ruleId: string,
  side: 'bad' | 'good',
): RuleExample {
  const folder = join(packageRoot, RULE_FIXTURES_PATH, ruleId, `${side}-example`);
  const names = readdirSync(folder).sort(
    (a, b) => Number(a === 'Dockerfile') - Number(b === 'Dockerfile') || a.localeCompare(b),
  );
  return Object.fromEntries(names.map((name) => [name, readFileSync(join(folder, name), 'utf8')]));
}

/** What `ecs-release-lint validate` reports for a rule's example files (a Dockerfile is passed as --dockerfile). */
export function exampleFindings(example: RuleExample): Finding[] {
  const entries = Object.entries(example);
  const dockerfile = entries.find(([name]) => name === 'Dockerfile');
  return checkFiles(
    entries.filter(([name]) => name !== 'Dockerfile').map(([file, text]) => ({ file, text })),
    { dockerfile: dockerfile && { file: dockerfile[0], text: dockerfile[1] } },
  ).findings;
}
