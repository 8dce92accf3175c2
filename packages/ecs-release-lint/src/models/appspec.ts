import * as z from 'zod';

/** The five lifecycle hooks an ECS deployment runs, in the order CodeDeploy runs them. */
export const ECS_HOOK_NAMES = [
  'BeforeInstall',
  'AfterInstall',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
] as const;

export type EcsHookName = (typeof ECS_HOOK_NAMES)[number];

const APPSPEC_DOCS =
  'https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-resources.html#reference-appspec-file-structure-resources-ecs';

export const AwsvpcConfigurationSchema = z
  .strictObject({
    Subnets: z
      .array(z.string().min(1))
      .min(1)
      .max(16)
      .describe('Subnet ids of the replacement task set (1 to 16).'),
    SecurityGroups: z
      .array(z.string().min(1))
      .max(5)
      .describe('Security group ids of the replacement task set (up to 5).'),
    AssignPublicIp: z
      .enum(['ENABLED', 'DISABLED'])
      .describe('Whether the replacement tasks get a public IP: ENABLED or DISABLED.'),
  })
  .describe(
    "The awsvpc network settings of the replacement task set: all three or none (then CodeDeploy keeps the service's).",
  );

export const NetworkConfigurationSchema = z
  .strictObject({
    AwsvpcConfiguration: AwsvpcConfigurationSchema.describe(
      'The awsvpc network settings of the replacement task set.',
    ),
  })
  .describe(
    "Network settings of the replacement task set; when absent, the service's own network configuration is used.",
  );

export const CapacityProviderStrategyItemSchema = z
  .strictObject({
    CapacityProvider: z
      .string()
      .min(1)
      .describe('The capacity provider name, e.g. FARGATE or FARGATE_SPOT.'),
    Base: z
      .number()
      .int()
      .min(0)
      .max(100000)
      .optional()
      .describe('Tasks that run on this provider before the weights apply (0 to 100000).'),
    Weight: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .optional()
      .describe('Relative share of tasks placed on this provider (0 to 1000).'),
  })
  .describe('One capacity provider of the replacement task set.');

export const LoadBalancerInfoSchema = z
  .strictObject({
    ContainerName: z
      .string()
      .min(1)
      .describe('The container of the task definition that receives load balancer traffic.'),
    ContainerPort: z
      .union([z.number().int().min(1).max(65535), z.string().regex(/^\d{1,5}$/)])
      .describe(
        'The port of that container that receives traffic; a number (a quoted number deploys, and is warned about).',
      ),
  })
  .describe('Which container and port the load balancer sends traffic to.');

export const TargetServicePropertiesSchema = z
  .strictObject({
    TaskDefinition: z
      .string()
      .min(1)
      .describe(
        'The task definition ARN of the replacement task set; CodePipeline fills the <TASK_DEFINITION> placeholder.',
      ),
    LoadBalancerInfo: LoadBalancerInfoSchema,
    PlatformVersion: z
      .string()
      .min(1)
      .optional()
      .describe('Fargate platform version of the replacement tasks, e.g. LATEST or 1.4.0.'),
    NetworkConfiguration: NetworkConfigurationSchema.optional(),
    CapacityProviderStrategy: z
      .array(CapacityProviderStrategyItemSchema)
      .min(1)
      .max(20)
      .optional()
      .describe('Capacity providers of the replacement task set.'),
  })
  .describe('The properties of the ECS service being deployed.');

export const TargetServiceSchema = z
  .strictObject({
    Type: z
      .literal('AWS::ECS::Service')
      .describe('Always AWS::ECS::Service for an ECS deployment.'),
    Properties: TargetServicePropertiesSchema,
  })
  .describe('The ECS service being deployed.');

export const AppSpecResourceSchema = z
  .strictObject({
    TargetService: TargetServiceSchema,
  })
  .describe('A resource of the deployment: the TargetService.');

function hookEntry<const N extends EcsHookName>(name: N) {
  const shape = {
    [name]: z
      .string()
      .min(1)
      .describe(
        `Lambda function name or ARN run at ${name}; it must call PutLifecycleEventHookExecutionStatus within one hour.`,
      ),
  } as { [K in N]: z.ZodString };
  return z.strictObject(shape).describe(`The ${name} hook.`);
}

/** One hook entry: a one-key map from an ECS hook name to a Lambda function name or ARN. */
export const AppSpecHookSchema = z
  .union([
    hookEntry('BeforeInstall'),
    hookEntry('AfterInstall'),
    hookEntry('AfterAllowTestTraffic'),
    hookEntry('BeforeAllowTraffic'),
    hookEntry('AfterAllowTraffic'),
  ])
  .describe('A one-key map from an ECS hook name to the Lambda function that runs at that hook.');

/**
 * An ECS AppSpec file as CodeDeploy reads it (YAML or JSON).
 *
 * @see https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-resources.html
 */
export const AppSpecSchema = z
  .strictObject({
    version: z
      .union([z.number(), z.string()])
      .optional()
      .describe(
        'The AppSpec version; 0.0 is the only documented value (YAML reads an unquoted 0.0 as the number 0).',
      ),
    Resources: z
      .array(AppSpecResourceSchema)
      .length(1)
      .describe('Exactly one TargetService of Type AWS::ECS::Service.'),
    Hooks: z
      .array(AppSpecHookSchema)
      .nullable()
      .optional()
      .describe(
        'Lambda functions run at lifecycle events, at most one per hook name (a key whose entries are all commented out reads as null: no hooks).',
      ),
  })
  .describe(`ECS AppSpec file (CodeDeploy). See ${APPSPEC_DOCS}`);

export type AppSpec = z.infer<typeof AppSpecSchema>;
export type AppSpecHook = z.infer<typeof AppSpecHookSchema>;
export type TargetServiceProperties = z.infer<typeof TargetServicePropertiesSchema>;
