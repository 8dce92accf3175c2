import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TASK_DEFINITION_PLACEHOLDER } from '@webapp-color/deploy-specs';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import {
  hookEnvironment,
  hookEnvironmentPatch,
  readHookSettings,
  type HookEnvironmentValues,
} from '@webapp-color/hooks';
import { describe, expect, it } from 'vitest';
import {
  LOCAL_LOAD_BALANCER_ENI,
  localHookOverrides,
  rehearsalWorld,
  startHookRunner,
} from '../src/hooks.js';
import { renderLocalRelease } from '../src/render.js';
import type { InfraSettings } from '../src/settings.js';
import { literalValue, readSynthesizedApp, type SynthesizedFunction } from '../src/synthesized.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const infra = { testListenerPort: 9000, region: 'us-east-2', taskCount: 2 } as InfraSettings;
/** A production hook's values as infra writes them. */
const synthesized: HookEnvironmentValues = {
  lifecycleEvent: 'AfterAllowTraffic',
  listenerProtocol: 'https',
  listenerPort: 443,
  siteHost: 'myapp.example.com',
  healthPath: '/healthz',
  pagePath: '/',
  versionPath: '/version',
  containerName: 'webapp-color',
  versionVariable: 'APP_VERSION',
  requireVersion: true,
  checkBudgetMs: 240_000,
  loadBalancerEniDescription: 'ELB app/myproject-staging-alb/50dc6c495c0c9188',
};
const fn = (environment: Record<string, unknown>): SynthesizedFunction => ({
  logicalId: 'HookFunction',
  name: 'hook',
  handler: 'index.handler',
  timeoutSeconds: 300,
  codeDirectory: '/nowhere',
  environment,
});
const listeners = {
  production: { port: 41443, certificateFile: '/tmp/listener.crt' },
  test: { port: 41900 },
};

describe('localHookOverrides', () => {
  it('points a hook of the test listener at the local test port, keeping its protocol', () => {
    const overrides = localHookOverrides(
      fn(hookEnvironment({ ...synthesized, listenerPort: 9000, listenerProtocol: 'http' })),
      { infra, listeners, scale: 1 },
    );
    expect(overrides).toEqual({
      listenerPort: 41900,
      loadBalancerEniDescription: LOCAL_LOAD_BALANCER_ENI,
    });
  });

  it('points a production hook at the local TLS listener and trusts its certificate', () => {
    const overrides = localHookOverrides(fn(hookEnvironment(synthesized)), {
      infra,
      listeners,
      scale: 1,
    });
    expect(overrides).toMatchObject({
      listenerPort: 41443,
      listenerCaFile: '/tmp/listener.crt',
    });
    expect(overrides.listenerProtocol).toBeUndefined();
  });

  it('scales the check budget and the retry pause with the rehearsal', () => {
    const overrides = localHookOverrides(
      fn(hookEnvironment({ ...synthesized, listenerPort: 9000, checkBudgetMs: 240_000 })),
      { infra, listeners, scale: 1 / 60 },
    );
    expect(overrides).toMatchObject({ checkBudgetMs: 4000, retryDelayMs: 100 });
  });

  it('changes what the hook reads: the local listener, its CA, the local ENI and the timings', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'rehearse-hooks-'));
    try {
      const certificateFile = join(directory, 'listener.crt');
      await writeFile(certificateFile, 'PEM');
      // The production hook as CDK synthesizes it, the ENI description resolved.
      const environment = hookEnvironment(synthesized);
      const overrides = localHookOverrides(fn(environment), {
        infra,
        listeners: { ...listeners, production: { port: 41443, certificateFile } },
        scale: 1 / 60,
      });
      const settings = readHookSettings({ ...environment, ...hookEnvironmentPatch(overrides) });
      expect(settings.checks.listener).toEqual({ protocol: 'https', port: 41443 });
      expect(settings.listenerCa).toBe('PEM');
      expect(settings.loadBalancerEniDescription).toBe(LOCAL_LOAD_BALANCER_ENI);
      expect(settings.checks).toMatchObject({ budgetMs: 4_000, retryDelayMs: 100 });
      // What the rehearsal leaves alone stays as CDK wrote it.
      expect(settings.checks).toMatchObject({ host: 'myapp.example.com', requireVersion: true });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('speaks plain http to a local production listener without TLS', () => {
    const environment = hookEnvironment(synthesized);
    const overrides = localHookOverrides(fn(environment), {
      infra,
      listeners: { ...listeners, production: { port: 41080 } },
      scale: 1,
    });
    const settings = readHookSettings({ ...environment, ...hookEnvironmentPatch(overrides) });
    expect(settings.checks.listener).toEqual({ protocol: 'http', port: 41080 });
  });
});

describe('rehearsalWorld', () => {
  it("answers with green's AppSpec as CodePipeline registers it: the task definition's ARN in place", async () => {
    const release = await renderLocalRelease(webappColor, {
      repoRoot,
      commitId: 'abcdef1',
      version: 'abcdef1',
      imageRepository: '000000000000.dkr.ecr.us-east-2.amazonaws.com/webapp-color',
      region: 'us-east-2',
    });
    const world = rehearsalWorld({
      definition: webappColor,
      infra,
      releases: { blue: release, green: release },
      imageIds: { blue: 'sha256:1111', green: 'sha256:1111' },
      mutableImageTags: ['live', 'previous'],
    });
    const [deployment] = world.deployments;
    expect(deployment!.deploymentId).toMatch(/^d-[A-Z0-9]{9}$/);
    expect(deployment!.appSpecContent).not.toContain(TASK_DEFINITION_PLACEHOLDER);
    expect(deployment!.appSpecContent).toContain(
      `arn:aws:ecs:us-east-2:000000000000:task-definition/${release.taskDefinition.family}:2`,
    );
    expect(world.taskDefinitions.map((t) => t.revision)).toEqual([1, 2]);
    const [blueSet, greenSet] = world.services[0]!.taskSets;
    expect(greenSet!.externalId).toBe(deployment!.deploymentId);
    expect(blueSet!.externalId).toMatch(/^d-[A-Z0-9]{9}$/);
    expect(blueSet!.externalId).not.toBe(deployment!.deploymentId);
    const [repository] = world.repositories ?? [];
    expect(repository).toMatchObject({
      repositoryName: 'webapp-color',
      mutableTags: ['live', 'previous'],
    });
    expect(repository!.images.map((image) => image.tags)).toEqual([['abcdef1']]);
    expect(repository!.images[0]!.manifest).toContain('"digest":"sha256:1111"');
    expect(world.networkInterfaces).toEqual([
      expect.objectContaining({
        description: LOCAL_LOAD_BALANCER_ENI,
        privateIpAddress: '127.0.0.1',
      }),
    ]);
  });
});

describe('readSynthesizedApp', () => {
  it('reads functions, forwarding listeners and the build environment from a cloud assembly', async () => {
    const cdkOut = await mkdtemp(join(tmpdir(), 'rehearse-cdkout-'));
    try {
      await mkdir(join(cdkOut, 'asset.abc'));
      await writeFile(
        join(cdkOut, 'manifest.json'),
        JSON.stringify({
          artifacts: {
            app: {
              type: 'aws:cloudformation:stack',
              properties: { templateFile: 'app.template.json' },
            },
          },
        }),
      );
      await writeFile(
        join(cdkOut, 'app.template.json'),
        JSON.stringify({
          Resources: {
            Hook: {
              Type: 'AWS::Lambda::Function',
              Properties: {
                FunctionName: 'smoke',
                Handler: 'index.handler',
                Timeout: 300,
                Environment: { Variables: { A: '1' } },
              },
              Metadata: { 'aws:asset:path': 'asset.abc' },
            },
            Production: {
              Type: 'AWS::ElasticLoadBalancingV2::Listener',
              Properties: { Port: 443, Protocol: 'HTTPS', DefaultActions: [{ Type: 'forward' }] },
            },
            Redirect: {
              Type: 'AWS::ElasticLoadBalancingV2::Listener',
              Properties: { Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'redirect' }] },
            },
            Build: {
              Type: 'AWS::CodeBuild::Project',
              Properties: {
                Source: { Type: 'CODEPIPELINE', BuildSpec: 'buildspec.yaml' },
                Environment: {
                  EnvironmentVariables: [
                    { Name: 'HOOK', Value: { Ref: 'Hook' } },
                    { Name: 'ROLE', Value: { 'Fn::GetAtt': ['Role', 'Arn'] } },
                  ],
                },
              },
            },
          },
        }),
      );
      const app = await readSynthesizedApp(cdkOut);
      expect(app.functions).toEqual([
        {
          logicalId: 'Hook',
          name: 'smoke',
          handler: 'index.handler',
          timeoutSeconds: 300,
          codeDirectory: join(cdkOut, 'asset.abc'),
          environment: { A: '1' },
        },
      ]);
      expect(app.listeners).toEqual([{ port: 443, protocol: 'HTTPS' }]);
      expect(app.idleTimeoutSeconds).toBe(60);
      expect(literalValue(app, app.buildEnvironment.HOOK)).toBe('smoke');
      expect(literalValue(app, app.buildEnvironment.ROLE)).toBeUndefined();
    } finally {
      await rm(cdkOut, { recursive: true, force: true });
    }
  });

  it("reads only the rehearsed environment's stacks when cdk.out holds several, and only the release build's project", async () => {
    const cdkOut = await mkdtemp(join(tmpdir(), 'rehearse-cdkout-'));
    const project = (variables: Record<string, string>, buildSpec: string) => ({
      Type: 'AWS::CodeBuild::Project',
      Properties: {
        Source: { Type: 'CODEPIPELINE', BuildSpec: buildSpec },
        Environment: {
          EnvironmentVariables: Object.entries(variables).map(([Name, Value]) => ({ Name, Value })),
        },
      },
    });
    try {
      const stacks = {
        'myproject-staging-app': {
          Build: project({ DEPLOYMENT_CONTROLLER: 'codedeploy' }, 'buildspec.yaml'),
        },
        'myproject-staging-ecs-app': {
          Build: project({ DEPLOYMENT_CONTROLLER: 'ecs' }, 'buildspec.yaml'),
          Ship: project({ ECS_CLUSTER: 'cluster' }, '{"version":"0.2"}'),
        },
      };
      await writeFile(
        join(cdkOut, 'manifest.json'),
        JSON.stringify({
          artifacts: Object.fromEntries(
            Object.keys(stacks).map((id) => [
              id,
              {
                type: 'aws:cloudformation:stack',
                properties: { templateFile: `${id}.template.json` },
              },
            ]),
          ),
        }),
      );
      for (const [id, resources] of Object.entries(stacks)) {
        await writeFile(
          join(cdkOut, `${id}.template.json`),
          JSON.stringify({ Resources: resources }),
        );
      }
      expect(
        (await readSynthesizedApp(cdkOut, ['myproject-staging-app'])).buildEnvironment,
      ).toEqual({
        DEPLOYMENT_CONTROLLER: 'codedeploy',
      });
      expect(
        (await readSynthesizedApp(cdkOut, ['myproject-staging-ecs-app'])).buildEnvironment,
      ).toEqual({ DEPLOYMENT_CONTROLLER: 'ecs' });
      await expect(readSynthesizedApp(cdkOut, ['myproject-production-app'])).rejects.toThrow(
        `no stack myproject-production-app in ${cdkOut}; run \`pnpm synth\``,
      );
    } finally {
      await rm(cdkOut, { recursive: true, force: true });
    }
  });

  it('fails naming the missing cloud assembly and the command that makes it', async () => {
    await expect(readSynthesizedApp('/nonexistent/cdk.out')).rejects.toThrow(
      'no /nonexistent/cdk.out/manifest.json; run `pnpm synth` (the `pnpm rehearse` script does)',
    );
  });
});

describe('startHookRunner under the ECS controller', () => {
  it("invokes a bundle with ECS's payload and answers what it returned, the service deployment in the state given", async () => {
    const directory = await mkdtemp(join(tmpdir(), 'rehearse-native-hook-'));
    try {
      const code = join(directory, 'asset.native');
      await mkdir(code);
      // A hook that reads its service deployment, as the native handler does.
      await writeFile(
        join(code, 'index.mjs'),
        `import { ECSClient, DescribeServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
export const handler = async (event) => {
  const answer = await new ECSClient({}).send(
    new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [event.resourceArn] }),
  );
  const deployment = answer.serviceDeployments[0];
  return {
    hookStatus: deployment.status === 'ROLLBACK_IN_PROGRESS' ? 'SUCCEEDED' : 'IN_PROGRESS',
    callBackDelay: 7,
    hookDetails: { status: deployment.status, stage: deployment.lifecycleStage, before: event.hookDetails ?? null },
  };
};
`,
      );
      const release = await renderLocalRelease(webappColor, {
        repoRoot,
        commitId: 'abcdef1',
        version: 'abcdef1',
        imageRepository: '000000000000.dkr.ecr.us-east-2.amazonaws.com/webapp-color',
        region: 'us-east-2',
      });
      const runner = await startHookRunner({
        app: {
          cdkOut: directory,
          stacks: [],
          services: [],
          mutableImageTags: [],
          idleTimeoutSeconds: 60,
          listeners: [],
          buildEnvironment: {},
          functions: [
            {
              ...fn(
                hookEnvironment({ ...synthesized, listenerPort: 9000, listenerProtocol: 'http' }),
              ),
              name: 'native-hook',
              codeDirectory: code,
              timeoutSeconds: 30,
            },
          ],
        },
        controller: 'ecs',
        definition: webappColor,
        infra,
        releases: { blue: release, green: release },
        listeners,
        imageIds: { blue: 'sha256:1111', green: 'sha256:1111' },
        scale: 1,
        workDirectory: join(directory, 'work'),
        sdkModules: fileURLToPath(new URL('../node_modules', import.meta.url)),
      });
      try {
        const { nativeIdentity } = runner;
        const payload = {
          executionDetails: {
            testTrafficWeights: { [nativeIdentity.revisionArns.green]: 100 },
            productionTrafficWeights: { [nativeIdentity.revisionArns.blue]: 100 },
            serviceArn: nativeIdentity.serviceArn,
            targetServiceRevisionArn: nativeIdentity.revisionArns.green,
          },
          executionId: 'e-1',
          lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT' as const,
          resourceArn: nativeIdentity.serviceDeploymentArn,
        };
        const first = await runner.runNative({
          functionName: 'native-hook',
          deploymentStatus: 'IN_PROGRESS',
          payload,
        });
        expect(first).toMatchObject({
          hookStatus: 'IN_PROGRESS',
          callBackDelay: 7,
          hookDetails: { status: 'IN_PROGRESS', stage: 'POST_TEST_TRAFFIC_SHIFT', before: null },
        });
        const rollback = await runner.runNative({
          functionName: 'native-hook',
          deploymentStatus: 'ROLLBACK_IN_PROGRESS',
          payload: { ...payload, lifecycleStage: 'TEST_TRAFFIC_SHIFT', hookDetails: { n: 1 } },
        });
        expect(rollback).toMatchObject({
          hookStatus: 'SUCCEEDED',
          hookDetails: {
            status: 'ROLLBACK_IN_PROGRESS',
            stage: 'TEST_TRAFFIC_SHIFT',
            before: { n: 1 },
          },
        });
        expect(runner.calls().map((call) => `${call.service}:${call.operation}`)).toEqual([
          'ecs:DescribeServiceDeployments',
          'ecs:DescribeServiceDeployments',
        ]);
        const missing = await runner.runNative({
          functionName: 'nothing',
          deploymentStatus: 'IN_PROGRESS',
          payload,
        });
        expect(missing.hookStatus).toBeUndefined();
        expect(missing.detail).toContain('no function named nothing');
      } finally {
        await runner.close();
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
