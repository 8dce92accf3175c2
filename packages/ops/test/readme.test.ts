import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPS_API_CALLS } from '../src/index.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const readme = read('../README.md');
const policyPage = read('../docs/read-only-policy.md');
const checksPage = read('../docs/checks.md');

describe('README and docs', () => {
  it('links the pages the long material moved to', () => {
    for (const page of ['docs/read-only-policy.md', 'docs/checks.md', 'docs/releases.md']) {
      expect(readme).toContain(`](${page})`);
    }
  });

  it('gives the read-only policy of exactly the calls the commands make', () => {
    const block =
      /<!-- read-only-policy:start -->\s*```json\n([\s\S]*?)```\s*<!-- read-only-policy:end -->/.exec(
        policyPage,
      );
    expect(block).not.toBeNull();
    const policy = JSON.parse(block![1]!) as { Statement: { Effect: string; Action: string[] }[] };
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]!.Effect).toBe('Allow');
    // GetCallerIdentity needs no permission (STS API reference).
    const needed = OPS_API_CALLS.filter((call) => call.action !== 'sts:GetCallerIdentity')
      .map((call) => call.action)
      .sort();
    expect(policy.Statement[0]!.Action).toEqual(needed);
  });

  it('has a row for every verify check id', async () => {
    const { CHECKS } = await import('../src/index.js');
    for (const id of ['stacks', ...CHECKS.map((check) => check.id)]) {
      expect(checksPage).toMatch(new RegExp(`\\| \`${id}\` +\\|`));
    }
  });
});
