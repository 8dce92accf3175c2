import { checkFiles } from '../check/check-files.js';
import type { Finding } from '../core/findings.js';
import type { RuleExample } from '../core/rule.js';

/** What `ecs-release-lint validate` reports for a rule's example files (a Dockerfile is passed as --dockerfile). */
export function exampleFindings(example: RuleExample): Finding[] {
  const entries = Object.entries(example);
  const dockerfile = entries.find(([name]) => name === 'Dockerfile');
  return checkFiles(
    entries.filter(([name]) => name !== 'Dockerfile').map(([file, text]) => ({ file, text })),
    { dockerfile: dockerfile && { file: dockerfile[0], text: dockerfile[1] } },
  ).findings;
}
