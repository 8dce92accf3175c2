import { readFileSync } from 'node:fs';
import { exposedPorts } from '@webapp-color/deploy-specs';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';

// A Dockerfile cannot import the delivery definition, so it repeats a few of
// its values. These checks make `pnpm test` name any drift at once; the
// container suite (packages/rehearse) then checks the built image itself.
const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
const { container } = webappColor;

/** One instruction of the final stage, with its continuation lines joined. */
function instruction(keyword: string): string {
  const match = new RegExp(`^${keyword}\\s+((?:.*\\\\\\n)*.*)$`, 'm').exec(finalStage);
  expect(match, `${keyword} in the final stage of the Dockerfile`).not.toBeNull();
  return match![1]!.replace(/\\\n/g, ' ');
}

describe('Dockerfile against the delivery definition', () => {
  it("EXPOSEs exactly the definition's container port", () => {
    expect(exposedPorts(dockerfile).map((exposed) => exposed.port)).toEqual([container.port]);
  });

  it("sets PORT to the definition's container port", () => {
    expect(instruction('ENV')).toMatch(new RegExp(`\\bPORT=${container.port}\\b`));
  });

  it("HEALTHCHECK calls the definition's health route on its port, with its timings", () => {
    const healthcheck = instruction('HEALTHCHECK');
    const { intervalSeconds, timeoutSeconds, startPeriodSeconds, retries } = container.healthCheck;
    expect(healthcheck).toContain(`--interval=${intervalSeconds}s`);
    expect(healthcheck).toContain(`--timeout=${timeoutSeconds}s`);
    expect(healthcheck).toContain(`--start-period=${startPeriodSeconds}s`);
    expect(healthcheck).toContain(`--retries=${retries}`);
    expect(healthcheck).toContain(`${container.port}) + '${container.healthCheckPath}'`);
    expect(healthcheck).toMatch(/CMD \["node", "-e", /);
  });

  it('runs as the non-root node user (uid 1000 in the Node images), the definition user', () => {
    expect(instruction('USER').trim()).toBe('node');
    expect(container.user).toBe('1000');
  });

  it('starts node in exec form under an init process', () => {
    expect(instruction('ENTRYPOINT')).toMatch(/^\["\/usr\/bin\/tini", "-s", "--"\]/);
    expect(instruction('CMD').trim()).toBe('["node", "dist/server.js"]');
  });
});
