import { describe, expect, it } from 'vitest';
import type { AppSpec } from '../src/models/appspec.js';
import type { Buildspec } from '../src/models/buildspec.js';
import type { TaskDefinition } from '../src/models/taskdef.js';
import { appSpecYaml, buildspecYaml, taskDefinitionJson } from '../src/render/documents.js';
import { validateDocument } from '../src/check/validate.js';

const minimalTaskDefinition: TaskDefinition = {
  family: 'api',
  // RegisterTaskDefinition needs memory at task or container level.
  containerDefinitions: [
    { name: 'api', image: 'public.ecr.aws/docker/library/nginx:1.27', memory: 512 },
  ],
};

const completeTaskDefinition: TaskDefinition = {
  family: 'api',
  taskRoleArn: 'arn:aws:iam::111122223333:role/api',
  executionRoleArn: 'arn:aws:iam::111122223333:role/api-execution',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '1024',
  memory: '2048',
  runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
  ephemeralStorage: { sizeInGiB: 30 },
  volumes: [{ name: 'cache' }],
  containerDefinitions: [
    {
      name: 'api',
      image: '<IMAGE1_NAME>',
      essential: true,
      portMappings: [{ containerPort: 3000, protocol: 'tcp', appProtocol: 'http' }],
      environment: [{ name: 'NODE_ENV', value: 'production' }],
      secrets: [
        {
          name: 'DB_PASSWORD',
          valueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db',
        },
      ],
      mountPoints: [{ sourceVolume: 'cache', containerPath: '/cache', readOnly: false }],
      dependsOn: [{ containerName: 'log-router', condition: 'START' }],
      healthCheck: {
        command: ['CMD-SHELL', 'curl -f http://localhost:3000/ || exit 1'],
        interval: 30,
      },
      logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'cloudwatch' } },
      ulimits: [{ name: 'nofile', softLimit: 65536, hardLimit: 65536 }],
    },
    {
      name: 'log-router',
      image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
      essential: false,
      firelensConfiguration: { type: 'fluentbit' },
    },
  ],
  tags: [{ key: 'team', value: 'web' }],
};

const minimalAppSpec: AppSpec = {
  version: 0,
  Resources: [
    {
      TargetService: {
        Type: 'AWS::ECS::Service',
        Properties: {
          TaskDefinition: '<TASK_DEFINITION>',
          LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 80 },
        },
      },
    },
  ],
};

const completeAppSpec: AppSpec = {
  version: 0,
  Resources: [
    {
      TargetService: {
        Type: 'AWS::ECS::Service',
        Properties: {
          TaskDefinition: '<TASK_DEFINITION>',
          LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 80 },
          PlatformVersion: '1.4.0',
          NetworkConfiguration: {
            AwsvpcConfiguration: {
              Subnets: ['subnet-1234abcd'],
              SecurityGroups: ['sg-12345678'],
              AssignPublicIp: 'DISABLED',
            },
          },
          CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Base: 1, Weight: 2 }],
        },
      },
    },
  ],
  Hooks: [
    { BeforeInstall: 'before-install' },
    { AfterInstall: 'after-install' },
    { AfterAllowTestTraffic: 'smoke-test' },
    { BeforeAllowTraffic: 'before-traffic' },
    { AfterAllowTraffic: 'after-traffic' },
  ],
};

const minimalBuildspec: Buildspec = { version: 0.2, phases: { build: { commands: ['npm test'] } } };

const completeBuildspec: Buildspec = {
  version: 0.2,
  'run-as': 'root',
  env: {
    shell: 'bash',
    variables: { NODE_ENV: 'test' },
    'parameter-store': { API_KEY: '/app/api-key' },
    'secrets-manager': { DB_PASSWORD: 'prod/db:password' },
    'exported-variables': ['IMAGE_TAG'],
    'git-credential-helper': 'yes',
  },
  proxy: { 'upload-artifacts': 'no', logs: 'no' },
  phases: {
    install: { 'runtime-versions': { nodejs: '22' }, commands: ['npm ci'] },
    pre_build: { 'on-failure': 'ABORT', commands: ['echo "key: value"'] },
    build: { commands: ['npm run build'], finally: ['echo done'] },
    post_build: { 'run-as': 'node', commands: ['npm run report'] },
  },
  reports: {
    unit: { files: ['junit.xml'], 'base-directory': 'reports', 'file-format': 'JUNITXML' },
  },
  artifacts: {
    files: ['dist/**/*'],
    name: 'app',
    'base-directory': 'dist',
    'discard-paths': 'no',
    'secondary-artifacts': { logs: { files: ['*.log'] } },
  },
  cache: { paths: ['/root/.npm/**/*'] },
};

describe('renderers', () => {
  it('render a minimal task definition', () => {
    expect(taskDefinitionJson(minimalTaskDefinition)).toBe(`{
  "family": "api",
  "containerDefinitions": [
    {
      "name": "api",
      "image": "public.ecr.aws/docker/library/nginx:1.27",
      "memory": 512
    }
  ]
}
`);
  });

  it('render a complete task definition', () => {
    expect(taskDefinitionJson(completeTaskDefinition)).toBe(`{
  "family": "api",
  "taskRoleArn": "arn:aws:iam::111122223333:role/api",
  "executionRoleArn": "arn:aws:iam::111122223333:role/api-execution",
  "networkMode": "awsvpc",
  "requiresCompatibilities": ["FARGATE"],
  "cpu": "1024",
  "memory": "2048",
  "runtimePlatform": {
    "cpuArchitecture": "ARM64",
    "operatingSystemFamily": "LINUX"
  },
  "ephemeralStorage": {
    "sizeInGiB": 30
  },
  "volumes": [
    {
      "name": "cache"
    }
  ],
  "containerDefinitions": [
    {
      "name": "api",
      "image": "<IMAGE1_NAME>",
      "essential": true,
      "portMappings": [
        {
          "containerPort": 3000,
          "protocol": "tcp",
          "appProtocol": "http"
        }
      ],
      "environment": [
        {
          "name": "NODE_ENV",
          "value": "production"
        }
      ],
      "secrets": [
        {
          "name": "DB_PASSWORD",
          "valueFrom": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db"
        }
      ],
      "mountPoints": [
        {
          "sourceVolume": "cache",
          "containerPath": "/cache",
          "readOnly": false
        }
      ],
      "dependsOn": [
        {
          "containerName": "log-router",
          "condition": "START"
        }
      ],
      "healthCheck": {
        "command": ["CMD-SHELL", "curl -f http://localhost:3000/ || exit 1"],
        "interval": 30
      },
      "logConfiguration": {
        "logDriver": "awsfirelens",
        "options": {
          "Name": "cloudwatch"
        }
      },
      "ulimits": [
        {
          "name": "nofile",
          "softLimit": 65536,
          "hardLimit": 65536
        }
      ]
    },
    {
      "name": "log-router",
      "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
      "essential": false,
      "firelensConfiguration": {
        "type": "fluentbit"
      }
    }
  ],
  "tags": [
    {
      "key": "team",
      "value": "web"
    }
  ]
}
`);
  });

  it('render a minimal AppSpec', () => {
    expect(appSpecYaml(minimalAppSpec)).toBe(`version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo:
          ContainerName: web
          ContainerPort: 80
`);
  });

  it('render a complete AppSpec', () => {
    expect(appSpecYaml(completeAppSpec)).toBe(`version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo:
          ContainerName: web
          ContainerPort: 80
        PlatformVersion: 1.4.0
        NetworkConfiguration:
          AwsvpcConfiguration:
            Subnets:
              - subnet-1234abcd
            SecurityGroups:
              - sg-12345678
            AssignPublicIp: DISABLED
        CapacityProviderStrategy:
          - CapacityProvider: FARGATE_SPOT
            Base: 1
            Weight: 2
Hooks:
  - BeforeInstall: before-install
  - AfterInstall: after-install
  - AfterAllowTestTraffic: smoke-test
  - BeforeAllowTraffic: before-traffic
  - AfterAllowTraffic: after-traffic
`);
  });

  it('render a minimal buildspec', () => {
    expect(buildspecYaml(minimalBuildspec)).toBe(`version: 0.2
phases:
  build:
    commands:
      - npm test
`);
  });

  it('render a complete buildspec', () => {
    expect(buildspecYaml(completeBuildspec, ['generated'])).toBe(`# generated
version: 0.2
run-as: root
env:
  shell: bash
  variables:
    NODE_ENV: test
  parameter-store:
    API_KEY: /app/api-key
  secrets-manager:
    DB_PASSWORD: prod/db:password
  exported-variables:
    - IMAGE_TAG
  git-credential-helper: yes
proxy:
  upload-artifacts: no
  logs: no
phases:
  install:
    runtime-versions:
      nodejs: '22'
    commands:
      - npm ci
  pre_build:
    on-failure: ABORT
    commands:
      - 'echo "key: value"'
  build:
    commands:
      - npm run build
    finally:
      - echo done
  post_build:
    run-as: node
    commands:
      - npm run report
reports:
  unit:
    files:
      - junit.xml
    base-directory: reports
    file-format: JUNITXML
artifacts:
  files:
    - dist/**/*
  name: app
  base-directory: dist
  discard-paths: no
  secondary-artifacts:
    logs:
      files:
        - '*.log'
cache:
  paths:
    - /root/.npm/**/*
`);
  });

  it.each([
    [
      'taskdef',
      'taskdef.json',
      () => taskDefinitionJson(minimalTaskDefinition),
      minimalTaskDefinition,
    ],
    [
      'taskdef',
      'taskdef.json',
      () => taskDefinitionJson(completeTaskDefinition),
      completeTaskDefinition,
    ],
    ['appspec', 'appspec.yaml', () => appSpecYaml(minimalAppSpec), minimalAppSpec],
    ['appspec', 'appspec.yaml', () => appSpecYaml(completeAppSpec), completeAppSpec],
    ['buildspec', 'buildspec.yml', () => buildspecYaml(minimalBuildspec), minimalBuildspec],
    ['buildspec', 'buildspec.yml', () => buildspecYaml(completeBuildspec), completeBuildspec],
  ] as const)('round-trips a %s through %s', (kind, file, render, model) => {
    const result = validateDocument(kind, file, render());
    expect(result.errors).toEqual([]);
    expect(result.value).toEqual(model);
  });
});
