import type { DocumentKind, Rule, RuleHit } from '../../core/rule.js';
import { ecsAppSpecOnly } from '../appspec/resource-type.js';
import { schemaVerdict, type SchemaRuleId } from './issues.js';

const KINDS: readonly DocumentKind[] = ['taskdef', 'appspec', 'buildspec', 'imagedefinitions'];

/** A schema rule reports what the zod model of the document rejects, under one generic id. */
export function schemaRule(
  fields: Omit<Rule, 'stage' | 'kinds' | 'check' | 'severity' | 'id'> & { id: SchemaRuleId },
): Rule {
  return {
    ...fields,
    stage: 'schema',
    kinds: KINDS,
    severity: 'error',
    requires: ecsAppSpecOnly,
    check: (input) =>
      KINDS.flatMap((kind): RuleHit[] => {
        const document = input[kind];
        if (document?.value === undefined) return [];
        return schemaVerdict(kind, document)
          .hits.filter((hit) => hit.ruleId === fields.id)
          .map(({ ruleId: _ruleId, problemPath: _problemPath, code: _code, ...hit }) => ({
            ...hit,
            document: kind,
          }));
      }),
  };
}
