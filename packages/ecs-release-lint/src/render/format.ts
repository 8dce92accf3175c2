import { Document, isScalar, visit } from 'yaml';

const PRINT_WIDTH = 100;

/**
 * JSON with two-space indentation, laid out the way the repository's
 * formatter (Prettier, print width 100) lays it out: objects always
 * expanded, lists on one line when they fit.
 */
export function formatJson(value: unknown): string {
  return `${printJson(value, 0, 0, true)}\n`;
}

function printJson(value: unknown, indent: number, prefixWidth: number, last: boolean): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const hasObject = value.some(
      (item) =>
        typeof item === 'object' && item !== null && !(Array.isArray(item) && item.length === 0),
    );
    const inline = `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
    if (!hasObject && indent + prefixWidth + inline.length + (last ? 0 : 1) <= PRINT_WIDTH)
      return inline;
    const inner = ' '.repeat(indent + 2);
    const items = value.map(
      (item, index) => inner + printJson(item, indent + 2, 0, index === value.length - 1),
    );
    return `[\n${items.join(',\n')}\n${' '.repeat(indent)}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return '{}';
    const inner = ' '.repeat(indent + 2);
    const lines = entries.map(([key, item], index) => {
      const prefix = `${JSON.stringify(key)}: `;
      return (
        inner + prefix + printJson(item, indent + 2, prefix.length, index === entries.length - 1)
      );
    });
    return `{\n${lines.join(',\n')}\n${' '.repeat(indent)}}`;
  }
  return JSON.stringify(value);
}

export interface YamlOptions {
  /** Comment lines (without "# ") put above the document. */
  readonly header?: readonly string[];
  /** Keys whose numeric values print with one decimal, e.g. `version: 0.0`. */
  readonly decimalKeys?: readonly string[];
}

/** YAML with two-space indentation and indented lists, as Prettier writes it. */
export function formatYaml(value: unknown, options: YamlOptions = {}): string {
  const document = new Document(value);
  const decimalKeys = new Set(options.decimalKeys ?? []);
  visit(document, {
    Pair(_, pair) {
      if (isScalar(pair.key) && decimalKeys.has(String(pair.key.value)) && isScalar(pair.value)) {
        const scalar = pair.value;
        if (typeof scalar.value === 'number') scalar.minFractionDigits = 1;
      }
    },
  });
  const body = document.toString({ indent: 2, indentSeq: true, lineWidth: 0, singleQuote: true });
  const header = (options.header ?? []).map((line) => (line === '' ? '#' : `# ${line}`)).join('\n');
  return header ? `${header}\n${body}` : body;
}
