import type { Finding } from '../core/findings.js';
import type { CheckReport } from './report.js';

/** `--format json`: `{ valid, files, errors, warnings }`, findings without their document path. */
export function jsonReport(report: CheckReport): string {
  const strip = ({ path: _path, ...finding }: Finding) => finding;
  const errors = report.findings.filter((finding) => finding.severity === 'error');
  const warnings = report.findings.filter((finding) => finding.severity === 'warning');
  return `${JSON.stringify(
    {
      valid: errors.length === 0,
      files: report.files,
      errors: errors.map(strip),
      warnings: warnings.map(strip),
    },
    null,
    2,
  )}\n`;
}
