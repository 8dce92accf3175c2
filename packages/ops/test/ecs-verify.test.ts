import { startAwsStandIn, type AwsStandIn, type AwsWorld } from '@webapp-color/aws-local';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli, useStandIn } from './support.js';
import { ARNS } from './world.js';
import {
  ECS_NAMES,
  LIVE_ON_GREEN,
  healthyEcsWorld,
  listenerArn,
  nativeLifecycleHooks,
  serviceDeployment,
  trafficRule,
} from './world-ecs.js';

vi.mock('@webapp-color/infra/environments', async (importOriginal) => {
  const { withStagingEcs } = await import('./ecs-environment.js');
  return withStagingEcs(await importOriginal());
});

let aws: AwsStandIn;
beforeAll(async () => {
  aws = await startAwsStandIn(healthyEcsWorld());
  useStandIn(aws);
});
afterAll(() => aws.close());
beforeEach(() => {
  Object.assign(aws.world, healthyEcsWorld());
});

const FOREIGN = ARNS.blue.replace('mypro-EdgeB-1AAAAAAAAAAA', 'hand-made');
const service = (world: AwsWorld) => world.services[0]!;
const rules = (world: AwsWorld) => world.loadBalancers![0]!.rules!;

describe('verify on the ECS controller', () => {
  it('passes the checks that apply, says which do not and why, exit 0', async () => {
    const { code, stdout } = await runCli(['verify', '--env', 'staging-ecs']);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([
      '✓ stacks deployed: myproject-staging-ecs-stateful UPDATE_COMPLETE, myproject-staging-ecs-app UPDATE_COMPLETE',
      '– source connection AVAILABLE: n/a for the ecs controller: no release pipeline, hence no source connection, exists for it yet (issue 16, point 4)',
      '✓ certificate ISSUED: myapp-ecs.example.com: ISSUED',
      '✓ DNS alias points at the load balancer: myapp-ecs.example.com → mypro-edgel-1a2b3c4d5e6f-1234567890.us-east-2.elb.amazonaws.com',
      "– listeners in the shape the live-traffic guard expects: n/a for the ecs controller: ECS moves the listener rules, not the listeners' default actions (see the listener-rules line)",
      '✓ listener rules in the shape the live-rule guard expects: 443 rule 1 → mypro-EdgeG-2BBBBBBBBBBB, 9000 rule 1 → mypro-EdgeG-2BBBBBBBBBBB',
      '– no deployment stuck: n/a for the ecs controller: it runs no CodeDeploy deployment (see the service-deployments line)',
      `✓ no service deployment stuck: none unfinished in ${ECS_NAMES.cluster}/${ECS_NAMES.service}`,
      `✓ ECS service stable at its counts: ${ECS_NAMES.service}: desired 2 (bounds 2..5), running 2, pending 0`,
      `✓ service on the ECS deployment controller: ${ECS_NAMES.service}: ECS, CANARY, bake time 15 min`,
      `✓ hook functions deployed with the expected settings: ${ECS_NAMES.testHook} (TEST_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT), ${ECS_NAMES.productionHook} (PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT); invoked through ${ECS_NAMES.hookInvokeRole}`,
      '– ECR live and previous images present: n/a for the ecs controller: live and previous are tagged by the production hook once a release reaches production, and no release pipeline exists for this controller yet (issue 16, point 4)',
      '✓ rollback alarms present and not in ALARM: 4 alarms: 4 OK',
      '– notification subscriptions confirmed: n/a for the ecs controller: the notification topic belongs to the release pipeline, not built for it yet (issue 16, point 4)',
      'staging-ecs: all 9 checks passed (5 n/a)',
    ]);
  });

  it('marks the n/a items in --json and makes none of their calls', async () => {
    const before = aws.calls.length;
    const { code, stdout } = await runCli(['verify', '--env', 'staging-ecs', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      ok: boolean;
      results: { id: string; ok: boolean; notApplicable?: boolean }[];
    };
    expect(report.ok).toBe(true);
    expect(report.results.filter((r) => r.notApplicable).map((r) => r.id)).toEqual([
      'connection-available',
      'listeners',
      'no-stuck-deployment',
      'release-images',
      'topic-subscriptions',
    ]);
    const services = new Set<string>(aws.calls.slice(before).map((call) => call.service));
    for (const unused of ['codedeploy', 'codestar-connections', 'ecr', 'sns']) {
      expect(services.has(unused)).toBe(false);
    }
  });

  it('passes a deployment that runs within the configuration’s time', async () => {
    service(aws.world).serviceDeployments!.push(
      serviceDeployment('running001', new Date(Date.now() - 10 * 60_000), 'IN_PROGRESS', 8, {
        stage: 'BAKE_TIME',
      }),
    );
    const { code, stdout } = await runCli(['verify', '--env', 'staging-ecs']);
    expect(code).toBe(0);
    expect(stdout).toContain(
      '✓ no service deployment stuck: running001 IN_PROGRESS at BAKE_TIME for 10 min: running, not stuck (limit 50 min)',
    );
  });

  /** One broken state per item: only that line turns ✗, with what to do. */
  const broken: {
    name: string;
    title: string;
    breakIt: (world: AwsWorld) => void;
    detail: RegExp;
    fix: RegExp;
  }[] = [
    {
      name: 'a production rule split between blue and green',
      title: 'listener rules in the shape the live-rule guard expects',
      breakIt: (world) => {
        rules(world)[listenerArn(443)] = [
          trafficRule(443, [
            [ARNS.green, 90],
            [ARNS.blue, 10],
          ]),
        ];
      },
      detail:
        /production 443 rule 1 forwards to mypro-EdgeG-2BBBBBBBBBBB \(90\) \+ mypro-EdgeB-1AAAAAAAAAAA \(10\)/,
      fix: /stop-service-deployment --stop-type ROLLBACK/,
    },
    {
      name: 'a test rule forwarding to a group not the stack’s',
      title: 'listener rules in the shape the live-rule guard expects',
      breakIt: (world) => {
        rules(world)[listenerArn(9000)] = [trafficRule(9000, [[FOREIGN, 100]])];
      },
      detail: /test 9000 rule 1 forwards to hand-made \(100\), not the stack's blue or green group/,
      fix: /modify-rule/,
    },
    {
      name: 'a traffic rule at another priority',
      title: 'listener rules in the shape the live-rule guard expects',
      breakIt: (world) => {
        rules(world)[listenerArn(443)] = [trafficRule(443, LIVE_ON_GREEN, '2')];
      },
      detail: /production 443 has no rule at priority 1/,
      fix: /recreate it/,
    },
    {
      name: 'a service deployment in progress for two hours',
      title: 'no service deployment stuck',
      breakIt: (world) => {
        service(world).serviceDeployments!.push(
          serviceDeployment('stuck00001', new Date(Date.now() - 120 * 60_000), 'IN_PROGRESS', 8, {
            stage: 'TEST_TRAFFIC_SHIFT',
          }),
        );
      },
      detail:
        /stuck00001 IN_PROGRESS at TEST_TRAFFIC_SHIFT for 120 min \(a release of this configuration takes at most 50 min\)/,
      fix: /aws ecs stop-service-deployment --service-deployment-arn arn:aws:ecs:us-east-2:123456789012:service-deployment\/.*\/stuck00001 --stop-type ROLLBACK/,
    },
    {
      name: 'a rollback stuck in ROLLBACK_IN_PROGRESS',
      title: 'no service deployment stuck',
      breakIt: (world) => {
        service(world).serviceDeployments!.push(
          serviceDeployment(
            'stuck00002',
            new Date(Date.now() - 90 * 60_000),
            'ROLLBACK_IN_PROGRESS',
            8,
          ),
        );
      },
      detail: /stuck00002 ROLLBACK_IN_PROGRESS at SCALE_UP for 90 min/,
      fix: /describe-services/,
    },
    {
      name: 'a PRIMARY deployment still rolling out, one task short',
      title: 'ECS service stable at its counts',
      breakIt: (world) => {
        Object.assign(service(world).deployments![0]!, {
          runningCount: 1,
          rolloutState: 'IN_PROGRESS',
        });
      },
      detail: /running 1 of 2, PRIMARY deployment IN_PROGRESS/,
      fix: /services\[0\]\.events/,
    },
    {
      name: 'a service whose strategy is not the configuration’s',
      title: 'service on the ECS deployment controller',
      breakIt: (world) => {
        service(world).deploymentConfiguration = {
          ...service(world).deploymentConfiguration,
          strategy: 'BLUE_GREEN',
          bakeTimeInMinutes: 0,
        };
      },
      detail: /strategy BLUE_GREEN, expected CANARY, bake time 0 min, expected 15/,
      fix: /pnpm exec cdk deploy --all -c env=staging-ecs/,
    },
    {
      name: 'a service whose production hook is not wired at PRODUCTION_TRAFFIC_SHIFT',
      title: 'hook functions deployed with the expected settings',
      breakIt: (world) => {
        const hooks = nativeLifecycleHooks();
        hooks[1]!.lifecycleStages = ['POST_PRODUCTION_TRAFFIC_SHIFT'] as never;
        service(world).deploymentConfiguration!.lifecycleHooks = hooks;
      },
      detail: new RegExp(`${ECS_NAMES.service}: no lifecycle hook at PRODUCTION_TRAFFIC_SHIFT`),
      fix: /pnpm exec cdk deploy --all -c env=staging-ecs/,
    },
    {
      name: 'a hook invoked without a role',
      title: 'hook functions deployed with the expected settings',
      breakIt: (world) => {
        const hooks = nativeLifecycleHooks();
        delete (hooks[0] as { roleArn?: string }).roleArn;
        service(world).deploymentConfiguration!.lifecycleHooks = hooks;
      },
      detail: /the hooks are invoked through .*\(no role\).*, expected one role/,
      fix: /cdk deploy/,
    },
    {
      name: 'a test hook checking another listener',
      title: 'hook functions deployed with the expected settings',
      breakIt: (world) => {
        world.functions![0]!.Environment!.Variables!.LISTENER_PORT = '8443';
      },
      detail: new RegExp(`${ECS_NAMES.testHook}: LISTENER_PORT=8443, expected 9000`),
      fix: /cdk deploy/,
    },
    {
      name: 'an alarm in ALARM',
      title: 'rollback alarms present and not in ALARM',
      breakIt: (world) => {
        world.alarms![1]!.StateValue = 'ALARM';
      },
      detail: /RollbackAlarmsTarget5xxAlarm-2B in ALARM/,
      fix: /.+/,
    },
  ];

  for (const { name, title, breakIt, detail, fix } of broken) {
    it(`fails only its line for ${name}, with what to do, exit 1`, async () => {
      breakIt(aws.world);
      const { code, stdout } = await runCli(['verify', '--env', 'staging-ecs']);
      expect(code).toBe(1);
      const lines = stdout.trim().split('\n');
      const failed = lines.filter((line) => line.startsWith('✗ '));
      expect(failed).toHaveLength(1);
      expect(failed[0]!.startsWith(`✗ ${title}: `)).toBe(true);
      expect(failed[0]).toMatch(detail);
      const fixLine = lines[lines.indexOf(failed[0]!) + 1]!;
      expect(fixLine).toMatch(/^ {4}→ /);
      expect(fixLine).toMatch(fix);
      expect(lines.at(-1)).toBe('staging-ecs: 1 of 9 checks failed (5 n/a)');
    });
  }
});
