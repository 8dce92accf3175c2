import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kindFromFileName } from '../src/check/kind.js';
import { parseSource } from '../src/parse/source.js';
import { checkRelease } from '../src/check/release.js';
import { checkDocument, validateDocument } from '../src/check/validate.js';

const CORPUS = join(import.meta.dirname, 'corpus');

function filesUnder(folder: string): string[] {
  return readdirSync(join(CORPUS, folder), { recursive: true, encoding: 'utf8' })
    .map((file) => join(CORPUS, folder, file))
    .filter((file) => kindFromFileName(file) !== undefined);
}

describe('realistic files', () => {
  it.each(filesUnder('valid').map((file) => relative(CORPUS, file)))('%s is valid', (file) => {
    const result = validateDocument(
      kindFromFileName(file)!,
      file,
      readFileSync(join(CORPUS, file), 'utf8'),
    );
    expect(result.errors).toEqual([]);
    expect(result.value).toBeDefined();
  });
});

// The broken variants that were listed here with their rule and line are rule fixtures now
// (test/rules/<RULE_ID>/bad-<variant>/ beside the .out they must give); these tests read a
// few of them for what an .out does not show.
const RULES = join(import.meta.dirname, 'rules');
const variant = (rule: string, name: string, file: string) =>
  readFileSync(join(RULES, rule, `bad-${name}`, file), 'utf8');

describe('broken variants', () => {
  it('explains mountPoints at the task level and does not also report an unknown key', () => {
    const result = validateDocument(
      'taskdef',
      'taskdef.json',
      variant('TASKDEF_CONTAINER_FIELD_AT_TASK_LEVEL', 'mountpoints-at-task-level', 'taskdef.json'),
    );
    expect(result.errors).toEqual([
      expect.objectContaining({
        ruleId: 'TASKDEF_CONTAINER_FIELD_AT_TASK_LEVEL',
        line: 15,
        column: 3,
        message: expect.stringContaining(
          "move it into the container's entry of containerDefinitions",
        ) as string,
      }),
    ]);
  });

  it('reports tab indentation with its line (kept out of the corpus: formatters reject the file)', () => {
    const text = variant('APPSPEC_CONTAINER_PORT_NUMBER', 'port-as-string', 'appspec.yaml').replace(
      '        TaskDefinition',
      '\tTaskDefinition',
    );
    const result = validateDocument('appspec', 'appspec.yaml', text);
    expect(result.errors.map((error) => [error.ruleId, error.line, error.column])).toEqual([
      ['PARSE_TAB_INDENTATION', 6, 1],
    ]);
  });

  it('lists the memory values allowed for the cpu', () => {
    const result = validateDocument(
      'taskdef',
      't.json',
      variant('TASKDEF_FARGATE_CPU_MEMORY', 'fargate-memory', 'taskdef.json'),
    );
    expect(result.errors[0]?.message).toContain('with cpu 512 use memory 1024, 2048, 3072, 4096');
  });

  it('suggests the hook name', () => {
    const result = validateDocument(
      'appspec',
      'a.yaml',
      variant('APPSPEC_HOOK_NAME', 'hook-typo', 'appspec.yaml'),
    );
    expect(result.errors[0]?.message).toContain('did you mean AfterAllowTraffic?');
  });
});

describe('a release whose files disagree', () => {
  const read = (file: string) => readFileSync(join(CORPUS, 'release-mismatch', file), 'utf8');

  it('names both places of each mismatch', () => {
    const taskdef = checkDocument('taskdef', 'taskdef.json', read('taskdef.json'));
    const appspec = checkDocument('appspec', 'appspec.yaml', read('appspec.yaml'));
    expect(taskdef.result.errors).toEqual([]);
    expect(appspec.result.errors).toEqual([]);
    const findings = checkRelease({
      taskdef: taskdef.source,
      appspec: appspec.source,
      dockerfile: { file: 'Dockerfile', text: read('Dockerfile') },
    });
    expect(
      findings.map((finding) => [finding.ruleId, finding.file, finding.line, finding.message]),
    ).toEqual([
      [
        'RELEASE_CONTAINER_PORT',
        'appspec.yaml',
        9,
        'ContainerPort 8080 is not a containerPort of container "web" in taskdef.json:11:23 (it maps 3000); make them equal',
      ],
      [
        'RELEASE_DOCKERFILE_EXPOSE',
        'appspec.yaml',
        9,
        'ContainerPort 8080 is not exposed by the image: Dockerfile:6:1 exposes 3000; add "EXPOSE 8080" or change the port in one place',
      ],
    ]);
  });

  it('reports a ContainerName with no container', () => {
    const appspec = parseSource(
      'appspec.yaml',
      read('appspec.yaml').replace('ContainerName: web', 'ContainerName: api'),
      'yaml',
    );
    const taskdef = parseSource('taskdef.json', read('taskdef.json'), 'json');
    expect(checkRelease({ taskdef, appspec }).map((finding) => finding.message)).toEqual([
      'ContainerName "api" is not a container of taskdef.json (taskdef.json:7:27 has "web"); make the two names equal',
    ]);
  });
});
