import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type ErrorCode,
  type Node,
  type YAMLError,
} from 'yaml';
import type { DocumentPath, SourcePosition, SourceProblem } from '../core/findings.js';
import { jsonNodeAt, parseJson } from './json.js';

export type { SourcePosition, SourceProblem };

/** The syntax of a file: YAML (buildspec, appspec) or JSON (taskdef, appspec.json). */
export type SourceSyntax = 'yaml' | 'json';

/** A parsed file: its plain value and a way back from a path to a line and column. */
export interface ParsedSource {
  readonly file: string;
  /** The plain value, undefined when the file has syntax errors. */
  readonly value: unknown;
  /**
   * What the parser read in spite of errors (jsonc-parser's tree, the YAML
   * document with errors), or undefined. Only for telling the kind of a
   * broken file, never checked: its parts may be wrong.
   */
  readonly tolerantValue: unknown;
  /** Syntax problems (tabs, duplicate keys, malformed YAML or JSON), by kind; the parse rules report them. */
  readonly problems: readonly SourceProblem[];
  /**
   * Where a path is: the key of its last segment (`key`) or its value
   * (`value`, the default). Missing paths fall back to the deepest ancestor;
   * a key is matched exactly first, then ignoring case.
   */
  readonly locate: (path: DocumentPath, target?: 'key' | 'value') => SourcePosition;
}

const BYTE_ORDER_MARK = '\uFEFF';

/** Offsets to 1-based lines and columns. */
function positions(text: string): (offset: number) => SourcePosition {
  const starts = [0];
  for (let index = 0; index < text.length; index++)
    if (text[index] === '\n') starts.push(index + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  };
}

/**
 * Parses YAML or JSON text keeping positions. Never throws. A leading byte
 * order mark is dropped (positions stay what an editor shows); in JSON it is
 * an error, reported together with everything else in the file.
 */
export function parseSource(file: string, rawText: string, syntax: SourceSyntax): ParsedSource {
  const hasBom = rawText.startsWith(BYTE_ORDER_MARK);
  const text = hasBom ? rawText.slice(1) : rawText;
  const parsed = syntax === 'json' ? parseJsonSource(text) : parseYamlSource(text);
  const problems: readonly SourceProblem[] =
    hasBom && syntax === 'json'
      ? [{ kind: 'byteOrderMark', syntax, position: { line: 1, column: 1 } }, ...parsed.problems]
      : parsed.problems;
  return {
    file,
    // The BOM is reported, but the rest of the file can still be read and checked.
    value: parsed.problems.length > 0 ? undefined : parsed.value,
    tolerantValue: parsed.tolerantValue,
    problems,
    locate: parsed.locate,
  };
}

interface SyntaxParse {
  readonly value: unknown;
  readonly tolerantValue: unknown;
  readonly problems: readonly SourceProblem[];
  readonly locate: (path: DocumentPath, target?: 'key' | 'value') => SourcePosition;
}

function parseJsonSource(text: string): SyntaxParse {
  const position = positions(text);
  const { value, tolerantValue, tree, problems } = parseJson(text);
  return {
    value,
    tolerantValue,
    problems: problems.map(({ offset, ...problem }): SourceProblem => ({
      ...problem,
      syntax: 'json',
      position: position(offset),
    })),
    locate: (path, target = 'value') => {
      const node = jsonNodeAt(tree, path, target);
      return node ? position(node.offset) : { line: 1, column: 1 };
    },
  };
}

function parseYamlSource(text: string): SyntaxParse {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
  });
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems: SourceProblem[] = [];
  // One problem per line: a tab or a bad indent makes the parser report follow-on errors there.
  for (const error of document.errors) {
    const at = position(error.pos[0]);
    if (!problems.some((seen) => seen.position.line === at.line))
      problems.push(yamlProblem(error, at));
  }
  if (text.trim() === '')
    problems.push({ kind: 'empty', syntax: 'yaml', position: { line: 1, column: 1 } });
  const value =
    problems.length === 0 ? (document.toJS({ maxAliasCount: 100 }) as unknown) : undefined;
  return {
    value,
    tolerantValue: problems.length === 0 ? value : tolerantJs(document),
    problems,
    locate: (path, target = 'value') => locateIn(document, path, target, position),
  };
}

/** The document's value; a document with errors still has one, which toJS may refuse to build. */
function tolerantJs(document: Document): unknown {
  try {
    return document.toJS({ maxAliasCount: 100 }) as unknown;
  } catch {
    return undefined;
  }
}

/** The YAML reader's errors that are a kind of their own; any other is a syntax error in its words. */
const YAML_PROBLEM_KINDS: Partial<
  Record<ErrorCode, 'tabIndentation' | 'duplicateKey' | 'multipleDocuments'>
> = {
  TAB_AS_INDENT: 'tabIndentation',
  DUPLICATE_KEY: 'duplicateKey',
  MULTIPLE_DOCS: 'multipleDocuments',
};

function yamlProblem(error: YAMLError, position: SourcePosition): SourceProblem {
  const kind = YAML_PROBLEM_KINDS[error.code];
  return kind === undefined
    ? { kind: 'syntaxError', syntax: 'yaml', position, detail: firstLine(error.message) }
    : { kind, syntax: 'yaml', position };
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}

function locateIn(
  document: Document,
  path: DocumentPath,
  target: 'key' | 'value',
  position: (offset: number) => SourcePosition,
): SourcePosition {
  let node: unknown = document.contents;
  let best: Node | null | undefined = document.contents;
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const keyOf = (item: unknown) =>
        isPair(item) && isScalar(item.key) ? String(item.key.value) : undefined;
      const pair =
        node.items.find((item) => keyOf(item) === String(segment)) ??
        node.items.find((item) => keyOf(item)?.toLowerCase() === String(segment).toLowerCase());
      if (!pair) break;
      const key = pair.key as Node;
      if (last && target === 'key') {
        best = key;
        break;
      }
      node = pair.value;
      best = (pair.value as Node | null) ?? key;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      node = item;
      best = item as Node;
    } else {
      break;
    }
  }
  const range = best?.range;
  return range ? position(range[0]) : { line: 1, column: 1 };
}
