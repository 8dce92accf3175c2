import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
} from 'yaml';
import type { DocumentPath, Finding } from '../findings.js';

/** The syntax of a file: YAML (buildspec, appspec) or JSON (taskdef, appspec.json). */
export type SourceSyntax = 'yaml' | 'json';

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A parsed file: its plain value and a way back from a path to a line and column. */
export interface ParsedSource {
  readonly file: string;
  /** The plain value, undefined when the file has syntax errors. */
  readonly value: unknown;
  /** Syntax errors (tabs, duplicate keys, malformed YAML or JSON). */
  readonly findings: readonly Finding[];
  /**
   * Where a path is: the key of its last segment (`key`) or its value
   * (`value`, the default). Missing paths fall back to the deepest ancestor.
   */
  locate(path: DocumentPath, target?: 'key' | 'value'): SourcePosition;
}

/** Parse rule ids, shared by YAML and JSON. */
export const PARSE_RULES = {
  syntax: 'PARSE_SYNTAX',
  tab: 'PARSE_TAB_INDENTATION',
  duplicateKey: 'PARSE_DUPLICATE_KEY',
} as const;

const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Parses YAML or JSON text keeping positions. Never throws. A leading byte
 * order mark is dropped (positions stay what an editor shows); in JSON it is
 * an error, reported together with everything else in the file.
 */
export function parseSource(file: string, rawText: string, syntax: SourceSyntax): ParsedSource {
  const hasBom = rawText.startsWith(BYTE_ORDER_MARK);
  const text = hasBom ? rawText.slice(1) : rawText;
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
  const findings: Finding[] = [];
  let value: unknown;

  const yamlFinding = (error: {
    code: string;
    message: string;
    pos: [number, number];
  }): Finding => {
    const ruleId =
      error.code === 'TAB_AS_INDENT'
        ? PARSE_RULES.tab
        : error.code === 'DUPLICATE_KEY'
          ? PARSE_RULES.duplicateKey
          : PARSE_RULES.syntax;
    const detail =
      ruleId === PARSE_RULES.tab
        ? 'tabs are not allowed for indentation in YAML; indent with spaces'
        : ruleId === PARSE_RULES.duplicateKey
          ? 'this key appears twice in the same map; keep one (the readers disagree on which wins)'
          : error.code === 'MULTIPLE_DOCS'
            ? 'a second YAML document starts here ("---"); the file must hold exactly one document'
            : firstLine(error.message);
    return { file, ...position(error.pos[0]), severity: 'error', ruleId, message: detail };
  };

  if (syntax === 'json') {
    try {
      value = JSON.parse(text) as unknown;
    } catch (error) {
      findings.push({
        file,
        ...jsonErrorPosition(error, text, document, position),
        severity: 'error',
        ruleId: PARSE_RULES.syntax,
        message: `not valid JSON: ${jsonMessage(error, text)}`,
      });
    }
    // JSON.parse keeps the last of two equal keys silently; report them.
    for (const error of document.errors) {
      if (error.code === 'DUPLICATE_KEY' && findings.length === 0)
        findings.push(yamlFinding(error));
    }
    if (findings.length > 0) value = undefined;
  } else {
    // One finding per line: a tab or a bad indent makes the parser report follow-on errors there.
    for (const error of document.errors) {
      const finding = yamlFinding(error);
      if (!findings.some((seen) => seen.line === finding.line)) findings.push(finding);
    }
    if (text.trim() === '') {
      findings.push({
        file,
        line: 1,
        column: 1,
        severity: 'error',
        ruleId: PARSE_RULES.syntax,
        message: 'the file is empty',
      });
    }
    value = findings.length === 0 ? (document.toJS({ maxAliasCount: 100 }) as unknown) : undefined;
  }
  if (hasBom && syntax === 'json') {
    findings.unshift({
      file,
      line: 1,
      column: 1,
      severity: 'error',
      ruleId: PARSE_RULES.syntax,
      message:
        'the file starts with a byte order mark (BOM), which JSON forbids (RFC 8259) and JSON readers may reject; save it as UTF-8 without BOM',
    });
  }

  return {
    file,
    value,
    findings,
    locate: (path, target = 'value') => locateIn(document, path, target, position),
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}

function jsonMessage(error: unknown, text: string): string {
  const message = firstLine(error instanceof Error ? error.message : String(error));
  const offset = jsonErrorOffset(message, text);
  if (offset !== undefined && /^\/[/*]/.test(text.slice(offset)))
    return 'JSON has no comments; remove this one (or move the note into a field)';
  // V8 appends an excerpt of the text ("…, "{ \"a\": }" is not valid JSON"); the position says more.
  return message.replace(/,\s*(\.\.\.)?".*$/, '').replace(/ in JSON at position \d+.*$/, '');
}

/** Where JSON.parse stopped: its "at position N", or the first unexpected token V8 names without one. */
function jsonErrorOffset(message: string, text: string): number | undefined {
  const at = /at position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  if (/^Unexpected token/.test(message)) return firstUnexpectedToken(text);
  return undefined;
}

/** The offset of the first character outside strings that cannot start or continue a JSON value. */
function firstUnexpectedToken(text: string): number | undefined {
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === '"') {
      for (index++; index < text.length && text[index] !== '"'; index++) {
        if (text[index] === '\\') index++;
      }
      continue;
    }
    if (/[\s{}[\],:0-9+\-.eE]/.test(char)) continue;
    const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, index));
    if (literal) {
      index += literal.length - 1;
      continue;
    }
    return index;
  }
  return undefined;
}

function jsonErrorPosition(
  error: unknown,
  text: string,
  document: Document,
  position: (offset: number) => SourcePosition,
): SourcePosition {
  const message = error instanceof Error ? error.message : '';
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const offset = jsonErrorOffset(message, text);
  if (offset !== undefined) return position(offset);
  const yamlError = document.errors[0];
  if (yamlError) return position(yamlError.pos[0]);
  if (text.trim() === '') return { line: 1, column: 1 };
  return position(Math.max(0, text.trimEnd().length - 1));
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
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
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
