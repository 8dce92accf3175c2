import { isRecord } from '../core/rule.js';

/**
 * The AppSpec keys in their documented case. CodeDeploy's ECS AppSpec
 * reference shows the structure both as `Resources`/`Hooks` and as
 * `resources`/`hooks`, and aws-actions/amazon-ecs-deploy-task-definition
 * looks every key up ignoring case, so a key in another case is the same key.
 *
 * @see https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure.html
 */
const APPSPEC_KEYS = [
  'version',
  'Resources',
  'Hooks',
  'TargetService',
  'Type',
  'Properties',
  'TaskDefinition',
  'LoadBalancerInfo',
  'ContainerName',
  'ContainerPort',
  'PlatformVersion',
  'NetworkConfiguration',
  'AwsvpcConfiguration',
  'Subnets',
  'SecurityGroups',
  'AssignPublicIp',
  'CapacityProviderStrategy',
  'CapacityProvider',
  'Base',
  'Weight',
] as const;

const BY_LOWER_CASE = new Map<string, string>(APPSPEC_KEYS.map((key) => [key.toLowerCase(), key]));

/** Map keys of an ECS AppSpec renamed to their documented case; hook names are left as written. */
export function normalizeAppSpec(value: unknown, insideHooks = false): unknown {
  if (Array.isArray(value)) return value.map((item) => normalizeAppSpec(item, insideHooks));
  if (!isRecord(value) || insideHooks) return value;
  const normalized: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const name = BY_LOWER_CASE.get(key.toLowerCase()) ?? key;
    // A key given twice in different cases keeps the documented one.
    if (name in normalized && name !== key) continue;
    normalized[name] = normalizeAppSpec(item, name === 'Hooks');
  }
  return normalized;
}
