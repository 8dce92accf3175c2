// One full rehearsal, the way `pnpm rehearse` runs it: where podman (or
// docker) and HAProxy answer. Otherwise skipped, with the reason.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectEngine, type ContainerEngine } from '../src/engine.js';
import { rehearsalContainers, rehearsalEnvironment, runningHaproxy } from '../src/environment.js';
import { haproxyVersion } from '../src/haproxy.js';
import { LIFECYCLE_EVENTS } from '../src/lifecycle.js';
import { rehearse, type RehearsalSummary } from '../src/rehearsal.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const engine: ContainerEngine | undefined = await detectEngine().catch((error: Error) => {
  console.warn(`full rehearsal SKIPPED: ${error.message}`);
  return undefined;
});
const haproxy = await haproxyVersion();
if (!haproxy)
  console.warn(
    'full rehearsal SKIPPED: haproxy is not installed (Debian package "haproxy"; CI installs it)',
  );

// The rehearsal starts at a commit: in a source without .git (a `git
// archive` export, or the Build stage's own source) there is none.
const workTree =
  spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: repoRoot }).status === 0;
if (!workTree) {
  console.warn(
    `full rehearsal SKIPPED: ${repoRoot} is not a git work tree, so there is no commit to push`,
  );
}

describe.skipIf(!engine || !haproxy || !workTree)('a full rehearsal on this machine', () => {
  let summary: RehearsalSummary;
  const progress: string[] = [];

  beforeAll(async () => {
    summary = await rehearse({
      repoRoot,
      definition: webappColor,
      realTimings: false,
      keep: false,
      rate: 50,
      progress: (line) => progress.push(line),
    });
  }, 1_200_000);

  it('succeeds', () => {
    expect(summary.outcome, progress.join('\n')).toBe('succeeded');
  });

  it('loses no request under steady load', () => {
    expect(summary.requests).toBeGreaterThan(100);
    expect(summary.failedRequests, JSON.stringify(summary.phases)).toBe(0);
  });

  it('starts at the push: the source without .git, then the committed buildspec phase by phase', () => {
    expect(
      summary.events
        .filter((event) => event.stage !== 'Deploy')
        .map((event) => `${event.name} ${event.result}`),
    ).toEqual([
      'Source Succeeded',
      'INSTALL SUCCEEDED',
      'PRE_BUILD SUCCEEDED',
      'BUILD SUCCEEDED',
      'UPLOAD_ARTIFACTS SUCCEEDED',
    ]);
    expect(summary.source.files).toBeGreaterThan(100);
    expect([...summary.build.artifactFiles].sort()).toEqual([
      'appspec.yaml',
      'imageDetail.json',
      'taskdef.json',
    ]);
  });

  it('deploys the image the build pushed to the local registry, pulled from there', () => {
    const image = `${webappColor.app.name}:${summary.version}`;
    // Pushed by this build, or found by its "tags are immutable" check
    // (a commit rehearsed before is not built again, as in CodeBuild).
    expect(
      summary.registry.imageRequests.filter(
        (request) => request === `PUT ${image} 201` || request === `HEAD ${image} 200`,
      ),
    ).not.toEqual([]);
    expect(summary.registry.imageRequests).toContainEqual(`GET ${image} 200`);
  });

  it("runs every lifecycle event in CodeDeploy's order, then the wait and blue's termination", () => {
    expect(
      summary.events.filter((event) => event.stage === 'Deploy').map((event) => event.name),
    ).toEqual([...LIFECYCLE_EVENTS, 'Wait', 'TerminateOriginalTaskSet']);
    expect(summary.events.filter((event) => event.result === 'Failed')).toEqual([]);
  });

  it("runs the AppSpec's hooks (the synthesized functions) and they report Succeeded", () => {
    const hooks = summary.events.filter(
      (event) => event.name.startsWith('After') && event.result !== 'Skipped',
    );
    expect(hooks.map((event) => event.name)).toEqual([
      'AfterAllowTestTraffic',
      'AfterAllowTraffic',
    ]);
    for (const event of hooks) expect(event.detail).toContain('reported Succeeded');
  });

  it('leaves no container and no HAProxy behind', async () => {
    const environment = rehearsalEnvironment(repoRoot);
    expect(await rehearsalContainers(engine!, environment)).toEqual([]);
    expect(await runningHaproxy(environment)).toBeUndefined();
  });
});
