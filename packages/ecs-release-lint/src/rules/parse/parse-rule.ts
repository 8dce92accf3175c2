import type { SourceProblem } from '../../core/findings.js';
import type { DocumentKind, MessageData, Rule, RuleHit } from '../../core/rule.js';

const KINDS: readonly DocumentKind[] = ['taskdef', 'appspec', 'buildspec', 'imagedefinitions'];

/** Parse rule ids, shared by YAML and JSON. */
export const PARSE_RULES = {
  syntax: 'PARSE_SYNTAX',
  tab: 'PARSE_TAB_INDENTATION',
  duplicateKey: 'PARSE_DUPLICATE_KEY',
} as const;

export type ParseRuleId = (typeof PARSE_RULES)[keyof typeof PARSE_RULES];

/**
 * What the message of a YAML problem in a `.json` file adds: such a file is an AppSpec that does
 * not open like JSON, read as YAML (defaultSyntax), and the reader should know why a .json file
 * gets YAML's errors. Each message a parse rule can report for YAML has such a variant.
 */
export const JSON_FILE_READ_AS_YAML =
  '(this .json file does not open like JSON, so it is read as YAML, as CodeDeploy reads an AppSpec in either)';

/** What a parse rule declares besides its catalog fields: the problems it detects and what it says. */
export interface ParseRuleFields extends Omit<
  Rule,
  'stage' | 'kinds' | 'check' | 'severity' | 'id'
> {
  readonly id: ParseRuleId;
  /** Whether a problem the parser found is this rule's kind of problem. */
  readonly detects: (problem: SourceProblem) => boolean;
  /**
   * The message (an id of `messages`) for one such problem; `inJsonFile` when YAML found it in
   * a `.json` file, whose message says so (JSON_FILE_READ_AS_YAML).
   */
  readonly describe: (
    problem: SourceProblem,
    inJsonFile: boolean,
  ) => {
    readonly messageId: string;
    readonly data?: MessageData;
  };
}

/** A parse rule reports the syntax problems of the kinds it detects (cfn-lint's E0000). */
export function parseRule({ detects, describe, ...fields }: ParseRuleFields): Rule {
  return {
    ...fields,
    stage: 'parse',
    kinds: KINDS,
    severity: 'error',
    check: (input) =>
      KINDS.flatMap((kind): RuleHit[] => {
        const document = input[kind];
        if (document === undefined) return [];
        const inJsonFile = /\.json$/i.test(document.file);
        return document.problems.filter(detects).map((problem) => ({
          document: kind,
          position: problem.position,
          ...describe(problem, inJsonFile && problem.syntax === 'yaml'),
        }));
      }),
  };
}
