import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Rule } from '../core/rule.js';
import { NAME, ruleHelpUri, VERSION } from '../core/version.js';
import type { CheckReport } from './report.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

function descriptor(rule: Rule): ReportingDescriptor {
  return {
    id: rule.id,
    name: rule.id
      .toLowerCase()
      .replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())
      .replace(/^[a-z]/, (letter) => letter.toUpperCase()),
    shortDescription: { text: rule.summary },
    fullDescription: { text: rule.why },
    helpUri: ruleHelpUri(rule.id),
    help: {
      text: `${rule.summary}\n\n${rule.why}\n\nAWS reference: ${rule.reference}`,
      markdown: `${rule.summary}\n\n**Why it matters.** ${rule.why}\n\nAWS reference: <${rule.reference}>`,
    },
    defaultConfiguration: { level: rule.severity },
    properties: { tags: rule.kinds.map((kind) => String(kind)) },
  };
}

/** A file name as a SARIF URI: forward slashes, each segment percent-encoded. */
function fileUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/**
 * `--format sarif`: a SARIF 2.1.0 log with one run, every rule of the catalog in
 * tool.driver.rules and one result per finding, as GitHub code scanning reads it
 * (`github/codeql-action/upload-sarif`).
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
export function sarifLog(report: CheckReport, rules: readonly Rule[]): Log {
  const index = new Map(rules.map((rule, position) => [rule.id, position]));
  const results = report.findings.map((finding): Result => {
    const ruleIndex = index.get(finding.ruleId);
    const relative = !isAbsolute(finding.file);
    return {
      ruleId: finding.ruleId,
      ...(ruleIndex === undefined ? {} : { ruleIndex }),
      level: finding.severity,
      message: { text: finding.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: {
              uri: relative ? fileUri(finding.file) : pathToFileURL(finding.file).href,
              ...(relative ? { uriBaseId: '%SRCROOT%' } : {}),
            },
            region: { startLine: finding.line, startColumn: finding.column },
          },
        },
      ],
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: NAME,
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: `https://www.npmjs.com/package/${NAME}`,
            rules: rules.map(descriptor),
          },
        },
        results,
      },
    ],
  };
}

/** The SARIF log as the text `validate --format sarif` prints. */
export function sarifReport(report: CheckReport, rules: readonly Rule[]): string {
  return `${JSON.stringify(sarifLog(report, rules), null, 2)}\n`;
}
