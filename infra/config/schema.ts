import { z } from 'zod';
import {
  CODEBUILD_ACTION_MAX_MINUTES,
  DEPLOYMENT_CONTROLLERS,
  nativeDeploymentOf,
  nativeDeploymentProblems,
  shipTimeoutMinutes,
} from './ecs-deployment.js';
import { showValue, valueAt } from './field-value.js';

/**
 * The configuration of one environment: what a Terraform
 * `variables.tfvars` held in the setup this project replaces (infra/docs/configuration.md). Everything the delivery definition already says
 * (container port, health route, task size, log retention, build image…)
 * is NOT repeated here: it comes from `@webapp-color/deploy-specs`.
 */

const name = (what: string, max: number) =>
  z
    .string()
    .regex(
      new RegExp(`^[a-z][a-z0-9-]{0,${max - 1}}$`),
      `${what} must be lowercase letters, digits and '-', start with a letter, at most ${max} characters`,
    );

const dnsName = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be a lowercase DNS name such as myapp.example.com (no trailing dot)',
  );

const cidr = z
  .string()
  .regex(
    /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/,
    'must be an IPv4 CIDR such as 10.1.0.0/16',
  )
  .refine(
    (value) =>
      value
        .split(/[./]/)
        .slice(0, 4)
        .every((octet) => Number(octet) <= 255),
    {
      message: 'every octet must be between 0 and 255',
    },
  )
  .refine(
    (value) => {
      const prefix = Number(value.split('/')[1]);
      return prefix >= 16 && prefix <= 22;
    },
    {
      message:
        'the prefix length must be between /16 and /22 (room for public and private subnets per AZ)',
    },
  );

const int = (min: number, max: number) => z.number().int().min(min).max(max);

const lambdaName = z
  .string()
  .regex(
    /^[A-Za-z0-9_-]{1,64}$/,
    'must be a Lambda function name: letters, digits, hyphens and underscores, at most 64 characters',
  );

const deploymentStrategy = z.discriminatedUnion('type', [
  z.object({ type: z.literal('all-at-once') }).strict(),
  z
    .object({
      type: z.literal('canary'),
      /** Percent of traffic shifted first. */
      percent: int(1, 99),
      /** Minutes before the rest is shifted. */
      intervalMinutes: int(1, 2880),
    })
    .strict(),
  z
    .object({
      type: z.literal('linear'),
      /** Percent of traffic shifted at each step. */
      percent: int(1, 99),
      /** Minutes between steps. */
      intervalMinutes: int(1, 2880),
    })
    .strict(),
]);

/**
 * ECS lifecycle stages a PAUSE hook may stop a deployment at: the stages
 * after which ECS waits for ContinueServiceDeployment (pause-lifecycle-hooks).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html
 */
export const PAUSE_STAGES = [
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
] as const;

/**
 * A CodePipeline DeploymentWindow cron: 6 fields and an optional year
 * (seconds, minutes, hours, day-of-month, month, day-of-week[, year]).
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-DeploymentWindow.html
 */
const windowCron = z
  .string()
  .refine((value) => [6, 7].includes(value.trim().split(/\s+/).length), {
    message:
      'must be a CodePipeline DeploymentWindow cron of 6 fields and an optional year (seconds minutes hours day-of-month month day-of-week [year]), e.g. "* * 9-16 ? * MON-FRI"',
  })
  .refine((value) => /^[0-9A-Za-z*?,/#\-\s]+$/.test(value), {
    message: 'may only hold digits, names (JAN, MON…), spaces and the characters * ? , - / L W #',
  });

const timeZone = z.string().refine(
  (value) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as Europe/Paris or UTC' },
);

export const infraConfigSchema = z
  .object({
    /** Name prefix shared by every environment (`myproject` in the example). */
    prefix: name('prefix', 20),
    /** Environment name (`staging` in the example); stacks are `<prefix>-<environment>-…`. */
    environment: name('environment', 12),
    /** The AWS region (no account: the stacks stay account-agnostic, so synth needs no credentials). */
    region: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region code such as us-east-2'),
    /**
     * The AWS account the environment lives in. Set only where the pipeline
     * deploys across accounts (infra/docs/environments.md); @default the
     * account of the credentials (account-agnostic stacks).
     */
    account: z
      .string()
      .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
      .optional(),
    /**
     * Promotion: the environment is deployed by the pipeline of `from`, after
     * `from`'s deployment and the gates (approval, staging's alarms, the
     * window). Without it the environment has its own pipeline (Source →
     * Build → Deploy).
     */
    promotion: z
      .object({
        /** The registered environment whose pipeline deploys this one. */
        from: name('promotion.from', 12),
        approval: z
          .object({
            /**
             * Minutes the manual approval waits before it fails the run.
             * CodePipeline: 5 to 86400 for a manual approval (action timeout).
             * @default 10080 (7 days, CodePipeline's default)
             */
            timeoutMinutes: int(5, 86_400).default(10_080),
          })
          .strict()
          .prefault({}),
        /** A deployment window: the stage is entered only inside it (rule DeploymentWindow). */
        window: z
          .object({
            cron: windowCron,
            /** @default 'UTC' */
            timeZone: timeZone.default('UTC'),
            /**
             * How long each opening of the window lasts, minutes; said in the
             * approval message and used by the rehearsal. The rule itself
             * reads only Cron and TimeZone (its cron marks the allowed minutes).
             */
            durationMinutes: int(1, 10_080),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    network: z
      .object({
        /**
         * Availability zones used by the VPC. Only 2 today: the stacks are
         * account-agnostic, and CDK spreads such a VPC over the first two
         * zones of Fn::GetAZs whatever maxAzs asks (see the refinement
         * below). Fixed once the service exists (ServiceShapeGuard).
         * @default 2
         */
        azCount: int(2, 3).default(2),
        /** VPC CIDR. @default 10.1.0.0/16 */
        vpcCidr: cidr.default('10.1.0.0/16'),
        /** One NAT gateway (cheaper) or one per AZ (survives an AZ outage). @default 'single' */
        natGateways: z.enum(['single', 'per-az']).default('single'),
        /** Days the VPC flow logs are kept. @default 30 */
        flowLogRetentionDays: int(1, 3653).default(30),
      })
      .strict()
      .prefault({}),
    site: z
      .object({
        /** The site's host name; must be inside the hosted zone. */
        domainName: dnsName,
        /** The Route 53 hosted-zone id, given explicitly (no lookup). */
        hostedZoneId: z
          .string()
          .regex(
            /^Z[A-Z0-9]{4,31}$/,
            'must be a Route 53 hosted-zone id such as Z0123456789EXAMPLE',
          ),
        /** The hosted zone's name, given explicitly (no lookup). */
        hostedZoneName: dnsName,
      })
      .strict(),
    source: z
      .object({
        /** GitHub owner (user or organisation). */
        owner: z
          .string()
          .regex(
            /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/,
            'must be a GitHub user or organisation name',
          ),
        /** GitHub repository name. */
        repo: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be a GitHub repository name'),
        /** The branch whose pushes release. @default 'master' */
        branch: z.string().min(1).default('master'),
        /**
         * An existing, AVAILABLE connection to reuse; omit it to create one
         * (PENDING until the console handshake).
         */
        connectionArn: z
          .string()
          .regex(
            /^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/,
            'must be a CodeConnections/CodeStar connection ARN (arn:aws:codeconnections:<region>:<account>:connection/<uuid>)',
          )
          .optional(),
      })
      .strict(),
    service: z
      .object({
        /**
         * Autoscaling floor. The service resource carries no count (see
         * lib/constructs/service.ts): CloudFormation creates it with 1 task
         * (aws-cdk#13130) and autoscaling holds it between minCount and maxCount.
         * @default 2
         */
        minCount: int(1, 100).default(2),
        /** Autoscaling ceiling. @default 5 */
        maxCount: int(1, 100).default(5),
        /** Target-tracking CPU utilisation, percent. @default 50 */
        cpuTargetPercent: int(10, 90).default(50),
        /** Target-tracking requests per task per minute. @default 1000 */
        requestsPerTargetPerMinute: int(10, 100_000).default(1000),
      })
      .strict()
      .prefault({}),
    loadBalancer: z
      .object({
        /** Port of the test listener (reachable only from the smoke test, inside the VPC). @default 9000 */
        testListenerPort: int(1024, 65535).default(9000),
        /** Target-group health check, tuned to pass quickly. */
        healthCheck: z
          .object({
            /** @default 10 */
            intervalSeconds: int(5, 300).default(10),
            /** Must be shorter than the interval. @default 5 */
            timeoutSeconds: int(2, 120).default(5),
            /** @default 2 */
            healthyThreshold: int(2, 10).default(2),
            /** @default 2 */
            unhealthyThreshold: int(2, 10).default(2),
          })
          .strict()
          .prefault({}),
        /** Days the ALB access logs are kept. @default 90 */
        accessLogRetentionDays: int(1, 3650).default(90),
      })
      .strict()
      .prefault({}),
    deployment: z
      .object({
        /**
         * What drives a release: CodeDeploy (a deployment group; hooks report
         * to CodeDeploy; listeners move) or ECS itself (the service's
         * deployment controller ECS; hooks return their status; listener
         * rules move). See docs/ecs-native.md for when to pick which.
         * @default 'codedeploy'
         */
        controller: z.enum(DEPLOYMENT_CONTROLLERS).default('codedeploy'),
        /**
         * How production traffic shifts. CodeDeploy: its deployment config;
         * ECS: strategy BLUE_GREEN (all at once), CANARY or LINEAR
         * (config/ecs-deployment.ts). @default all at once
         */
        strategy: deploymentStrategy.default({ type: 'all-at-once' }),
        /**
         * Minutes the original (blue) tasks are kept after production moved.
         * CodeDeploy: the termination wait (at most 2880); ECS: the bake time,
         * during which an alarm still rolls back (at most 1440). @default 5
         */
        terminationWaitMinutes: int(0, 2880).default(5),
        /**
         * `ecs` only: a PAUSE lifecycle hook. The deployment stops at `stage`
         * until ContinueServiceDeployment (CONTINUE or ROLLBACK), or until
         * `timeoutMinutes`, when ECS takes `onTimeout`.
         * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html
         */
        pause: z
          .object({
            stage: z.enum(PAUSE_STAGES),
            /** DeploymentLifecycleHookTimeoutConfiguration.timeoutInMinutes: 1–20160. */
            timeoutMinutes: int(1, 20_160),
            onTimeout: z.enum(['CONTINUE', 'ROLLBACK']),
          })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    alarms: z
      .object({
        /** Load balancer 5xx responses (its own, not the targets') per minute that roll a deployment back. @default 5 */
        loadBalancer5xxPerMinute: int(1, 100_000).default(5),
        /** Target 5xx responses per minute that roll a deployment back. @default 5 */
        target5xxPerMinute: int(1, 100_000).default(5),
        /** Unhealthy targets that roll a deployment back. @default 1 */
        unhealthyHosts: int(1, 100).default(1),
        /** p95 target response time, seconds, that rolls a deployment back. @default 2 */
        p95LatencySeconds: z.number().positive().max(60).default(2),
        /** Consecutive one-minute periods in breach before the alarm fires. @default 2 */
        evaluationPeriods: int(1, 10).default(2),
      })
      .strict()
      .prefault({}),
    retention: z
      .object({
        /** Days pipeline artifacts are kept. @default 30 */
        artifactDays: int(1, 3650).default(30),
        /** Images kept in ECR (newest first). @default 30 */
        imagesKept: int(5, 1000).default(30),
        /** Days untagged images (old cache layers) are kept. @default 7 */
        untaggedImageDays: int(1, 365).default(7),
      })
      .strict()
      .prefault({}),
    smokeTest: z
      .object({
        /** Fail the hook when the release's task definition has no APP_VERSION. @default true */
        requireVersion: z.boolean().default(true),
        /** Page route checked besides the health route. @default '/' */
        pagePath: z.string().regex(/^\//, "must start with '/'").default('/'),
        /** Version route. @default '/version' */
        versionPath: z.string().regex(/^\//, "must start with '/'").default('/version'),
        /**
         * The hook functions' fixed names. Every release's AppSpec names them,
         * so they must outlive any `cdk deploy`; change one only between releases.
         * @default `<prefix>-<environment>-after-allow-test-traffic` and `…-after-allow-traffic`
         */
        functionNames: z
          .object({
            afterAllowTestTraffic: lambdaName.optional(),
            afterAllowTraffic: lambdaName.optional(),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    notifications: z
      .object({
        /**
         * An address subscribed to the release notifications (pipeline
         * failed, deployment failed or rolled back). @default none: the
         * topic exists and can be subscribed to later.
         */
        email: z
          .string()
          .regex(
            /^[^@\s]+@[^@\s]+\.[a-z]{2,63}$/i,
            'must be an email address such as ops@example.com',
          )
          .optional(),
      })
      .strict()
      .prefault({}),
    /** Tags on every resource (for example Owner and Env). */
    tags: z.record(z.string(), z.string()).default({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const { minCount, maxCount } = config.service;
    if (minCount > maxCount) {
      ctx.addIssue({
        code: 'custom',
        path: ['service', 'minCount'],
        message: `must be at most service.maxCount (${maxCount})`,
      });
    }
    if (config.network.azCount === 3) {
      ctx.addIssue({
        code: 'custom',
        path: ['network', 'azCount'],
        message:
          'must be 2: the stacks are account-agnostic (synth needs no credentials or lookups), and CDK spreads an account-agnostic VPC over two availability zones (Fn::GetAZs), so 3 would silently give 2',
      });
    }
    const { intervalSeconds, timeoutSeconds } = config.loadBalancer.healthCheck;
    if (timeoutSeconds >= intervalSeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['loadBalancer', 'healthCheck', 'timeoutSeconds'],
        message: `must be shorter than loadBalancer.healthCheck.intervalSeconds (${intervalSeconds})`,
      });
    }
    if ([80, 443].includes(config.loadBalancer.testListenerPort)) {
      ctx.addIssue({
        code: 'custom',
        path: ['loadBalancer', 'testListenerPort'],
        message: 'must differ from the production ports 80 and 443',
      });
    }
    const { domainName, hostedZoneName } = config.site;
    if (domainName !== hostedZoneName && !domainName.endsWith(`.${hostedZoneName}`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['site', 'domainName'],
        message: `must be inside the hosted zone site.hostedZoneName (${hostedZoneName}), e.g. myapp.${hostedZoneName}`,
      });
    }
    const { afterAllowTestTraffic, afterAllowTraffic } = config.smokeTest.functionNames;
    if (afterAllowTestTraffic !== undefined && afterAllowTestTraffic === afterAllowTraffic) {
      ctx.addIssue({
        code: 'custom',
        path: ['smokeTest', 'functionNames', 'afterAllowTraffic'],
        message:
          'must differ from smokeTest.functionNames.afterAllowTestTraffic: CodeDeploy tells a hook nothing about which lifecycle event called it',
      });
    }
    if (config.deployment.pause !== undefined && config.deployment.controller !== 'ecs') {
      ctx.addIssue({
        code: 'custom',
        path: ['deployment', 'pause'],
        message:
          "needs deployment.controller 'ecs': a PAUSE lifecycle hook is ECS's own blue/green (CodeDeploy has no pause)",
      });
    }
    if (config.promotion?.from === config.environment) {
      ctx.addIssue({
        code: 'custom',
        path: ['promotion', 'from'],
        message: 'must name another environment, not this one',
      });
    }
    if (config.deployment.controller === 'ecs') {
      const { strategy, terminationWaitMinutes } = config.deployment;
      const problems = nativeDeploymentProblems(strategy, terminationWaitMinutes);
      for (const problem of problems) {
        ctx.addIssue({ code: 'custom', path: [...problem.path], message: problem.message });
      }
      const { pause } = config.deployment;
      if (problems.length === 0 && pause !== undefined) {
        const timeout =
          shipTimeoutMinutes(nativeDeploymentOf(strategy, terminationWaitMinutes)) +
          pause.timeoutMinutes;
        if (timeout > CODEBUILD_ACTION_MAX_MINUTES) {
          ctx.addIssue({
            code: 'custom',
            path: ['deployment', 'pause', 'timeoutMinutes'],
            message: `the pipeline's Deploy action waits through the pause: ${timeout - pause.timeoutMinutes} minutes of deployment and margin + ${pause.timeoutMinutes} of pause = ${timeout}, over the ${CODEBUILD_ACTION_MAX_MINUTES} (8 hours) a CodeBuild action may run; at most ${CODEBUILD_ACTION_MAX_MINUTES - (timeout - pause.timeoutMinutes)}`,
          });
        }
      }
    }
    const connectionRegion = /^arn:[^:]+:[^:]+:([^:]+):/.exec(
      config.source.connectionArn ?? '',
    )?.[1];
    if (connectionRegion !== undefined && connectionRegion !== config.region) {
      ctx.addIssue({
        code: 'custom',
        path: ['source', 'connectionArn'],
        message: `must be a connection in the stacks' region (${config.region})`,
      });
    }
  })
  .transform((config) => {
    const namePrefix = `${config.prefix}-${config.environment}`;
    const { functionNames } = config.smokeTest;
    return {
      ...config,
      smokeTest: {
        ...config.smokeTest,
        functionNames: {
          afterAllowTestTraffic:
            functionNames.afterAllowTestTraffic ?? `${namePrefix}-after-allow-test-traffic`,
          afterAllowTraffic: functionNames.afterAllowTraffic ?? `${namePrefix}-after-allow-traffic`,
        },
      },
    };
  });

/** What a config file writes (defaults may be left out). */
export type InfraConfigInput = z.input<typeof infraConfigSchema>;
/** The validated configuration with every default filled in. */
export type InfraConfig = z.output<typeof infraConfigSchema>;
export type DeploymentStrategy = InfraConfig['deployment']['strategy'];
export type DeploymentController = InfraConfig['deployment']['controller'];

/** Thrown when a configuration does not validate; the message lists every problem. */
export class InfraConfigError extends Error {
  constructor(
    readonly configName: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Invalid infra configuration "${configName}":\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'InfraConfigError';
  }
}

/**
 * Validate a configuration; throws {@link InfraConfigError} naming each
 * field, the value it has and what is allowed.
 */
export function parseInfraConfig(configName: string, input: unknown): InfraConfig {
  const result = infraConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const path = [...issue.path, key];
        return `${path.map(String).join('.')} = ${showValue(valueAt(input, path))}: unknown field; remove it or fix its spelling`;
      });
    }
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return [`${field} = ${showValue(valueAt(input, issue.path))}: ${issue.message}`];
  });
  throw new InfraConfigError(configName, problems);
}
