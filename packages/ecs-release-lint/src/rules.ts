// `ecs-release-lint/rules`: the rule catalog, as `ecs-release-lint rules` and docs/rules.md show it.
export { RULES, ruleCatalog, type RuleSummary } from './rules/catalog.js';
export { DOCUMENT_RULES, RELEASE_RULES, documentRules } from './rules/index.js';
export { PARSE_RULES } from './rules/parse/parse-rule.js';
export { SCHEMA_RULES } from './rules/schema/issues.js';
export type {
  DocumentKind,
  MessageData,
  Rule,
  RuleExample,
  RuleHit,
  RuleInput,
  RuleMessages,
  RuleStage,
  SpecDocument,
} from './core/rule.js';
export { ruleHelpUri } from './core/version.js';
