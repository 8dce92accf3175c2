import type { DocumentPath, Severity, SourcePosition, SourceProblem } from './findings.js';

/** The kinds of document the package validates. */
export type DocumentKind = 'appspec' | 'buildspec' | 'taskdef' | 'imagedefinitions';

/** One parsed document as the rules see it. */
export interface SpecDocument {
  readonly file: string;
  /** The value after normalization (known keys in their documented case, output-only fields dropped). */
  readonly value: unknown;
  /** The value exactly as parsed. */
  readonly raw: unknown;
  /** Syntax problems the parser found; when there are any, `value` is undefined. */
  readonly problems: readonly SourceProblem[];
  /** Where a path of `value` is in the file. */
  readonly locate: (path: DocumentPath, target?: 'key' | 'value') => SourcePosition;
}

/**
 * What a rule reads: the documents of one release. A document rule gets one
 * document of a kind it checks; a release rule gets every document of the
 * release that parsed, and the Dockerfile when one was given.
 */
export interface RuleInput {
  readonly appspec?: SpecDocument;
  readonly buildspec?: SpecDocument;
  readonly taskdef?: SpecDocument;
  readonly imagedefinitions?: SpecDocument;
  readonly dockerfile?: { readonly file: string; readonly text: string };
  /**
   * For schema rules: the paths at which the document rules reported an error. A schema rule
   * detects no problem there (the specific message already said it).
   */
  readonly explained?: readonly DocumentPath[];
}

/**
 * The messages a rule can report, by message id: text with `{{name}}` slots that a hit's
 * `data` fills (as ESLint rules declare `meta.messages`). docs/rules.md lists them.
 */
export type RuleMessages = Readonly<Record<string, string>>;

/** The values a hit gives its message's `{{name}}` slots. */
export type MessageData = Readonly<Record<string, string | number>>;

/** What a rule reports: which document, where (a path or a position) and which of its messages. */
export interface RuleHit extends RuleHitPlace {
  /** The id of one of the rule's `messages`. */
  readonly messageId: string;
  readonly data?: MessageData;
}

/** Where a hit is and how severe, whatever its message. */
export interface RuleHitPlace {
  /** The document the hit is in; a document rule may leave it out. */
  readonly document?: DocumentKind;
  readonly path?: DocumentPath;
  /** A position, for problems that have no path (syntax errors). */
  readonly position?: SourcePosition;
  /** Point at the key of the path's last segment instead of its value. */
  readonly at?: 'key' | 'value';
  /** Overrides the rule's severity for this hit. */
  readonly severity?: Severity;
}

/**
 * When a rule runs. `parse` rules report what the parser found; `document`
 * rules run on the parsed value first, so a hand-written file gets the
 * specific message; `schema` rules report what the zod model rejects and
 * no document rule explained already; `release` rules compare documents.
 */
export type RuleStage = 'parse' | 'document' | 'schema' | 'release';

/**
 * One rule of the catalog: the checking code and the reference a user reads
 * (`docs/rules.md` is generated from these fields).
 */
export interface Rule {
  /** Stable id, e.g. TASKDEF_FARGATE_CPU_MEMORY. */
  readonly id: string;
  readonly stage: RuleStage;
  /** The kinds of document it reads (a release rule reads several). */
  readonly kinds: readonly DocumentKind[];
  /** The severity of its hits unless a hit says otherwise. */
  readonly severity: Severity;
  /** One line: what must hold. */
  readonly summary: string;
  /** Why it matters: what AWS does with a file that breaks it. */
  readonly why: string;
  /** The AWS documentation the rule follows. */
  readonly reference: string;
  /** The messages its hits report by id. */
  readonly messages: RuleMessages;
  /**
   * The precondition of `check` on one document: the rule runs on a document only when it
   * holds (e.g. an AppSpec for ECS, not Lambda's), so it detects what it can judge rather
   * than having its findings dropped afterwards because another rule said more.
   * @default the rule runs on every document of its kinds that parsed
   */
  readonly requires?: (document: SpecDocument, kind: DocumentKind) => boolean;
  /** Pure: reads the documents, returns hits. */
  check(input: RuleInput): readonly RuleHit[];
  /**
   * A document rule's check when its document is part of a release (run with
   * the release rules): what the document alone could not tell, never what
   * `check` reported already.
   */
  releaseCheck?(input: RuleInput): readonly RuleHit[];
}

/**
 * Files of a rule's documented example, by file name (the name tells the kind): the
 * `bad-example` and `good-example` cases of its fixtures (test/rules/<RULE_ID>/).
 */
export type RuleExample = Readonly<Record<string, string>>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function records(value: unknown): [number, Record<string, unknown>][] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item, index): [number, Record<string, unknown>][] =>
    isRecord(item) ? [[index, item]] : [],
  );
}

/** Every string in a document with its path. */
export function* strings(
  value: unknown,
  path: DocumentPath = [],
): Generator<[DocumentPath, string]> {
  if (typeof value === 'string') {
    yield [path, value];
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* strings(item, [...path, index]);
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) yield* strings(item, [...path, key]);
  }
}

/** The value of the one document a document rule was given. */
export function documentValue(input: RuleInput, kind: DocumentKind): unknown {
  return input[kind]?.value;
}

/** The catalog fields of a rule over one kind of document. */
export type DocumentRuleFields = Omit<Rule, 'stage' | 'kinds' | 'check'> & {
  readonly kind: DocumentKind;
};

/** A `document` rule over one kind: `check` gets that document's (normalized) value. */
export function documentRule(
  { kind, ...fields }: DocumentRuleFields,
  check: (document: unknown) => readonly RuleHit[],
): Rule {
  return {
    ...fields,
    stage: 'document',
    kinds: [kind],
    check: (input) => {
      const document = input[kind];
      return document === undefined || document.value === undefined ? [] : check(document.value);
    },
  };
}

/** A hit's message: the rule's message of its id with the slots filled. */
export function hitMessage(rule: Rule, hit: RuleHit): string {
  const template = Object.hasOwn(rule.messages, hit.messageId)
    ? rule.messages[hit.messageId]
    : undefined;
  if (template === undefined)
    throw new Error(
      `rule ${rule.id} reported message id "${hit.messageId}", which is not in its messages (${Object.keys(rule.messages).join(', ') || 'none'})`,
    );
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_slot: string, name: string) => {
    const value = hit.data?.[name];
    if (value === undefined)
      throw new Error(`rule ${rule.id}, message "${hit.messageId}": no data for {{${name}}}`);
    return String(value);
  });
}
