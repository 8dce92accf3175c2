/** The package's version (a test keeps it equal to package.json's). */
export const VERSION = '1.0.0';

/** The package's name, as `npx` runs it. */
export const NAME = 'ecs-release-lint';

/**
 * Where a rule's documentation is: docs/rules.md of this version as published on npm, with
 * the rule's heading anchor (the rule id in lower case).
 */
export function ruleHelpUri(ruleId: string): string {
  return `https://unpkg.com/${NAME}@${VERSION}/docs/rules.md#${ruleId.toLowerCase()}`;
}
