import type { DocumentKind, Rule, RuleHit } from '../../core/rule.js';
import { ecsAppSpecOnly } from '../appspec/resource-type.js';
import { schemaVerdict, type SchemaIssue, type SchemaRuleId } from './issues.js';

const KINDS: readonly DocumentKind[] = ['taskdef', 'appspec', 'buildspec', 'imagedefinitions'];

/** What a schema rule declares besides its catalog fields: the issues it detects and what it says. */
export interface SchemaRuleFields extends Omit<
  Rule,
  'stage' | 'kinds' | 'check' | 'severity' | 'id'
> {
  readonly id: SchemaRuleId;
  /** Whether a problem of the model is this rule's kind of problem. */
  readonly detects: (issue: SchemaIssue) => boolean;
  /** The message for one such problem, and whether it points at the key. */
  readonly describe: (
    kind: DocumentKind,
    issue: SchemaIssue,
  ) => { readonly message: string; readonly at?: 'key' };
}

/**
 * A schema rule reports, under one generic id, the problems of the zod model of a document
 * that it detects (the model parses each document once, however many rules ask).
 */
export function schemaRule({ detects, describe, ...fields }: SchemaRuleFields): Rule {
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
          .issues.filter(detects)
          .map((issue) => {
            const { message, at = 'value' } = describe(kind, issue);
            return { path: issue.path, message, at, document: kind };
          });
      }),
  };
}
