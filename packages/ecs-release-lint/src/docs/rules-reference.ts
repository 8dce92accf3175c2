import { formatFinding } from '../core/findings.js';
import { RULES } from '../rules/catalog.js';
import { exampleFindings, ruleExample } from './examples.js';
import type { Rule, RuleExample } from '../core/rule.js';

/** Where the rules reference is committed, relative to the package. */
export const RULES_REFERENCE_PATH = 'docs/rules.md';

const STAGES: Record<Rule['stage'], string> = {
  parse: 'parse',
  schema: 'schema (the zod model)',
  document: 'document',
  release: 'release (several files)',
};

function fence(name: string, text: string): string {
  const language = name.endsWith('.json') ? 'json' : name === 'Dockerfile' ? 'dockerfile' : 'yaml';
  return `\`${name}\`\n\n\`\`\`${language}\n${text.trimEnd()}\n\`\`\``;
}

function files(example: RuleExample): string {
  return Object.entries(example)
    .map(([name, text]) => fence(name, text))
    .join('\n\n');
}

function output(example: RuleExample): string {
  const lines = exampleFindings(example).map(formatFinding);
  return `\`\`\`text\n${lines.length > 0 ? lines.join('\n') : '(no findings)'}\n\`\`\``;
}

/** Text for Markdown: `<IMAGE1_NAME>` would otherwise be read as an HTML tag and disappear. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A rule's declared messages, each with its id; the {{slots}} are filled by each finding. */
function messages(rule: Rule): string[] {
  const entries = Object.entries(rule.messages);
  if (entries.length === 0) return [];
  const list = entries.map(([id, text]) => `- \`${id}\`: ${escape(text)}`).join('\n');
  return [`**Messages** (\`{{name}}\` is filled in by each finding)\n\n${list}`];
}

/**
 * docs/rules.md: every rule with why it matters, its AWS reference and its examples' real
 * output; the examples are read from the package's fixtures under `packageRoot`.
 */
export function rulesReference(packageRoot: string, rules: readonly Rule[] = RULES): string {
  const index = rules
    .map(
      (rule) =>
        `| [\`${rule.id}\`](#${rule.id.toLowerCase()}) | ${rule.severity} | ${escape(rule.summary).replace(/\|/g, '\\|')} |`,
    )
    .join('\n');
  const sections = rules.map((rule) => {
    const bad = ruleExample(packageRoot, rule.id, 'bad');
    const good = ruleExample(packageRoot, rule.id, 'good');
    return [
      `## ${rule.id}`,
      escape(rule.summary),
      [
        `- Severity: ${rule.severity}`,
        `- Checks: ${rule.kinds.join(', ')}; stage: ${STAGES[rule.stage]}`,
        `- AWS reference: <${rule.reference}>`,
      ].join('\n'),
      `**Why it matters.** ${escape(rule.why)}`,
      ...messages(rule),
      `**Fails**\n\n${files(bad)}\n\nOutput of \`ecs-release-lint validate\`:\n\n${output(bad)}`,
      `**Passes**\n\n${files(good)}\n\nOutput:\n\n${output(good)}`,
    ].join('\n\n');
  });
  return `<!-- GENERATED FILE, do not edit: \`pnpm specs generate\` writes it from the rule objects in src/rules/. -->

# ecs-release-lint rules

Every finding has a rule id. Text output reads \`FILE:LINE:COL SEVERITY RULE-ID message\`;
errors make \`ecs-release-lint validate\` exit 1, warnings do not. The examples' output below is
produced by running the validator on them when this file is generated.

| Rule | Severity | Checks |
| --- | --- | --- |
${index}

${sections.join('\n\n')}
`;
}
