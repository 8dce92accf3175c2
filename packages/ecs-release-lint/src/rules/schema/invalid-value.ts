import type { MessageData } from '../../core/rule.js';
import { describePath, fieldDescription, SCHEMA_RULES, typeName } from './issues.js';
import { schemaRule } from './schema-rule.js';

export const schemaInvalidValue = schemaRule({
  id: SCHEMA_RULES.invalidValue,
  // Every problem that is not an unknown key, a missing key or a wrong type.
  detects: (issue) => issue.code !== 'unrecognized_keys' && issue.code !== 'invalid_type',
  describe: (kind, issue): { messageId: string; data: MessageData } => {
    const where = describePath(issue.path);
    const description = fieldDescription(kind, issue.path);
    if (issue.code === 'invalid_value')
      return {
        messageId: 'notOneOf',
        data: {
          where,
          values: (issue.values ?? []).map((value) => JSON.stringify(value)).join(' or '),
          received: typeName(issue.input),
        },
      };
    if (issue.code === 'invalid_union')
      return {
        messageId: 'noForm',
        data: {
          where,
          received: typeName(issue.input),
          description: description ? `: ${description}` : '',
        },
      };
    // The pattern itself says little to a reader; the field's description says what is allowed.
    if (issue.code === 'invalid_format' && description)
      return {
        messageId: 'badFormat',
        data: { where, received: typeName(issue.input), description },
      };
    return {
      messageId: 'invalid',
      data: {
        where,
        problem: issue.message.replace(/^Invalid input: /, ''),
        description: description ? ` (${description})` : '',
      },
    };
  },
  messages: {
    notOneOf: '{{where}} must be {{values}}, not {{received}}',
    noForm: '{{where}} has no allowed form ({{received}}){{description}}',
    badFormat: '{{where}} is not allowed here, {{received}}: {{description}}',
    invalid: '{{where}}: {{problem}}{{description}}',
  },
  summary: 'Each value is one the format allows (enums, ranges, patterns).',
  why: 'Values outside the documented set (a shell CodeBuild does not know, a protocol ECS does not take) fail the build or the registration.',
  reference: 'https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html',
});
