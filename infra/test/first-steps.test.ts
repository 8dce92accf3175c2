import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const operatorGuide = readFileSync(new URL('../docs/operating.md', import.meta.url), 'utf8');

/** The shell block of the operator guide's "Bootstrap and deploy" section. */
function bootstrapCommands(): string[] {
  const section = operatorGuide.slice(operatorGuide.indexOf('## Bootstrap and deploy'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
}

describe('a brand-new account', () => {
  it('creates the ECS service-linked role in the first steps, before the first cdk deploy', () => {
    const commands = bootstrapCommands();
    const createRole = commands.findIndex((line) =>
      line.includes('aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com'),
    );
    const firstDeploy = commands.findIndex((line) => line.includes('cdk deploy'));
    expect(createRole).toBeGreaterThanOrEqual(0);
    expect(firstDeploy).toBeGreaterThan(createRole);
    // Only when it is missing: create-service-linked-role fails where it exists.
    expect(commands[createRole]).toMatch(
      /^aws iam get-role --role-name AWSServiceRoleForECS .*\|\| aws iam create-service-linked-role/,
    );
  });

  // That the stacks do not create it is checked on the composed app (app.test.ts).
});
