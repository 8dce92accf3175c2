import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportingDescriptor, Result } from 'sarif';
import { describe, expect, it } from 'vitest';
import { checkFiles } from '../src/check/check-files.js';
import { run } from '../src/command/program.js';
import { ruleHelpUri, VERSION } from '../src/core/version.js';
import { githubReport } from '../src/report/github.js';
import { sarifLog } from '../src/report/sarif.js';
import { RULES } from '../src/rules/catalog.js';

const TASKDEF = `{
  "family": "web",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "256",
  "memory": "8192",
  "containerDefinitions": [{ "name": "web", "image": "nginx:1.27", "essential": true }]
}
`;
const BUILDSPEC = 'version: 0.2\nphases:\n  build:\n    commands: make\n';

const report = checkFiles([
  { file: 'deploy/taskdef.json', text: TASKDEF },
  { file: 'ci/my buildspec.yml', text: BUILDSPEC },
  { file: '/abs/imagedefinitions.json', text: '[{"name": "web", "imageUri": "nginx:latest"}]' },
]);

describe('--format sarif', () => {
  const log = sarifLog(report, RULES);
  const [sarifRun] = log.runs;
  const driver = sarifRun!.tool.driver;

  it('is a SARIF 2.1.0 log with one run', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.runs).toHaveLength(1);
  });

  it('names the tool with its version', () => {
    expect(driver.name).toBe('ecs-release-lint');
    expect(driver.version).toBe(VERSION);
    expect(driver.semanticVersion).toBe(VERSION);
    expect(driver.informationUri).toBe('https://www.npmjs.com/package/ecs-release-lint');
  });

  it('lists every rule with its descriptions, level and help URI', () => {
    const reference = readFileSync(join(import.meta.dirname, '..', 'docs', 'rules.md'), 'utf8');
    expect(driver.rules!.map((rule) => rule.id)).toEqual(RULES.map((rule) => rule.id));
    for (const [index, rule] of RULES.entries()) {
      const descriptor: ReportingDescriptor = driver.rules![index]!;
      expect(descriptor.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(descriptor.shortDescription).toEqual({ text: rule.summary });
      expect(descriptor.fullDescription).toEqual({ text: rule.why });
      expect(descriptor.defaultConfiguration).toEqual({ level: rule.severity });
      expect(descriptor.help!.text).toContain(rule.reference);
      expect(descriptor.help!.markdown).toContain(`<${rule.reference}>`);
      expect(descriptor.properties!.tags).toEqual(rule.kinds);
      const anchor = rule.id.toLowerCase();
      expect(descriptor.helpUri).toBe(
        `https://unpkg.com/ecs-release-lint@${VERSION}/docs/rules.md#${anchor}`,
      );
      expect(descriptor.helpUri).toBe(ruleHelpUri(rule.id));
      // The anchor is the one GitHub and npm give the rule's heading in docs/rules.md.
      expect(reference).toMatch(new RegExp(`^## ${rule.id}$`, 'm'));
      expect(anchor).toMatch(/^[a-z0-9_]+$/);
    }
  });

  it('gives one result per finding, pointing at its rule, file, line and column', () => {
    const results: Result[] = sarifRun!.results!;
    expect(results).toHaveLength(report.findings.length);
    expect(report.findings.length).toBeGreaterThan(2);
    for (const [index, finding] of report.findings.entries()) {
      const result = results[index]!;
      expect(result.ruleId).toBe(finding.ruleId);
      expect(driver.rules![result.ruleIndex!]!.id).toBe(finding.ruleId);
      expect(result.level).toBe(finding.severity);
      expect(result.message).toEqual({ text: finding.message });
      expect(result.locations).toHaveLength(1);
      const location = result.locations![0]!.physicalLocation!;
      expect(location.region).toEqual({ startLine: finding.line, startColumn: finding.column });
    }
  });

  it('writes relative files as URIs under %SRCROOT%, absolute ones as file URIs', () => {
    const locations = Object.fromEntries(
      sarifRun!.results!.map((result) => {
        const artifact = result.locations![0]!.physicalLocation!.artifactLocation!;
        return [result.ruleId!, artifact];
      }),
    );
    expect(locations.TASKDEF_FARGATE_CPU_MEMORY).toEqual({
      uri: 'deploy/taskdef.json',
      uriBaseId: '%SRCROOT%',
    });
    expect(locations.BUILDSPEC_COMMANDS_LIST).toEqual({
      uri: 'ci/my%20buildspec.yml',
      uriBaseId: '%SRCROOT%',
    });
    expect(locations.IMAGEDEFINITIONS_IMAGE_URI).toEqual({
      uri: 'file:///abs/imagedefinitions.json',
    });
  });

  it('is what `validate --format sarif` prints, exiting as the text format does', async () => {
    let stdout = '';
    const code = await run(['validate', '--format', 'sarif', 'taskdef.json'], {
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
      env: {},
      cwd: join(import.meta.dirname, 'rules', 'TASKDEF_FARGATE_CPU_MEMORY', 'bad-fargate-memory'),
    });
    expect(code).toBe(1);
    const printed = JSON.parse(stdout) as typeof log;
    expect(printed.runs[0]!.results!.map((result) => result.ruleId)).toEqual([
      'TASKDEF_FARGATE_CPU_MEMORY',
    ]);
    expect(printed.runs[0]!.tool.driver.rules).toHaveLength(RULES.length);
  });
});

describe('--format github', () => {
  it('prints one workflow command per finding, with its severity, place and rule', () => {
    const lines = githubReport(report).trimEnd().split('\n');
    expect(lines).toHaveLength(report.findings.length);
    expect(lines).toContain(
      '::error file=deploy/taskdef.json,line=6,col=13,title=TASKDEF_FARGATE_CPU_MEMORY::Fargate has no task with cpu "256" and memory "8192"; with cpu 256 use memory 512, 1024, 2048',
    );
    expect(
      lines.some((line) => line.startsWith('::warning file=/abs/imagedefinitions.json,')),
    ).toBe(true);
  });

  it('escapes what would end the command early', () => {
    const text = githubReport({
      files: [],
      findings: [
        {
          file: 'a,b:c.yml',
          line: 1,
          column: 2,
          severity: 'error',
          ruleId: 'PARSE_SYNTAX',
          message: '100% broken\nsecond line\r',
        },
      ],
    });
    expect(text).toBe(
      '::error file=a%2Cb%3Ac.yml,line=1,col=2,title=PARSE_SYNTAX::100%25 broken%0Asecond line%0D\n',
    );
  });

  it('is what `validate --format github` prints', async () => {
    let stdout = '';
    const code = await run(['validate', '--format', 'github', 'taskdef.json'], {
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
      env: {},
      cwd: join(import.meta.dirname, 'rules', 'TASKDEF_FARGATE_CPU_MEMORY', 'bad-fargate-memory'),
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^::error file=taskdef\.json,line=6,col=13,title=TASKDEF_FARGATE_CPU_MEMORY::/,
    );
  });
});
