import type { SourceProblemKind } from '../../core/findings.js';
import { JSON_FILE_READ_AS_YAML, PARSE_RULES, parseRule } from './parse-rule.js';

const SECOND_DOCUMENT =
  'a second YAML document starts here ("---"); the file must hold exactly one document';

const SYNTAX_KINDS: ReadonlySet<SourceProblemKind> = new Set([
  'syntaxError',
  'empty',
  'multipleDocuments',
  'byteOrderMark',
]);

export const parseSyntax = parseRule({
  id: PARSE_RULES.syntax,
  detects: (problem) => SYNTAX_KINDS.has(problem.kind),
  describe: (problem, inJsonFile) => {
    if (problem.kind === 'syntaxError')
      return {
        messageId:
          problem.syntax === 'json'
            ? 'jsonError'
            : inJsonFile
              ? 'yamlErrorInJsonFile'
              : 'yamlError',
        data: { detail: problem.detail },
      };
    // empty, multipleDocuments (YAML's) or byteOrderMark (JSON's, so never inJsonFile).
    return { messageId: inJsonFile ? `${problem.kind}InJsonFile` : problem.kind };
  },
  messages: {
    jsonError: 'not valid JSON: {{detail}}',
    yamlError: '{{detail}}',
    yamlErrorInJsonFile: `{{detail}} ${JSON_FILE_READ_AS_YAML}`,
    empty: 'the file is empty',
    emptyInJsonFile: `the file is empty ${JSON_FILE_READ_AS_YAML}`,
    multipleDocuments: SECOND_DOCUMENT,
    multipleDocumentsInJsonFile: `${SECOND_DOCUMENT} ${JSON_FILE_READ_AS_YAML}`,
    byteOrderMark:
      'the file starts with a byte order mark (BOM), which JSON forbids (RFC 8259) and JSON readers may reject; save it as UTF-8 without BOM',
  },
  summary: 'The file is well-formed YAML or JSON, and holds one document.',
  why: 'CodeBuild, CodeDeploy and ECS refuse a file they cannot parse, and say less precisely where. JSON has no comments and no trailing commas; a YAML file with a second "---" document is not one AppSpec or buildspec.',
  reference: 'https://www.rfc-editor.org/rfc/rfc8259',
});
