import { DeliveryDefinitionSchema } from '@webapp-color/deploy-specs';
import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { showValue, valueAt } from '../config/field-value.js';

/** Thrown when the delivery definition does not validate; names each field, its value and the rule. */
export class DeliveryDefinitionError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid delivery definition:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'DeliveryDefinitionError';
  }
}

/**
 * Validate the delivery definition once, where the CDK app receives it,
 * with deploy-specs' own schema (Fargate sizes, ECS limits, names); the
 * constructs then trust their typed props.
 */
export function validateDeliveryDefinition(definition: DeliveryDefinition): DeliveryDefinition {
  const result = DeliveryDefinitionSchema.safeParse(definition);
  if (result.success) return definition;
  throw new DeliveryDefinitionError(
    result.error.issues.map((issue) => {
      const field = issue.path.map(String).join('.') || '(root)';
      return `${field} = ${showValue(valueAt(definition, issue.path))}: ${issue.message}`;
    }),
  );
}
