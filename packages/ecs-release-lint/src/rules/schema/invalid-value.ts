import { describePath, fieldDescription, SCHEMA_RULES, typeName } from './issues.js';
import { schemaRule } from './schema-rule.js';

export const schemaInvalidValue = schemaRule({
  id: SCHEMA_RULES.invalidValue,
  // Every problem that is not an unknown key, a missing key or a wrong type.
  detects: (issue) => issue.code !== 'unrecognized_keys' && issue.code !== 'invalid_type',
  describe: (kind, issue) => {
    const where = describePath(issue.path);
    const description = fieldDescription(kind, issue.path);
    if (issue.code === 'invalid_value')
      return {
        message: `${where} must be ${(issue.values ?? []).map((value) => JSON.stringify(value)).join(' or ')}, not ${typeName(issue.input)}`,
      };
    if (issue.code === 'invalid_union')
      return {
        message: `${where} has no allowed form (${typeName(issue.input)})${description ? `: ${description}` : ''}`,
      };
    // The pattern itself says little to a reader; the field's description says what is allowed.
    if (issue.code === 'invalid_format' && description)
      return { message: `${where} is not allowed here, ${typeName(issue.input)}: ${description}` };
    return {
      message: `${where}: ${issue.message.replace(/^Invalid input: /, '')}${description ? ` (${description})` : ''}`,
    };
  },
  summary: 'Each value is one the format allows (enums, ranges, patterns).',
  why: 'Values outside the documented set (a shell CodeBuild does not know, a protocol ECS does not take) fail the build or the registration.',
  reference: 'https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html',
});
