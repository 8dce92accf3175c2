import type { Finding } from '../core/findings.js';
import type { ParsedSource } from '../parse/source.js';
import { hitToFinding, specDocument } from './validate.js';
import { DOCUMENT_RULES, RELEASE_RULES } from '../rules/index.js';
import type { DocumentKind, RuleInput, SpecDocument } from '../core/rule.js';

/** The files of one release that cross-document rules compare. */
export interface ReleaseDocuments {
  readonly taskdef?: ParsedSource;
  readonly appspec?: ParsedSource;
  readonly buildspec?: ParsedSource;
  readonly imagedefinitions?: ParsedSource;
  readonly dockerfile?: { readonly file: string; readonly text: string };
}

/**
 * Runs every cross-document rule (and document rules' release checks) over a release. A document that failed to
 * parse is left out: its own PARSE_* finding says what is wrong, and
 * comparing with nothing would only add noise.
 */
export function checkRelease(documents: ReleaseDocuments): Finding[] {
  const parsed = (kind: DocumentKind): SpecDocument | undefined => {
    const source = documents[kind];
    return source && source.value !== undefined ? specDocument(kind, source) : undefined;
  };
  const input: RuleInput = {
    taskdef: parsed('taskdef'),
    appspec: parsed('appspec'),
    buildspec: parsed('buildspec'),
    imagedefinitions: parsed('imagedefinitions'),
    dockerfile: documents.dockerfile,
  };
  const checks = [
    ...RELEASE_RULES.map((rule) => ({ rule, hits: rule.check(input) })),
    ...DOCUMENT_RULES.flatMap((rule) =>
      rule.releaseCheck ? [{ rule, hits: rule.releaseCheck(input) }] : [],
    ),
  ];
  return checks.flatMap(({ rule, hits }) =>
    hits.flatMap((hit) => {
      const document = hit.document ? input[hit.document] : undefined;
      return document ? [hitToFinding(document, rule, hit)] : [];
    }),
  );
}
