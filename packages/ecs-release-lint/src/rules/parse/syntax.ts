import { PARSE_RULES } from '../../parse/source.js';
import { parseRule } from './parse-rule.js';

export const parseSyntax = parseRule({
  id: PARSE_RULES.syntax,
  summary: 'The file is well-formed YAML or JSON, and holds one document.',
  why: 'CodeBuild, CodeDeploy and ECS refuse a file they cannot parse, and say less precisely where. JSON has no comments and no trailing commas; a YAML file with a second "---" document is not one AppSpec or buildspec.',
  reference: 'https://www.rfc-editor.org/rfc/rfc8259',
});
