import { parseTree, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { DocumentPath } from '../core/findings.js';

/** JSON parsed once by jsonc-parser: the value, the tree for positions, the problems with offsets. */
export interface JsonParse {
  readonly value: unknown;
  /** What the tree holds even when the text has errors (to tell the kind of a broken file). */
  readonly tolerantValue: unknown;
  readonly tree: JsonNode | undefined;
  readonly problems: readonly JsonProblem[];
}

/** A problem of JSON text at an offset: a syntax error (with what the reader expected) or a key given twice. */
export type JsonProblem = { readonly offset: number } & (
  { readonly kind: 'syntaxError'; readonly detail: string } | { readonly kind: 'duplicateKey' }
);

// jsonc-parser's ParseErrorCode values (a const enum, which verbatimModuleSyntax cannot import).
const ParseErrorCode = {
  InvalidSymbol: 1,
  InvalidNumberFormat: 2,
  PropertyNameExpected: 3,
  ValueExpected: 4,
  ColonExpected: 5,
  CommaExpected: 6,
  CloseBraceExpected: 7,
  CloseBracketExpected: 8,
  EndOfFileExpected: 9,
  InvalidCommentToken: 10,
  UnexpectedEndOfComment: 11,
  UnexpectedEndOfString: 12,
  UnexpectedEndOfNumber: 13,
  InvalidUnicode: 14,
  InvalidEscapeCharacter: 15,
  InvalidCharacter: 16,
} as const;

const MESSAGES: Partial<Record<number, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'unexpected character',
  [ParseErrorCode.InvalidNumberFormat]: 'not a JSON number',
  [ParseErrorCode.PropertyNameExpected]: 'a property name in double quotes is expected here',
  [ParseErrorCode.ValueExpected]: 'a value is expected here',
  [ParseErrorCode.ColonExpected]: 'a colon is expected after the property name',
  [ParseErrorCode.CommaExpected]: 'a comma is expected between the items',
  [ParseErrorCode.CloseBraceExpected]: 'a closing brace "}" is expected',
  [ParseErrorCode.CloseBracketExpected]: 'a closing bracket "]" is expected',
  [ParseErrorCode.EndOfFileExpected]: 'the document has ended; nothing may follow it',
  [ParseErrorCode.InvalidCommentToken]:
    'JSON has no comments; remove this one (or move the note into a field)',
  [ParseErrorCode.UnexpectedEndOfComment]: 'a comment is not closed (and JSON has no comments)',
  [ParseErrorCode.UnexpectedEndOfString]: 'a string is not closed with a double quote',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'a number ends too early',
  [ParseErrorCode.InvalidUnicode]: 'not a valid \\u escape',
  [ParseErrorCode.InvalidEscapeCharacter]: 'not a valid escape character',
  [ParseErrorCode.InvalidCharacter]: 'a control character must be escaped in a string',
};

/**
 * Parses strict JSON (no comments, no trailing commas). Only the first syntax
 * error is reported: later ones are usually its consequences.
 */
export function parseJson(text: string): JsonParse {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  const duplicates: JsonProblem[] = [];
  const tolerantValue = tree ? toValue(tree, duplicates) : undefined;
  if (first)
    return { value: undefined, tolerantValue, tree, problems: [syntaxProblem(text, first)] };
  if (!tree)
    return {
      value: undefined,
      tolerantValue,
      tree,
      // jsonc-parser reports an error for any text without a value; this is only a safeguard.
      problems: [{ kind: 'syntaxError', offset: 0, detail: 'the file is empty' }],
    };
  return {
    value: duplicates.length > 0 ? undefined : tolerantValue,
    tolerantValue,
    tree,
    problems: duplicates,
  };
}

function syntaxProblem(text: string, error: ParseError): JsonProblem {
  const before = text.slice(0, error.offset).trimEnd();
  const next = text[error.offset];
  if (before.endsWith(',') && (next === '}' || next === ']')) {
    // Reported where JSON readers stop (the closing bracket), naming the comma before it.
    const line = before.split('\n').length;
    return {
      kind: 'syntaxError',
      offset: error.offset,
      detail: `trailing comma: JSON allows no comma after the last item; remove the one on line ${line}`,
    };
  }
  if ((error.error as number) === ParseErrorCode.InvalidSymbol) {
    const token = text.slice(error.offset, error.offset + error.length);
    return {
      kind: 'syntaxError',
      offset: error.offset,
      detail: `unexpected ${JSON.stringify(token)}`,
    };
  }
  return {
    kind: 'syntaxError',
    offset: error.offset,
    detail: MESSAGES[error.error] ?? 'not valid JSON here',
  };
}

/** The plain value of a node; equal keys keep the last value (like JSON.parse) and are reported. */
function toValue(node: JsonNode, duplicates: JsonProblem[]): unknown {
  if (node.type === 'object') {
    const value: Record<string, unknown> = {};
    const seen = new Set<string>();
    for (const property of node.children ?? []) {
      const [key, child] = property.children ?? [];
      if (!key || typeof key.value !== 'string') continue;
      if (seen.has(key.value)) {
        duplicates.push({ kind: 'duplicateKey', offset: key.offset });
      }
      seen.add(key.value);
      Object.defineProperty(value, key.value, {
        value: child ? toValue(child, duplicates) : undefined,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return value;
  }
  if (node.type === 'array')
    return (node.children ?? []).map((child) => toValue(child, duplicates));
  return node.value as unknown;
}

/** The node of a path (or its deepest existing ancestor), and the key node when the last segment is a key. */
export function jsonNodeAt(
  tree: JsonNode | undefined,
  path: DocumentPath,
  target: 'key' | 'value',
): JsonNode | undefined {
  let node = tree;
  for (const [index, segment] of path.entries()) {
    if (node?.type === 'object') {
      const property = findProperty(node, String(segment));
      if (!property) break;
      const [key, value] = property.children ?? [];
      if (index === path.length - 1 && target === 'key') return key;
      node = value ?? key;
    } else if (node?.type === 'array' && typeof segment === 'number') {
      const item = node.children?.[segment];
      if (!item) break;
      node = item;
    } else {
      break;
    }
  }
  return node;
}

function findProperty(node: JsonNode, name: string): JsonNode | undefined {
  const properties = node.children ?? [];
  const keyOf = (property: JsonNode) => property.children?.[0]?.value as unknown;
  // The last of equal keys is the one in the value; a differently cased key is the normalized one.
  return (
    properties.findLast((property) => keyOf(property) === name) ??
    properties.find(
      (property) =>
        typeof keyOf(property) === 'string' &&
        (keyOf(property) as string).toLowerCase() === name.toLowerCase(),
    )
  );
}
