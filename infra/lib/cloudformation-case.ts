/**
 * The ECS API's camelCase shape (RegisterTaskDefinition input, what
 * deploy-specs renders) as CloudFormation's PascalCase properties
 * (AWS::ECS::TaskDefinition). Keys of free-form maps, such as the log
 * driver's `options` ("awslogs-group"), stay as they are.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-taskdefinition.html
 */

const FREE_FORM_MAPS = new Set(['options', 'dockerLabels']);

function pascal(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

function convert(value: unknown, keepKeys: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => convert(item, false));
  if (value === null || typeof value !== 'object') return value;
  // CDK tokens (Lazy, Reference) are objects too; leave them to CDK.
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, member]) => [
      keepKeys ? key : pascal(key),
      convert(member, FREE_FORM_MAPS.has(key)),
    ]),
  );
}

/** One document's top-level properties, converted. */
export function cloudFormationProperties(document: object): Record<string, unknown> {
  return convert(document, false) as Record<string, unknown>;
}
