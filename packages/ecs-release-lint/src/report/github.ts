import type { CheckReport } from './report.js';

// Workflow commands escape these characters, or a message with a newline or a file name with
// a comma would end the command early:
// https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
const escapeData = (text: string) =>
  text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * `--format github`: one GitHub Actions workflow command per finding
 * (`::error file=…,line=…,col=…,title=RULE_ID::message`), which the runner shows as an
 * annotation on the file's line in the pull request.
 * @see https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
 */
export function githubReport(report: CheckReport): string {
  return report.findings
    .map(
      (finding) =>
        `::${finding.severity} file=${escapeProperty(finding.file)},line=${finding.line},col=${finding.column},title=${escapeProperty(finding.ruleId)}::${escapeData(finding.message)}\n`,
    )
    .join('');
}
