import type { Finding } from '../core/findings.js';
import type { DocumentKind } from '../core/rule.js';

/** What `validate` checked and found, for a report to format. */
export interface CheckReport {
  readonly files: readonly { readonly file: string; readonly kind: DocumentKind }[];
  /** Every finding, in file, line and column order. */
  readonly findings: readonly Finding[];
}

/** The output formats of `validate`. */
export const REPORT_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
