import type { DocumentKind, Rule, RuleHit } from '../../core/rule.js';

const KINDS: readonly DocumentKind[] = ['taskdef', 'appspec', 'buildspec', 'imagedefinitions'];

/** A parse rule reports the syntax problems the parser attributed to it (cfn-lint's E0000). */
export function parseRule(fields: Omit<Rule, 'stage' | 'kinds' | 'check' | 'severity'>): Rule {
  return {
    ...fields,
    stage: 'parse',
    kinds: KINDS,
    severity: 'error',
    check: (input) =>
      KINDS.flatMap((kind): RuleHit[] =>
        (input[kind]?.problems ?? [])
          .filter((problem) => problem.ruleId === fields.id)
          .map((problem) => ({
            document: kind,
            position: problem.position,
            message: problem.message,
          })),
      ),
  };
}
