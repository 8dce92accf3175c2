import { describe, expect, it } from 'vitest';
import { validateDocument } from '../src/check/validate.js';

// Files written by hand in other projects: each problem is one finding with
// a line, a column and a message that says what to change, never a throw.
const where = (result: ReturnType<typeof validateDocument>) =>
  [...result.errors, ...result.warnings].map(
    (finding) => `${finding.line}:${finding.column} ${finding.ruleId} ${finding.message}`,
  );

describe('hand-written files', () => {
  it('reports a byte order mark in JSON at 1:1 and still checks the rest', () => {
    const result = validateDocument(
      'taskdef',
      'taskdef.json',
      '\uFEFF{\n  "family": "web",\n  "containerDefinitions": []\n}\n',
    );
    expect(where(result)).toEqual([
      expect.stringMatching(/^1:1 PARSE_SYNTAX .*byte order mark/),
      expect.stringMatching(/^3:27 TASKDEF_ESSENTIAL_CONTAINER containerDefinitions is empty/),
    ]);
  });

  it('accepts a byte order mark in YAML, which YAML allows', () => {
    const result = validateDocument(
      'buildspec',
      'buildspec.yml',
      '\uFEFFversion: 0.2\nphases:\n  build:\n    commands:\n      - make\n',
    );
    expect(where(result)).toEqual([]);
  });

  it('says that JSON has no comments, where the comment is', () => {
    const result = validateDocument('taskdef', 'taskdef.json', '{\n  // web\n  "family": "web"\n}');
    expect(where(result)).toEqual([
      '2:3 PARSE_SYNTAX not valid JSON: JSON has no comments; remove this one (or move the note into a field)',
    ]);
  });

  it('places an unexpected token where the JSON parser stopped', () => {
    expect(where(validateDocument('taskdef', 'taskdef.json', 'family: web\n'))).toEqual([
      '1:1 PARSE_SYNTAX not valid JSON: unexpected "family"',
    ]);
    expect(
      where(validateDocument('taskdef', 'taskdef.json', '{"family": "a\\"b",\n "cpu": nope}')),
    ).toEqual(['2:9 PARSE_SYNTAX not valid JSON: unexpected "nope"']);
  });

  it('names a trailing comma at the bracket where JSON readers stop', () => {
    expect(
      where(
        validateDocument('taskdef', 'taskdef.json', '{\n  "family": "web",\n  "cpu": "256",\n}\n'),
      ),
    ).toEqual([
      '4:1 PARSE_SYNTAX not valid JSON: trailing comma: JSON allows no comma after the last item; remove the one on line 3',
    ]);
  });

  it('explains a second YAML document instead of naming a library function', () => {
    const result = validateDocument(
      'buildspec',
      'buildspec.yml',
      'version: 0.2\nphases:\n  build:\n    commands: [make]\n---\nversion: 0.2\n',
    );
    expect(where(result)).toEqual([
      '5:1 PARSE_SYNTAX a second YAML document starts here ("---"); the file must hold exactly one document',
    ]);
  });

  it('says a number is too large instead of calling infinity "number null"', () => {
    const result = validateDocument(
      'taskdef',
      'taskdef.json',
      '{"family": "web", "containerDefinitions": [{"name": "web", "image": "<IMAGE1_NAME>", "essential": true, "memory": 1e400}]}',
    );
    expect(where(result)).toEqual([
      expect.stringMatching(
        /^1:115 SCHEMA_INVALID_TYPE containerDefinitions\[0\]\.memory must be a number, not a number too large to represent/,
      ),
    ]);
  });

  it('handles CRLF line endings with the right lines', () => {
    const result = validateDocument(
      'buildspec',
      'buildspec.yml',
      'version: 0.2\r\nphases:\r\n  build:\r\n    commands:\r\n      - make\r\n  deploy:\r\n    commands: [x]\r\n',
    );
    expect(where(result)).toEqual([expect.stringMatching(/^6:3 BUILDSPEC_UNKNOWN_PHASE /)]);
  });

  it('says once that a Lambda AppSpec is not an ECS AppSpec', () => {
    const result = validateDocument(
      'appspec',
      'appspec.yaml',
      [
        'version: 0.0',
        'Resources:',
        '  - myLambdaFunction:',
        '      Type: AWS::Lambda::Function',
        '      Properties:',
        '        Name: myLambdaFunction',
        '        Alias: live',
        '        CurrentVersion: "1"',
        '        TargetVersion: "2"',
        'Hooks:',
        '  - BeforeAllowTraffic: CheckBefore',
        '',
      ].join('\n'),
    );
    expect(where(result)).toEqual([
      '4:13 APPSPEC_RESOURCE_TYPE this is an AppSpec for AWS Lambda deployments; ecs-release-lint checks only ECS AppSpecs (one TargetService of Type AWS::ECS::Service)',
    ]);
  });

  it('says once that an EC2/On-Premises AppSpec is not an ECS AppSpec', () => {
    const result = validateDocument(
      'appspec',
      'appspec.yml',
      'version: 0.0\nos: linux\nfiles:\n  - source: /\n    destination: /srv\nhooks:\n  BeforeInstall:\n    - location: scripts/install.sh\n',
    );
    expect(where(result)).toEqual([
      '2:1 APPSPEC_RESOURCE_TYPE this is an AppSpec for EC2/On-Premises deployments ("os"); ecs-release-lint checks only ECS AppSpecs (one TargetService of Type AWS::ECS::Service)',
    ]);
  });

  it('does not apply Fargate rules to an EC2 task definition', () => {
    const result = validateDocument(
      'taskdef',
      'taskdef.json',
      JSON.stringify({
        family: 'web',
        networkMode: 'bridge',
        requiresCompatibilities: ['EC2'],
        containerDefinitions: [
          {
            name: 'web',
            image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1',
            memory: 300,
            cpu: 10,
            essential: true,
            portMappings: [{ containerPort: 80, hostPort: 0 }],
          },
        ],
      }),
    );
    expect(where(result)).toEqual([]);
  });

  it('gives a buildspec model without the empty command items CodeBuild skips', () => {
    const result = validateDocument(
      'buildspec',
      'buildspec.yml',
      'version: 0.2\nphases:\n  build:\n    commands:\n      - # npm run lint\n      - npm test\n',
    );
    expect(result.errors).toEqual([]);
    expect(where(result)).toEqual([expect.stringMatching(/^5:9 BUILDSPEC_COMMANDS_LIST /)]);
    expect(result.value?.phases?.build?.commands).toEqual(['npm test']);
  });
});
