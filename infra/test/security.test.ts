import { Validations } from 'aws-cdk-lib';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import { resourcesOf, stagingConfig, synthesize, unacknowledgedNagFindings } from './support.js';

// Both stacks, synthesized once for the whole file, with the real bootstrap image asset.
const { stacks, app, stateful } = synthesize(stagingConfig, webappColor, {
  realBootstrapImage: true,
});

describe('IAM and cdk-nag', () => {
  it('grants no wildcard action ("*" or "service:*") in any policy of any template', () => {
    const offenders: string[] = [];
    for (const [name, template] of [
      ['app', app],
      ['stateful', stateful],
    ] as const) {
      const all = resourcesOf(template);
      for (const [id, resource] of Object.entries(all)) {
        const documents: unknown[] = [];
        const props: Record<string, unknown> = resource.Properties ?? {};
        if (props.PolicyDocument) documents.push(props.PolicyDocument);
        if (props.AssumeRolePolicyDocument) documents.push(props.AssumeRolePolicyDocument);
        for (const policy of (props.Policies as { PolicyDocument: unknown }[] | undefined) ?? [])
          documents.push(policy.PolicyDocument);
        if (props.RepositoryPolicyText) documents.push(props.RepositoryPolicyText);
        for (const document of documents) {
          for (const statement of (
            document as {
              Statement: { Effect: string; Action?: string | string[]; NotAction?: unknown }[];
            }
          ).Statement) {
            if (statement.Effect !== 'Allow') continue;
            if (statement.NotAction) offenders.push(`${name}/${id}: NotAction`);
            for (const action of [statement.Action ?? []].flat()) {
              if (action === '*' || /^[a-z0-9-]+:\*$/i.test(action))
                offenders.push(`${name}/${id}: ${action}`);
            }
          }
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('finds nothing unacknowledged with AwsSolutionsChecks', () => {
    expect(unacknowledgedNagFindings(stacks)).toEqual([]);
  });

  it('gives every acknowledgement a reason', () => {
    const acknowledgements = [stacks.app, stacks.stateful].flatMap((stack) =>
      stack.node
        .findAll()
        .flatMap((c) =>
          c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY),
        )
        .flatMap((m) => Object.entries(m.data as Record<string, unknown>)),
    );
    expect(acknowledgements.length).toBeGreaterThan(10);
    for (const [id, reason] of acknowledgements) {
      const text = typeof reason === 'string' ? reason : JSON.stringify(reason);
      expect(text.length, id).toBeGreaterThan(30);
    }
  });
});
