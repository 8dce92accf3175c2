/** How bad a finding is: errors make a document invalid, warnings do not. */
export type Severity = 'error' | 'warning';

/** A path into a document: map keys and list indexes. */
export type DocumentPath = readonly (string | number)[];

/** A 1-based line and column in a file. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * A syntax problem the parser found, told apart by `kind`; the parse rules detect the kinds
 * they own and say what to change. `detail` is the reader's own account of a syntax error.
 */
export type SourceProblem = {
  readonly position: SourcePosition;
  /** The reader that found it: a `.json` file that does not open like JSON is read as YAML. */
  readonly syntax: 'yaml' | 'json';
} & (
  | {
      /**
       * `byteOrderMark`: a JSON file starts with one (RFC 8259 forbids it; the rest is still
       * read); `multipleDocuments`: a YAML file holds a second document (`---`); `empty`: a YAML
       * file holds nothing (JSON's reader calls that a syntax error: a value is expected).
       */
      readonly kind:
        'tabIndentation' | 'duplicateKey' | 'empty' | 'multipleDocuments' | 'byteOrderMark';
    }
  | { readonly kind: 'syntaxError'; readonly detail: string }
);

/** The kinds of syntax problem. */
export type SourceProblemKind = SourceProblem['kind'];

/** One problem found in a file, with where it is and what to change. */
export interface Finding {
  /** The file, as given to the validator. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  readonly severity: Severity;
  /** The stable id of the rule, e.g. TASKDEF_FARGATE_CPU_MEMORY. */
  readonly ruleId: string;
  /** What is wrong and what to change. */
  readonly message: string;
  /** Where in the document, when the finding is about a value. */
  readonly path?: DocumentPath;
}

/** The outcome of a validation: the typed value when it is valid, and the findings. */
export interface ValidationResult<T> {
  /** The typed document, present when there are no errors. */
  readonly value: T | undefined;
  readonly errors: readonly Finding[];
  readonly warnings: readonly Finding[];
}

/** Splits findings into errors and warnings, in file and line order. */
export function toResult<T>(
  value: T | undefined,
  findings: readonly Finding[],
): ValidationResult<T> {
  const sorted = [...findings].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
  const errors = sorted.filter((finding) => finding.severity === 'error');
  const warnings = sorted.filter((finding) => finding.severity === 'warning');
  return { value: errors.length === 0 ? value : undefined, errors, warnings };
}

/** The text form of a finding: `FILE:LINE:COL SEVERITY RULE-ID message`. */
export function formatFinding(finding: Finding): string {
  return `${finding.file}:${finding.line}:${finding.column} ${finding.severity} ${finding.ruleId} ${finding.message}`;
}
