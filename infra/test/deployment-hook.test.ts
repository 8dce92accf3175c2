/* eslint-disable @typescript-eslint/no-unsafe-assignment -- vitest's asymmetric matchers (expect.objectContaining, expect.any…) are typed any */
import { Match } from 'aws-cdk-lib/assertions';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import { configWith, resourcesOf, stagingConfig, synthesize } from './support.js';

// Both stacks, synthesized once for the whole file, with the real bootstrap image asset.
const { app } = synthesize(stagingConfig, webappColor, { realBootstrapImage: true });
const resources = resourcesOf(app);
const { container } = webappColor;

describe('DeploymentHook', () => {
  const hooks = Object.values(resources).filter(
    (r) =>
      r.Type === 'AWS::Lambda::Function' &&
      JSON.stringify(r.Properties).includes('HOOK_LIFECYCLE_EVENT'),
  );
  const hook = (event: string) =>
    hooks.find(
      (r) =>
        (r.Properties.Environment as { Variables: Record<string, string> }).Variables
          .HOOK_LIFECYCLE_EVENT === event,
    )!.Properties;

  it('creates the AfterAllowTestTraffic hook: fixed name, Node 24, in the VPC, checking the test listener over http', () => {
    expect(hooks).toHaveLength(2);
    expect(hook('AfterAllowTestTraffic')).toMatchObject({
      FunctionName: 'myproject-staging-after-allow-test-traffic',
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Environment: {
        Variables: expect.objectContaining({
          LISTENER_PROTOCOL: 'http',
          LISTENER_PORT: '9000',
          HEALTH_PATH: container.healthCheckPath,
          CONTAINER_NAME: container.name,
          VERSION_VARIABLE: 'APP_VERSION',
          SITE_HOST: 'myapp.example.com',
        }),
      },
      VpcConfig: expect.objectContaining({ SubnetIds: expect.any(Array) }),
    });
  });

  it('creates the AfterAllowTraffic hook checking production over https with the site name', () => {
    expect(hook('AfterAllowTraffic')).toMatchObject({
      FunctionName: 'myproject-staging-after-allow-traffic',
      Environment: {
        Variables: expect.objectContaining({
          LISTENER_PROTOCOL: 'https',
          LISTENER_PORT: '443',
          SITE_HOST: 'myapp.example.com',
          LIVE_IMAGE_TAG: 'live',
          PREVIOUS_IMAGE_TAG: 'previous',
        }),
      },
    });
    // Only the production check tags images; the test-traffic hook may not.
    expect(JSON.stringify(hook('AfterAllowTestTraffic'))).not.toContain('LIVE_IMAGE_TAG');
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
      const budget = Number(
        (fn.Environment as { Variables: Record<string, string> }).Variables.CHECK_BUDGET_MS,
      );
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
