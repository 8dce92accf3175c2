import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Template } from 'aws-cdk-lib/assertions';
import { webappColor, type DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  loadEnvironments,
  loadInfraConfig,
  parseInfraConfig,
  type InfraConfig,
  type InfraConfigInput,
} from '../config/index.js';
import { staging } from '../config/staging.js';
import { composeStacks, type WebappColorStacks } from '../lib/app.js';

/** The feature flags and settings of cdk.json, so tests synthesize what `cdk synth` does. */
export const cdkContext = (
  JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

export function newApp(extraContext: Record<string, unknown> = {}): App {
  return new App({ context: { ...cdkContext, ...extraContext } });
}

export const stagingConfig: InfraConfig = loadInfraConfig('staging');

/** The staging config with some fields replaced (validated like a config file). */
export function configWith(patch: (input: InfraConfigInput) => InfraConfigInput): InfraConfig {
  return parseInfraConfig('test', patch(structuredClone(staging)));
}

export interface Synthesized {
  readonly stacks: WebappColorStacks;
  readonly app: Template;
  readonly stateful: Template;
}

/**
 * Synthesize both stacks once. The bootstrap image is a registry image so
 * tests do not stage the repository; `pnpm synth` exercises the asset.
 */
export function synthesize(
  config: InfraConfig = stagingConfig,
  definition: DeliveryDefinition = webappColor,
  options: {
    realBootstrapImage?: boolean;
    deployRun?: string;
    /** Every environment, for one promoted from another (composeStacks' `environments`). */
    environments?: Readonly<Record<string, InfraConfig>>;
  } = {},
): Synthesized {
  const app = newApp(options.realBootstrapImage ? { 'aws:cdk:disable-asset-staging': true } : {});
  const stacks = composeStacks(app, config, definition, {
    bootstrapImage: options.realBootstrapImage
      ? undefined
      : ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:stable'),
    deployRun: options.deployRun,
    // A promoted environment is composed with the chain it is promoted from.
    ...(options.environments || config.promotion
      ? { environments: options.environments ?? loadEnvironments() }
      : {}),
  });
  return {
    stacks,
    app: Template.fromStack(stacks.app),
    stateful: Template.fromStack(stacks.stateful),
  };
}

/** cdk-nag findings that nobody acknowledged, as "<rule> <path>" lines. */
export function unacknowledgedNagFindings(stacks: WebappColorStacks): string[] {
  const lines: string[] = [];
  for (const stack of [stacks.stateful, stacks.app]) {
    const report = new AwsSolutionsChecks().validateScope(stack);
    for (const violation of report.violations) {
      for (const resource of violation.violatingResources) {
        lines.push(
          `${violation.ruleName} (${violation.severity}) ${resource.constructPath ?? '?'}`,
        );
      }
    }
  }
  return lines.sort();
}

/** One resource of a synthesized template. */
export interface ResourceJson {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DependsOn?: string[];
  readonly DeletionPolicy?: string;
}

/** The resources of a template, typed. */
export function resourcesOf(template: Template): Record<string, ResourceJson> {
  return (template.toJSON() as { Resources: Record<string, ResourceJson> }).Resources;
}

/** The IAM actions the policies attached to a role (by its logical id) allow. */
export function roleActions(resources: Record<string, ResourceJson>, roleId: string): string[] {
  return Object.values(resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]),
    )
    .flatMap(
      (r) =>
        (r.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement,
    )
    .flatMap((statement) => [statement.Action].flat());
}

/** The app stack's id, as CloudFormation sends it to the guards' custom resources. */
export const GUARD_STACK_ID =
  'arn:aws:cloudformation:us-east-2:123456789012:stack/myproject-staging-app/51af3dc0-da77-11e4-872e-1234567db123';

/** DescribeStacks as CloudFormation answers it for that stack (API reference, Stack). */
export function describeGuardStack(status: string) {
  return {
    Stacks: [
      {
        StackId: GUARD_STACK_ID,
        StackName: 'myproject-staging-app',
        CreationTime: new Date('2026-11-01T10:00:00Z'),
        StackStatus: status,
      },
    ],
  };
}

/** The properties of the one resource of a type (fails when there are none or several). */
export function onlyResource(
  resources: Record<string, ResourceJson>,
  type: string,
): Record<string, unknown> {
  const found = Object.values(resources).filter((r) => r.Type === type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!.Properties;
}
