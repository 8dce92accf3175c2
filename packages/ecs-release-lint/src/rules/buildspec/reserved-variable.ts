import { variableSections } from '../../access/buildspec.js';
import { documentRule, type RuleHit } from '../../core/rule.js';

export const buildspecReservedVariable = documentRule(
  {
    id: 'BUILDSPEC_RESERVED_VARIABLE',
    kind: 'buildspec',
    severity: 'error',
    messages: {
      reserved:
        '"{{name}}" starts with CODEBUILD_, which CodeBuild reserves for its own variables; rename it',
    },
    summary:
      'No variable in env.variables, env.parameter-store or env.secrets-manager starts with CODEBUILD_ (reserved).',
    why: 'CodeBuild reserves the CODEBUILD_ prefix for its own variables and refuses to start a build that sets one.',
    reference: 'https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html',
  },
  (document) => {
    const hits: RuleHit[] = [];
    // environment_variables.plaintext is the version 0.1 name of env.variables.
    const sections = [
      ['env', 'variables'],
      ['env', 'parameter-store'],
      ['env', 'secrets-manager'],
      ['environment_variables', 'plaintext'],
    ] as const;
    for (const variables of variableSections(document, sections)) {
      for (const name of Object.keys(variables.fields)) {
        if (name.toUpperCase().startsWith('CODEBUILD_')) {
          hits.push({
            path: [...variables.path, name],
            at: 'key',
            messageId: 'reserved',
            data: { name },
          });
        }
      }
    }
    return hits;
  },
);
