import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TASK_DEFINITION_PLACEHOLDER } from '@webapp-color/deploy-specs';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import { LOCAL_LOAD_BALANCER_ENI, localHookOverrides, rehearsalWorld } from '../src/hooks.js';
import { renderLocalRelease } from '../src/render.js';
import type { InfraSettings } from '../src/settings.js';
import { literalValue, readSynthesizedApp, type SynthesizedFunction } from '../src/synthesized.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const infra = { testListenerPort: 9000, region: 'us-east-2', taskCount: 2 } as InfraSettings;
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
    const overrides = localHookOverrides(fn({ LISTENER_PORT: '9000', LISTENER_PROTOCOL: 'http' }), {
      infra,
      listeners,
      scale: 1,
    });
    expect(overrides).toEqual({
      LISTENER_PORT: '41900',
      LOAD_BALANCER_ENI_DESCRIPTION: LOCAL_LOAD_BALANCER_ENI,
    });
  });

  it('points a production hook at the local TLS listener and trusts its certificate', () => {
    const overrides = localHookOverrides(fn({ LISTENER_PORT: '443', LISTENER_PROTOCOL: 'https' }), {
      infra,
      listeners,
      scale: 1,
    });
    expect(overrides).toMatchObject({
      LISTENER_PORT: '41443',
      LISTENER_CA_FILE: '/tmp/listener.crt',
    });
    expect(overrides.LISTENER_PROTOCOL).toBeUndefined();
  });

  it('scales the check budget and the retry pause with the rehearsal', () => {
    const overrides = localHookOverrides(fn({ LISTENER_PORT: '9000', CHECK_BUDGET_MS: '240000' }), {
      infra,
      listeners,
      scale: 1 / 60,
    });
    expect(overrides).toMatchObject({ CHECK_BUDGET_MS: '4000', RETRY_DELAY_MS: '100' });
  });

  it('overrides only variables the hook reads (infra/lambda/hooks/settings.ts)', async () => {
    const settings = await readFile(join(repoRoot, 'infra/lambda/hooks/settings.ts'), 'utf8');
    const overrides = localHookOverrides(
      fn({ LISTENER_PORT: '443', LISTENER_PROTOCOL: 'https', CHECK_BUDGET_MS: '1' }),
      {
        infra,
        listeners: { ...listeners, production: { port: 1 } },
        scale: 0.5,
      },
    );
    for (const name of Object.keys(overrides)) expect(settings, name).toContain(`readonly ${name}`);
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

  it('fails naming the missing cloud assembly and the command that makes it', async () => {
    await expect(readSynthesizedApp('/nonexistent/cdk.out')).rejects.toThrow(
      'no /nonexistent/cdk.out/manifest.json; run `pnpm synth` (the `pnpm rehearse` script does)',
    );
  });
});
