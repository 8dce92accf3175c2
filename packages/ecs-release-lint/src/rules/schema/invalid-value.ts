import { SCHEMA_RULES } from './issues.js';
import { schemaRule } from './schema-rule.js';

export const schemaInvalidValue = schemaRule({
  id: SCHEMA_RULES.invalidValue,
  summary: 'Each value is one the format allows (enums, ranges, patterns).',
  why: 'Values outside the documented set (a shell CodeBuild does not know, a protocol ECS does not take) fail the build or the registration.',
  reference: 'https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html',
});
