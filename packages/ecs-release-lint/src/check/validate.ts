import { toResult, type Finding, type ValidationResult } from '../core/findings.js';
import { DOCUMENT_SCHEMAS, type DocumentTypes } from '../models/documents.js';
import { normalize } from '../normalize/index.js';
import { parseSource, type ParsedSource, type SourceSyntax } from '../parse/source.js';
import { documentRules } from '../rules/index.js';
import {
  hitMessage,
  type DocumentKind,
  type Rule,
  type RuleHit,
  type RuleInput,
  type SpecDocument,
} from '../core/rule.js';
import { schemaVerdict, SCHEMA_RULES } from '../rules/schema/issues.js';

export { DOCUMENT_SCHEMAS, SCHEMA_RULES, type DocumentTypes };

/** A validated document together with its source, for cross-document rules. */
export interface CheckedDocument<K extends DocumentKind = DocumentKind> {
  readonly kind: K;
  readonly source: ParsedSource;
  readonly result: ValidationResult<DocumentTypes[K]>;
}

/** The syntax a file is read in: its extension's (but see AppSpecs below), else the kind's or the content's. */
export function defaultSyntax(
  kind: DocumentKind | undefined,
  file: string,
  text = '',
): SourceSyntax {
  // CodeDeploy reads an AppSpec in YAML or JSON whatever its name: a .json one that does not
  // open like JSON is YAML, and its errors are YAML's (parseSource notes the extension).
  if (/\.json$/i.test(file))
    return kind === 'appspec' && !/^\uFEFF?\s*[{[/]/.test(text) ? 'yaml' : 'json';
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  if (kind === 'taskdef') return 'json';
  if (kind === undefined && text.trimStart().startsWith('{')) return 'json';
  return 'yaml';
}

/** parse → normalize: the document the rules read. */
export function specDocument(kind: DocumentKind, source: ParsedSource): SpecDocument {
  return {
    file: source.file,
    raw: source.value,
    value: normalize(kind, source.value),
    problems: source.problems,
    locate: source.locate,
  };
}

export function hitToFinding(document: SpecDocument, rule: Rule, hit: RuleHit): Finding {
  const { line, column } = hit.position ?? document.locate(hit.path ?? [], hit.at);
  return {
    file: document.file,
    line,
    column,
    severity: hit.severity ?? rule.severity,
    ruleId: rule.id,
    message: hitMessage(rule, hit),
    ...(hit.path ? { path: hit.path } : {}),
  };
}

/**
 * parse → normalize → rules → schema. Specific rules run first on the
 * parsed value (so a hand-written file gets an actionable message); the schema
 * rules are told where they reported errors and detect no problem there.
 */
export function checkSource<K extends DocumentKind>(
  kind: K,
  source: ParsedSource,
): CheckedDocument<K> {
  const document = specDocument(kind, source);
  const input: RuleInput = { [kind]: document };
  const runWith = (given: RuleInput) => (rule: Rule) =>
    rule.requires === undefined || rule.requires(document, kind)
      ? rule.check(given).map((hit) => hitToFinding(document, rule, hit))
      : [];
  const run = runWith(input);
  const rules = documentRules(kind);
  const syntax = rules.filter((rule) => rule.stage === 'parse').flatMap(run);
  if (document.value === undefined) {
    return { kind, source, result: toResult<DocumentTypes[K]>(undefined, syntax) };
  }
  const specific = rules.filter((rule) => rule.stage === 'document').flatMap(run);
  const explained = specific
    .filter((finding) => finding.severity === 'error' && finding.path && finding.path.length > 0)
    .map((finding) => finding.path!);
  const schema = rules
    .filter((rule) => rule.stage === 'schema')
    .flatMap(runWith({ ...input, explained }));
  const { data } = schemaVerdict(kind, document);
  return {
    kind,
    source,
    result: toResult(data as DocumentTypes[K] | undefined, [...syntax, ...specific, ...schema]),
  };
}

/** Parses and checks one document's text. */
export function checkDocument<K extends DocumentKind>(
  kind: K,
  file: string,
  text: string,
  syntax: SourceSyntax = defaultSyntax(kind, file, text),
): CheckedDocument<K> {
  return checkSource(kind, parseSource(file, text, syntax));
}

/** Validates one document's text. */
export function validateDocument<K extends DocumentKind>(
  kind: K,
  file: string,
  text: string,
  syntax?: SourceSyntax,
): ValidationResult<DocumentTypes[K]> {
  return checkDocument(kind, file, text, syntax).result;
}
