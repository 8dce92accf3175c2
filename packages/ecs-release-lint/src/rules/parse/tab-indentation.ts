import { PARSE_RULES } from '../../parse/source.js';
import { parseRule } from './parse-rule.js';

export const parseTabIndentation = parseRule({
  id: PARSE_RULES.tab,
  summary: 'YAML is indented with spaces, never tabs.',
  why: 'YAML forbids tabs for indentation; CodeBuild and CodeDeploy fail to read the file before running anything.',
  reference: 'https://yaml.org/spec/1.2.2/#61-indentation-spaces',
});
