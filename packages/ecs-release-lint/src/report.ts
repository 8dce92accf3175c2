// `ecs-release-lint/report`: the output formats of `validate`.
export { REPORT_FORMATS, type CheckReport, type ReportFormat } from './report/report.js';
export { jsonReport } from './report/json.js';
export { sarifLog, sarifReport } from './report/sarif.js';
export { githubReport } from './report/github.js';
