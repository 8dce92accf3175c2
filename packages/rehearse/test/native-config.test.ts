import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { environmentsOn, parseController } from '../src/settings.js';
import { readSynthesizedApp } from '../src/synthesized.js';

const directories: string[] = [];
afterEach(async () => {
  for (const directory of directories.splice(0))
    await rm(directory, { recursive: true, force: true });
});

/** A cdk.out with one stack holding these resources. */
async function cdkOut(stack: string, resources: Record<string, unknown>): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'rehearse-cdk-out-'));
  directories.push(directory);
  await mkdir(join(directory, 'asset.hook'));
  await writeFile(
    join(directory, 'manifest.json'),
    JSON.stringify({
      artifacts: {
        [stack]: {
          type: 'aws:cloudformation:stack',
          properties: { templateFile: `${stack}.template.json` },
        },
      },
    }),
  );
  await writeFile(
    join(directory, `${stack}.template.json`),
    JSON.stringify({ Resources: resources }),
  );
  return directory;
}

const hookFunction = {
  Type: 'AWS::Lambda::Function',
  Properties: { Handler: 'index.handler', Timeout: 60, FunctionName: 'native-hook' },
  Metadata: { 'aws:asset:path': 'asset.hook' },
};

/** The service as aws-cdk-lib renders addLifecycleHook into DeploymentConfiguration. */
const nativeService = (hooks: unknown[]) => ({
  Type: 'AWS::ECS::Service',
  Properties: {
    DeploymentController: { Type: 'ECS' },
    DeploymentConfiguration: { Strategy: 'CANARY', LifecycleHooks: hooks },
  },
});

describe('the synthesized service under the ECS controller', () => {
  it("reads the service's lifecycle hooks, each target resolved to its bundled function", async () => {
    const directory = await cdkOut('p-staging-ecs-app', {
      Hook: hookFunction,
      Service: nativeService([
        {
          HookTargetArn: { 'Fn::GetAtt': ['Hook', 'Arn'] },
          RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
          LifecycleStages: ['TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT'],
          HookDetails: '{"listener":"test"}',
        },
      ]),
    });
    const app = await readSynthesizedApp(directory, ['p-staging-ecs-app']);
    expect(app.services).toEqual([
      {
        logicalId: 'Service',
        controller: 'ECS',
        lifecycleHooks: [
          {
            functionName: 'native-hook',
            stages: ['TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT'],
            hookDetails: { listener: 'test' },
          },
        ],
        pauses: [],
      },
    ]);
  });

  it('reads a PAUSE hook (no function) apart from the functions: its stage, timeout and action', async () => {
    const directory = await cdkOut('p-production-app', {
      Hook: hookFunction,
      Service: nativeService([
        {
          HookTargetArn: { 'Fn::GetAtt': ['Hook', 'Arn'] },
          LifecycleStages: ['TEST_TRAFFIC_SHIFT'],
        },
        // As infra renders deployment.pause (CloudFormation DeploymentLifecycleHook, TargetType PAUSE).
        {
          TargetType: 'PAUSE',
          LifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
          TimeoutConfiguration: { TimeoutInMinutes: 60, Action: 'ROLLBACK' },
        },
      ]),
    });
    const [service] = (await readSynthesizedApp(directory, ['p-production-app'])).services;
    expect(service?.lifecycleHooks).toEqual([
      { functionName: 'native-hook', stages: ['TEST_TRAFFIC_SHIFT'] },
    ]);
    expect(service?.pauses).toEqual([
      { stages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutMinutes: 60, onTimeout: 'ROLLBACK' },
    ]);
  });

  it('names the PAUSE hook whose timeout has no action', async () => {
    const directory = await cdkOut('s', {
      Service: nativeService([
        {
          TargetType: 'PAUSE',
          LifecycleStages: ['POST_SCALE_UP'],
          TimeoutConfiguration: { TimeoutInMinutes: 5 },
        },
      ]),
    });
    await expect(readSynthesizedApp(directory)).rejects.toThrow(
      'Service DeploymentConfiguration.LifecycleHooks[0].TimeoutConfiguration {"TimeoutInMinutes":5}: expected TimeoutInMinutes (a number) and Action CONTINUE or ROLLBACK',
    );
  });

  it('names the hook and the allowed stages when a stage is unknown', async () => {
    const directory = await cdkOut('s', {
      Hook: hookFunction,
      Service: nativeService([
        { HookTargetArn: { 'Fn::GetAtt': ['Hook', 'Arn'] }, LifecycleStages: ['AfterInstall'] },
      ]),
    });
    await expect(readSynthesizedApp(directory)).rejects.toThrow(
      'Service DeploymentConfiguration.LifecycleHooks[0].LifecycleStages ["AfterInstall"]: expected one or more of RECONCILE_SERVICE, PRE_SCALE_UP',
    );
  });

  it('names the hook when its target is not a function of the app', async () => {
    const directory = await cdkOut('s', {
      Service: nativeService([
        {
          HookTargetArn: 'arn:aws:lambda:us-east-2:1:function:x',
          LifecycleStages: ['PRE_SCALE_UP'],
        },
      ]),
    });
    await expect(readSynthesizedApp(directory)).rejects.toThrow(
      'Service DeploymentConfiguration.LifecycleHooks[0].HookTargetArn "arn:aws:lambda:us-east-2:1:function:x": expected Fn::GetAtt',
    );
  });

  it("names the environment's stacks that cdk.out lacks", async () => {
    const directory = await cdkOut('p-staging-app', { Hook: hookFunction });
    await expect(
      readSynthesizedApp(directory, ['p-staging-ecs-stateful', 'p-staging-ecs-app']),
    ).rejects.toThrow(
      `no stack p-staging-ecs-stateful, p-staging-ecs-app in ${directory}; run \`pnpm synth\``,
    );
  });
});

describe('--controller', () => {
  it('takes codedeploy or ecs and names the flag, the value and the allowed ones otherwise', () => {
    expect(parseController('ecs')).toBe('ecs');
    expect(() => parseController('ECS')).toThrow(
      '--controller "ECS": expected one of codedeploy, ecs',
    );
  });

  it('finds the environments on each controller from their configuration', () => {
    expect(environmentsOn('codedeploy')).toContain('staging');
    expect(environmentsOn('ecs')).toEqual(['staging-ecs', 'production']);
  });
});
