import { ECS_HOOK_NAMES } from '../../models/appspec.js';
import { closest } from '../../private/suggest.js';
import { hookEntries } from '../../access/appspec.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { ecsAppSpecOnly } from './resource-type.js';

export const appspecHookName = documentRule(
  {
    id: 'APPSPEC_HOOK_NAME',
    kind: 'appspec',
    requires: ecsAppSpecOnly,
    messages: {
      notOneKey: 'each hook is a map with one key, e.g. "- AfterAllowTestTraffic: my-smoke-test"',
      unknown: '"{{hook}}" is not an ECS hook; use one of {{hooks}}',
      misspelt: '"{{hook}}" is not an ECS hook; did you mean {{close}}? use one of {{hooks}}',
    },
    severity: 'error',
    summary: `Each Hooks entry is a one-key map whose key is an ECS hook (${ECS_HOOK_NAMES.join(', ')}).`,
    why: 'CodeDeploy rejects the deployment when a hook name is not an ECS lifecycle event, so a misspelt smoke test never runs.',
    reference:
      'https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#appspec-hooks-ecs',
  },
  (document) => {
    const hits: RuleHit[] = [];
    for (const hook of hookEntries(document) ?? []) {
      if (hook.fields === undefined || Object.keys(hook.fields).length !== 1) {
        hits.push({
          path: hook.path,
          messageId: 'notOneKey',
        });
        continue;
      }
      const [name] = Object.keys(hook.fields) as [string];
      if (!(ECS_HOOK_NAMES as readonly string[]).includes(name)) {
        const close = closest(name, ECS_HOOK_NAMES);
        hits.push({
          path: [...hook.path, name],
          at: 'key',
          messageId: close ? 'misspelt' : 'unknown',
          data: { hook: name, ...(close && { close }), hooks: ECS_HOOK_NAMES.join(', ') },
        });
      }
    }
    return hits;
  },
);
