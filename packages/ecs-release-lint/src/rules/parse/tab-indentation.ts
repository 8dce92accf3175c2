import { PARSE_RULES, parseRule } from './parse-rule.js';

export const parseTabIndentation = parseRule({
  id: PARSE_RULES.tab,
  detects: (problem) => problem.kind === 'tabIndentation',
  describe: () => ({ messageId: 'tab' }),
  messages: {
    tab: 'tabs are not allowed for indentation in YAML; indent with spaces{{jsonExtensionNote}}',
  },
  summary: 'YAML is indented with spaces, never tabs.',
  why: 'YAML forbids tabs for indentation; CodeBuild and CodeDeploy fail to read the file before running anything.',
  reference: 'https://yaml.org/spec/1.2.2/#61-indentation-spaces',
});
