import { JSON_FILE_READ_AS_YAML, PARSE_RULES, parseRule } from './parse-rule.js';

const TAB = 'tabs are not allowed for indentation in YAML; indent with spaces';

export const parseTabIndentation = parseRule({
  id: PARSE_RULES.tab,
  detects: (problem) => problem.kind === 'tabIndentation',
  describe: (_, inJsonFile) => ({ messageId: inJsonFile ? 'tabInJsonFile' : 'tab' }),
  messages: {
    tab: TAB,
    tabInJsonFile: `${TAB} ${JSON_FILE_READ_AS_YAML}`,
  },
  summary: 'YAML is indented with spaces, never tabs.',
  why: 'YAML forbids tabs for indentation; CodeBuild and CodeDeploy fail to read the file before running anything.',
  reference: 'https://yaml.org/spec/1.2.2/#61-indentation-spaces',
});
