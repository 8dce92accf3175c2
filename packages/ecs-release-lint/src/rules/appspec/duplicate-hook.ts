import { hookEntries } from '../../access/appspec.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { ecsAppSpecOnly } from './resource-type.js';

export const appspecDuplicateHook = documentRule(
  {
    id: 'APPSPEC_DUPLICATE_HOOK',
    kind: 'appspec',
    requires: ecsAppSpecOnly,
    messages: {
      twice: 'the {{hook}} hook is listed twice; keep one (CodeDeploy runs one function per hook)',
    },
    severity: 'error',
    summary: 'Each hook name appears at most once in Hooks.',
    why: 'CodeDeploy runs one Lambda function per lifecycle event; a second entry for the same event is an error or silently replaces the first.',
    reference:
      'https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#appspec-hooks-ecs',
  },
  (document) => {
    const seen = new Set<string>();
    const hits: RuleHit[] = [];
    for (const hook of hookEntries(document) ?? []) {
      for (const name of Object.keys(hook.fields ?? {})) {
        if (seen.has(name)) {
          hits.push({
            path: [...hook.path, name],
            at: 'key',
            messageId: 'twice',
            data: { hook: name },
          });
        }
        seen.add(name);
      }
    }
    return hits;
  },
);
