import { ECS_HOOK_NAMES } from '../../models/appspec.js';
import { closest } from '../../private/suggest.js';
import { documentRule, isRecord, type RuleHit } from '../../core/rule.js';

export const appspecHookName = documentRule(
  {
    id: 'APPSPEC_HOOK_NAME',
    kind: 'appspec',
    severity: 'error',
    summary: `Each Hooks entry is a one-key map whose key is an ECS hook (${ECS_HOOK_NAMES.join(', ')}).`,
    why: 'CodeDeploy rejects the deployment when a hook name is not an ECS lifecycle event, so a misspelt smoke test never runs.',
    reference:
      'https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#appspec-hooks-ecs',
  },
  (document) => {
    if (!isRecord(document) || !Array.isArray(document.Hooks)) return [];
    const hits: RuleHit[] = [];
    for (const [index, hook] of document.Hooks.entries()) {
      if (!isRecord(hook) || Object.keys(hook).length !== 1) {
        hits.push({
          path: ['Hooks', index],
          message: 'each hook is a map with one key, e.g. "- AfterAllowTestTraffic: my-smoke-test"',
        });
        continue;
      }
      const [name] = Object.keys(hook) as [string];
      if (!(ECS_HOOK_NAMES as readonly string[]).includes(name)) {
        const close = closest(name, ECS_HOOK_NAMES);
        hits.push({
          path: ['Hooks', index, name],
          at: 'key',
          message: `"${name}" is not an ECS hook; ${close ? `did you mean ${close}? ` : ''}use one of ${ECS_HOOK_NAMES.join(', ')}`,
        });
      }
    }
    return hits;
  },
);
