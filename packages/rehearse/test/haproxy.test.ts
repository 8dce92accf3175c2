import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import {
  haproxyConfig,
  haproxyVersion,
  parseHttp5xx,
  parseStats,
  type ProxySpec,
} from '../src/haproxy.js';
import { exec } from '../src/private/exec.js';

const spec: ProxySpec = {
  productionPort: 41000,
  testPort: 41001,
  adminSocket: '/tmp/rehearse-test/admin.sock',
  healthCheck: {
    path: webappColor.container.healthCheckPath,
    intervalSeconds: 10,
    timeoutSeconds: 5,
    healthyThreshold: 2,
    unhealthyThreshold: 3,
  },
  targets: [
    { name: 'blue-1', taskSet: 'blue', port: 41002 },
    { name: 'green-1', taskSet: 'green', port: 41003 },
  ],
  idleTimeoutSeconds: 60,
};
const config = haproxyConfig(spec);
const version = await haproxyVersion();
if (!version)
  console.warn(
    'haproxy config check SKIPPED: haproxy is not installed (Debian package "haproxy"; CI installs it)',
  );

describe('haproxyConfig', () => {
  it('binds both listeners on 127.0.0.1 only', () => {
    expect(config.match(/^\s*bind .*$/gm)).toEqual([
      '  bind 127.0.0.1:41000',
      '  bind 127.0.0.1:41001',
    ]);
  });

  it("health-checks every target on the definition's route with the target group's interval and thresholds", () => {
    expect(config).toContain(
      `http-check send meth GET uri ${webappColor.container.healthCheckPath}`,
    );
    expect(config).toContain('http-check expect status 200');
    expect(config).toContain('default-server inter 10s rise 2 fall 3');
    expect(config).toContain('timeout check 5s');
  });

  it('sends production to blue and keeps green out of service until it runs', () => {
    expect(config).toContain('server blue-1 127.0.0.1:41002 weight 100 check\n');
    expect(config).toContain('server green-1 127.0.0.1:41003 weight 0 check disabled');
  });

  it('points the test listener at green, tracking the production health checks', () => {
    expect(config).toContain('server green-1 127.0.0.1:41003 weight 1 track production/green-1');
    expect(config).toContain('server blue-1 127.0.0.1:41002 weight 0 track production/blue-1');
  });

  it('fails open as an ALB target group does: unchecked backup twins take every target once none is up', () => {
    const backends = config.split(/^backend /m).slice(1);
    expect(backends).toHaveLength(2);
    for (const backend of backends) expect(backend).toContain('  option allbackups\n');
    expect(config).toContain('server blue-1-open 127.0.0.1:41002 weight 100 backup\n');
    expect(config).toContain('server green-1-open 127.0.0.1:41003 weight 0 backup disabled\n');
    expect(config).toContain('server blue-1-open 127.0.0.1:41002 weight 0 backup\n');
    expect(config).toContain('server green-1-open 127.0.0.1:41003 weight 1 backup disabled\n');
    expect(config.match(/-open .* check/g)).toBeNull();
  });

  it('terminates TLS on a listener given a certificate, as the ALB HTTPS listener does', () => {
    const tls = haproxyConfig({ ...spec, productionCertificate: '/tmp/x/listener.pem' });
    expect(tls).toContain('  bind 127.0.0.1:41000 ssl crt /tmp/x/listener.pem\n');
    expect(tls).toContain('  bind 127.0.0.1:41001\n');
  });

  it('answers at once when a target refuses the connection, as an ALB does (no retries)', () => {
    expect(config).toContain('  retries 0\n');
    expect(config).not.toContain('redispatch');
  });

  it('keeps idle connections as long as the load balancer', () => {
    expect(config).toContain('timeout http-keep-alive 60s');
  });

  it.skipIf(!version)('is a configuration HAProxy accepts (haproxy -c)', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'rehearse-haproxy-'));
    try {
      const file = join(directory, 'haproxy.cfg');
      await writeFile(file, haproxyConfig({ ...spec, adminSocket: join(directory, 'admin.sock') }));
      const checked = await exec('haproxy', ['-c', '-f', file]);
      expect(checked.code, checked.stderr).toBe(0);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe('parseHttp5xx', () => {
  it("splits the 5xx into the load balancer's own (frontends minus servers) and the targets'", () => {
    const csv = [
      '# pxname,svname,status,hrsp_2xx,hrsp_5xx,',
      'production,FRONTEND,OPEN,10,9,',
      'production,blue-1,UP,7,1,',
      'production,green-1-open,no check,3,2,',
      'production,BACKEND,UP,10,9,',
      'test,FRONTEND,OPEN,4,4,',
      'test,green-1,UP,4,0,',
      'test,BACKEND,UP,4,4,',
    ].join('\n');
    expect(parseHttp5xx(csv)).toEqual({ loadBalancer: 10, targets: 3 });
  });
});

describe('parseStats', () => {
  it("reads the servers' rows of `show stat`, without frontends and backends", () => {
    const csv = [
      '# pxname,svname,qcur,scur,status,weight,check_status,hrsp_2xx,hrsp_5xx,',
      'production,FRONTEND,,3,OPEN,,,10,0,',
      'production,blue-1,0,1,UP,100,L7OK,7,0,',
      'production,green-1,0,0,DOWN 1/2,0,L4CON,0,4,',
      'production,BACKEND,0,1,UP,100,,7,4,',
    ].join('\n');
    expect(parseStats(csv)).toEqual([
      {
        backend: 'production',
        name: 'blue-1',
        status: 'UP',
        weight: 100,
        checkStatus: 'L7OK',
        responses2xx: 7,
        responses5xx: 0,
        currentSessions: 1,
      },
      {
        backend: 'production',
        name: 'green-1',
        status: 'DOWN 1/2',
        weight: 0,
        checkStatus: 'L4CON',
        responses2xx: 0,
        responses5xx: 4,
        currentSessions: 0,
      },
    ]);
  });
});
