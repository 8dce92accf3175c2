import type { DocumentPath } from '../../core/findings.js';
import type { DocumentKind, MessageData, Rule, RuleHit } from '../../core/rule.js';
import { ecsAppSpecOnly } from '../appspec/resource-type.js';
import { schemaVerdict, type SchemaIssue, type SchemaRuleId } from './issues.js';

const KINDS: readonly DocumentKind[] = ['taskdef', 'appspec', 'buildspec', 'imagedefinitions'];

const prefixOf = (prefix: DocumentPath, path: DocumentPath) =>
  prefix.length <= path.length &&
  prefix.every((segment, index) => String(path[index]) === String(segment));

/**
 * Whether a document rule's error at `path` already says what a schema problem at `problem`
 * says: the same node, one of its own keys (a missing or mistyped part of what the rule judged
 * as a whole), or a node above it. A problem deeper inside is another problem: an environment
 * value under a container that lacks memory is still reported.
 */
const explains = (path: DocumentPath, problem: DocumentPath) =>
  (problem.length <= path.length + 1 && prefixOf(path, problem)) || prefixOf(problem, path);

/** What a schema rule declares besides its catalog fields: the issues it detects and what it says. */
export interface SchemaRuleFields extends Omit<
  Rule,
  'stage' | 'kinds' | 'check' | 'severity' | 'id'
> {
  readonly id: SchemaRuleId;
  /** Whether a problem of the model is this rule's kind of problem. */
  readonly detects: (issue: SchemaIssue) => boolean;
  /** The message (an id of `messages`) for one such problem, and whether it points at the key. */
  readonly describe: (
    kind: DocumentKind,
    issue: SchemaIssue,
  ) => { readonly messageId: string; readonly data?: MessageData; readonly at?: 'key' };
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
        const explained = input.explained ?? [];
        return schemaVerdict(kind, document)
          .issues.filter(detects)
          .filter((issue) => !explained.some((path) => explains(path, issue.path)))
          .map((issue) => {
            const { messageId, data, at = 'value' } = describe(kind, issue);
            return { path: issue.path, messageId, ...(data && { data }), at, document: kind };
          });
      }),
  };
}
