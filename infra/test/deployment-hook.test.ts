/* eslint-disable @typescript-eslint/no-unsafe-assignment -- vitest's asymmetric matchers (expect.objectContaining, expect.any…) are typed any */
import { Match } from 'aws-cdk-lib/assertions';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { HOOK_VARIABLES, readHookEnvironment } from '@webapp-color/hooks';
import { describe, expect, it } from 'vitest';
import { configWith, resourcesOf, stagingConfig, synthesize } from './support.js';

// Both stacks, synthesized once for the whole file, with the real bootstrap image asset.
const { app } = synthesize(stagingConfig, webappColor, { realBootstrapImage: true });
const resources = resourcesOf(app);
const { container } = webappColor;

describe('DeploymentHook', () => {
  const variables = (fn: Record<string, unknown>) =>
    (fn.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  const hooks = Object.values(resources).filter(
    (r) =>
      r.Type === 'AWS::Lambda::Function' &&
      readHookEnvironment(variables(r.Properties)).lifecycleEvent !== undefined,
  );
  const hook = (event: string) =>
    hooks.find((r) => readHookEnvironment(variables(r.Properties)).lifecycleEvent === event)!
      .Properties;

  it('creates the AfterAllowTestTraffic hook: fixed name, Node 24, in the VPC, checking the test listener over http', () => {
    expect(hooks).toHaveLength(2);
    const fn = hook('AfterAllowTestTraffic');
    expect(fn).toMatchObject({
      FunctionName: 'myproject-staging-after-allow-test-traffic',
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      VpcConfig: expect.objectContaining({ SubnetIds: expect.any(Array) }),
    });
    expect(readHookEnvironment(variables(fn))).toMatchObject({
      listenerProtocol: 'http',
      listenerPort: 9000,
      healthPath: container.healthCheckPath,
      containerName: container.name,
      versionVariable: 'APP_VERSION',
      siteHost: 'staging.myapp.example.com',
    });
  });

  it('creates the AfterAllowTraffic hook checking production over https with the site name', () => {
    expect(hook('AfterAllowTraffic')).toMatchObject({
      FunctionName: 'myproject-staging-after-allow-traffic',
    });
    expect(readHookEnvironment(variables(hook('AfterAllowTraffic')))).toMatchObject({
      listenerProtocol: 'https',
      listenerPort: 443,
      siteHost: 'staging.myapp.example.com',
      liveImageTag: 'live',
      previousImageTag: 'previous',
    });
    // Only the production check tags images; the test-traffic hook may not.
    expect(variables(hook('AfterAllowTestTraffic'))).not.toHaveProperty(
      HOOK_VARIABLES.liveImageTag.name,
    );
    app.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['ecr:BatchGetImage', 'ecr:PutImage'],
            Resource: { 'Fn::ImportValue': Match.stringLikeRegexp('ImageRepositoryArn') },
          }),
          // The original task set, read for the image tagged previous: this service only.
          Match.objectLike({ Action: 'ecs:DescribeServices', Resource: { Ref: 'Service' } }),
        ]),
      },
    });
  });

  it('creates each hook with a Lambda timeout a minute above its check budget, to report in', () => {
    for (const { Properties: fn } of hooks) {
      const budget = readHookEnvironment(variables(fn)).checkBudgetMs!;
      expect(fn.Timeout as number).toBe(budget / 1000 + 60);
    }
  });

  it('scopes the CodeDeploy calls to its deployment group and application', () => {
    app.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: [
              'codedeploy:GetDeployment',
              'codedeploy:GetDeploymentGroup',
              'codedeploy:PutLifecycleEventHookExecutionStatus',
            ],
            Resource: Match.objectLike({
              'Fn::Join': Match.arrayWith([Match.arrayWith([{ Ref: 'DeploymentGroup' }])]),
            }),
          }),
        ]),
      },
    });
    app.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['codedeploy:GetDeployment', 'codedeploy:PutLifecycleEventHookExecutionStatus'],
            Resource: Match.objectLike({
              'Fn::Join': Match.arrayWith([Match.arrayWith([{ Ref: 'DeploymentGroup' }])]),
            }),
          }),
          Match.objectLike({
            Action: 'codedeploy:GetApplicationRevision',
            Resource: Match.objectLike({
              'Fn::Join': Match.arrayWith([Match.arrayWith([{ Ref: 'CodeDeployApplication' }])]),
            }),
          }),
        ]),
      },
    });
  });

  it('fails when both hooks are configured with one function name', () => {
    expect(() =>
      configWith((input) => ({
        ...input,
        smokeTest: { functionNames: { afterAllowTestTraffic: 'same', afterAllowTraffic: 'same' } },
      })),
    ).toThrow(/smokeTest\.functionNames\.afterAllowTraffic = "same": must differ/);
  });
});
