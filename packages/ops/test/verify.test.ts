import { startAwsStandIn, type AwsStandIn, type AwsWorld } from '@webapp-color/aws-local';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ARNS, NAMES, healthyWorld, productionListener } from './world.js';
import { useStandIn, runCli } from './support.js';

let aws: AwsStandIn;
beforeAll(async () => {
  aws = await startAwsStandIn(healthyWorld());
  useStandIn(aws);
});
afterAll(() => aws.close());
beforeEach(() => {
  Object.assign(aws.world, healthyWorld());
});

describe('verify', () => {
  it('passes every check on a healthy environment, one ✓ line each, exit 0', async () => {
    const { code, stdout, stderr } = await runCli(['verify', '--env', 'staging']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.slice(0, -1).every((line) => line.startsWith('✓ '))).toBe(true);
    expect(lines).toEqual([
      '✓ stacks deployed: myproject-staging-stateful UPDATE_COMPLETE, myproject-staging-app UPDATE_COMPLETE',
      '✓ source connection AVAILABLE: myproject-staging-github is AVAILABLE',
      '✓ certificate ISSUED: staging.myapp.example.com: ISSUED',
      '✓ DNS alias points at the load balancer: staging.myapp.example.com → mypro-edgel-1a2b3c4d5e6f-1234567890.us-east-2.elb.amazonaws.com',
      '✓ listeners in the shape the live-traffic guard expects: 443 → mypro-EdgeB-1AAAAAAAAAAA, 9000 → mypro-EdgeB-1AAAAAAAAAAA',
      `✓ no deployment stuck: none unfinished in ${NAMES.application}/${NAMES.group}`,
      `✓ ECS service stable at its counts: ${NAMES.service}: desired 2 (bounds 2..5), running 2, pending 0`,
      `✓ hook functions deployed with the expected settings: ${NAMES.testHook} (AfterAllowTestTraffic), ${NAMES.productionHook} (AfterAllowTraffic)`,
      expect.stringMatching(
        new RegExp(
          `^✓ ECR live and previous images present: ${NAMES.repository}: live sha256:[0-9a-f]{12}, previous sha256:[0-9a-f]{12}$`,
        ),
      ),
      '✓ rollback alarms present and not in ALARM: 4 alarms: 4 OK',
      '✓ notification subscriptions confirmed: 1 confirmed: ops@example.com',
      'staging: all 11 checks passed',
    ]);
    // Progress goes to stderr, so stdout stays the report.
    expect(stderr).toContain('verify staging: account 123456789012, us-east-2');
    expect(stderr).toContain('checking listeners in the shape the live-traffic guard expects…');
  });

  it('prints the results as JSON with --json', async () => {
    const { code, stdout } = await runCli(['verify', '--env', 'staging', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      ok: boolean;
      account: string;
      results: { id: string; ok: boolean }[];
    };
    expect(report.ok).toBe(true);
    expect(report.account).toBe('123456789012');
    expect(report.results.map((r) => r.id)).toEqual([
      'stacks',
      'connection-available',
      'certificate-issued',
      'dns-alias',
      'listeners',
      'no-stuck-deployment',
      'service-stable',
      'hook-functions',
      'release-images',
      'rollback-alarms',
      'topic-subscriptions',
    ]);
  });

  /** One broken state per item: only that line turns ✗, with what to do. */
  const broken: {
    id: string;
    title: string;
    breakIt: (world: AwsWorld) => void;
    detail: RegExp;
    fix: RegExp;
  }[] = [
    {
      id: 'connection-available',
      title: 'source connection AVAILABLE',
      breakIt: (w) => (w.connections![0]!.connectionStatus = 'PENDING'),
      detail: /myproject-staging-github is PENDING/,
      fix: /Update pending connection/,
    },
    {
      id: 'certificate-issued',
      title: 'certificate ISSUED',
      breakIt: (w) => (w.certificates![0]!.status = 'PENDING_VALIDATION'),
      detail: /PENDING_VALIDATION/,
      fix: /_3639ac514e785e898d2646601fa951d5\.staging\.myapp\.example\.com\. CNAME .*acm-validations\.aws\..* in hosted zone Z0123456789EXAMPLE/,
    },
    {
      id: 'dns-alias',
      title: 'DNS alias points at the load balancer',
      breakIt: (w) => {
        const record = w.hostedZones![0]!.records.find((r) => r.Type === 'A')!;
        record.AliasTarget = {
          HostedZoneId: 'Z35SXDOTRQ7X7K',
          DNSName: 'old-lb-123.us-east-1.elb.amazonaws.com.',
          EvaluateTargetHealth: false,
        };
      },
      detail: /alias of old-lb-123\.us-east-1\.elb\.amazonaws\.com\., not of the load balancer/,
      fix: /remove it and deploy/,
    },
    {
      id: 'dns-alias',
      title: 'DNS alias points at the load balancer',
      breakIt: (w) => {
        w.hostedZones![0]!.records = w.hostedZones![0]!.records.filter((r) => r.Type !== 'A');
      },
      detail: /no A record for staging\.myapp\.example\.com in hosted zone Z0123456789EXAMPLE/,
      fix: /site\.hostedZoneId/,
    },
    {
      id: 'listeners',
      title: 'listeners in the shape the live-traffic guard expects',
      breakIt: (w) => {
        // A canary deployment stopped half-way.
        w.loadBalancers![0]!.listeners[0] = productionListener([
          [ARNS.blue, 90],
          [ARNS.green, 10],
        ]);
      },
      detail:
        /production 443 forwards to mypro-EdgeB-1AAAAAAAAAAA \(90\) \+ mypro-EdgeG-2BBBBBBBBBBB \(10\)/,
      fix: /stop-deployment/,
    },
    {
      id: 'no-stuck-deployment',
      title: 'no deployment stuck',
      breakIt: (w) =>
        w.deployments.push({
          deploymentId: 'd-STUCK0001',
          applicationName: NAMES.application,
          deploymentGroupName: NAMES.group,
          status: 'InProgress',
          appSpecContent: 'version: 0.0',
          lifecycleEventHookExecutionIds: [],
          createTime: new Date(Date.now() - 3 * 3_600_000),
        }),
      // staging: all-at-once, 5 min termination wait: 30 + 2 × 5 + 0 + 5 = 45 min.
      detail:
        /d-STUCK0001 InProgress for 180 min \(a release of this configuration takes at most 45 min\)/,
      fix: /aws deploy stop-deployment --deployment-id d-STUCK0001 --auto-rollback-enabled --region us-east-2/,
    },
    {
      id: 'service-stable',
      title: 'ECS service stable at its counts',
      breakIt: (w) => {
        const set = w.services[0]!.taskSets[0]!;
        set.runningCount = 1;
        set.pendingCount = 1;
        set.stabilityStatus = 'STABILIZING';
      },
      detail: /running 1 of 2, 1 pending, PRIMARY task set STABILIZING/,
      fix: /aws ecs describe-services --cluster .* --query 'services\[0\]\.events\[:5\]'/,
    },
    {
      id: 'hook-functions',
      title: 'hook functions deployed with the expected settings',
      breakIt: (w) => {
        w.functions = w.functions!.filter((f) => f.FunctionName !== NAMES.testHook);
        w.functions[0]!.Environment!.Variables!.LISTENER_PORT = '8443';
      },
      detail: new RegExp(
        `${NAMES.testHook}: not found; ${NAMES.productionHook}: LISTENER_PORT=8443, expected 443`,
      ),
      fix: /cdk deploy --all -c env=staging/,
    },
    {
      id: 'release-images',
      title: 'ECR live and previous images present',
      breakIt: (w) => {
        for (const image of w.repositories![0]!.images)
          image.tags = image.tags.filter((t) => t !== 'previous');
      },
      detail: /no image tagged previous/,
      fix: /previous after the second/,
    },
    {
      id: 'rollback-alarms',
      title: 'rollback alarms present and not in ALARM',
      breakIt: (w) => {
        w.alarms![1]!.StateValue = 'ALARM';
        w.alarms![1]!.StateReason =
          'Threshold Crossed: 2 datapoints [7.0, 9.0] were greater than or equal to the threshold (5.0).';
        w.alarms!.pop();
      },
      detail: /LatencyAlarm-4D missing; .*Target5xxAlarm-2B in ALARM \(Threshold Crossed/,
      fix: /recreate the missing alarms/,
    },
    {
      id: 'topic-subscriptions',
      title: 'notification subscriptions confirmed',
      breakIt: (w) =>
        w.topics![0]!.subscriptions.push({
          protocol: 'email',
          endpoint: 'oncall@example.com',
          confirmed: false,
        }),
      detail: /email oncall@example\.com not confirmed/,
      fix: /aws sns subscribe --topic-arn .* --protocol email/,
    },
    {
      id: 'stacks',
      title: 'stacks deployed',
      breakIt: (w) => (w.stacks![1]!.stackStatus = 'UPDATE_ROLLBACK_FAILED'),
      detail: /myproject-staging-app is UPDATE_ROLLBACK_FAILED/,
      fix: /stack's events/,
    },
  ];

  it.each(broken)(
    'turns only "$title" ✗ with what to do ($detail), exit 1',
    async ({ id, breakIt, detail, fix }) => {
      breakIt(aws.world);
      const { code, stdout } = await runCli(['verify', '--env', 'staging', '--json']);
      expect(code).toBe(1);
      const report = JSON.parse(stdout) as {
        results: { id: string; ok: boolean; detail: string; fix?: string }[];
      };
      const failed = report.results.filter((r) => !r.ok);
      expect(failed.map((r) => r.id)).toEqual([id]);
      expect(failed[0]!.detail).toMatch(detail);
      expect(failed[0]!.fix).toMatch(fix);
    },
  );

  it('prints the ✗ line and the fix under it in text', async () => {
    aws.world.connections![0]!.connectionStatus = 'ERROR';
    const { code, stdout } = await runCli(['verify', '--env', 'staging']);
    expect(code).toBe(1);
    expect(stdout).toContain(
      '✗ source connection AVAILABLE: myproject-staging-github is ERROR\n    → the GitHub app lost access',
    );
    expect(stdout.trim().split('\n').at(-1)).toBe('staging: 1 of 11 checks failed');
  });

  it('stops after the stacks line when the app stack does not exist', async () => {
    aws.world.stacks = aws.world.stacks!.filter((s) => s.stackName !== NAMES.app);
    const { code, stdout } = await runCli(['verify', '--env', 'staging']);
    expect(code).toBe(1);
    expect(stdout).toBe(
      '✗ stacks deployed: myproject-staging-stateful UPDATE_COMPLETE, myproject-staging-app does not exist\n' +
        '    → pnpm exec cdk deploy --all -c env=staging (infra/docs/operating.md, Bootstrap and deploy)\n' +
        'staging: 1 of 1 checks failed\n',
    );
  });

  it('reports a read that fails as ✗ and runs the other checks', async () => {
    aws.world.certificates = [];
    const { code, stdout } = await runCli(['verify', '--env', 'staging']);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /✗ certificate ISSUED: ResourceNotFoundException: Could not find certificate with arn/,
    );
    expect(stdout).toContain('✓ notification subscriptions confirmed');
  });

  it('exits 2 naming the flag, the value and the environments for a bad --env', async () => {
    const { code, stderr } = await runCli(['verify', '--env', 'prod']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'webapp-color-ops: --env "prod" is not an environment of infra/config/index.ts; expected one of staging, staging-ecs, production\n',
    );
    const missing = await runCli(['verify']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--env is required: one of staging, staging-ecs, production');
  });

  it("does not count a deployment's other task set against the counts", async () => {
    const service = aws.world.services[0]!;
    service.taskSets.push({
      ...service.taskSets[0]!,
      id: 'ecs-svc/9999999999999999999',
      status: 'ACTIVE',
      externalId: 'd-BBBBBBBB2',
    });
    const { code, stdout } = await runCli(['verify', '--env', 'staging']);
    expect(code).toBe(0);
    expect(stdout).toContain(
      "running 2, pending 0; a deployment's other task set is still up (ACTIVE 2 running)",
    );
  });

  it('shows an example in --help', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('pnpm releases --env staging --since 30d --json');
    const { code, stdout } = await runCli(['verify', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('AWS_PROFILE=staging pnpm verify --env staging');
    expect(stdout).toContain('--json');
  });
});
