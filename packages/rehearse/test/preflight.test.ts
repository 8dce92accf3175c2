// What the rehearsal checks before it builds anything: every program it
// runs, each with the Debian package that brings it.
import { describe, expect, it } from 'vitest';
import type { ContainerEngine } from '../src/engine.js';
import { requiredTools } from '../src/preflight.js';

const engine = (name: 'podman' | 'docker'): ContainerEngine => ({
  name,
  version: '0',
  globalFlags: [],
  buildFlags: [],
  runFlags: [],
  localBaseImage: name === 'podman',
});

describe('requiredTools', () => {
  it('names every program a rehearsal runs besides the engine, with its Debian package', () => {
    expect(
      requiredTools(engine('podman')).map((tool) => `${tool.program}: ${tool.debianPackage}`),
    ).toEqual([
      'haproxy: haproxy',
      'docker-registry: docker-registry',
      'git: git',
      'tar: tar',
      'catatonit: catatonit',
    ]);
  });

  it("needs podman's init only with podman (docker brings its own)", () => {
    expect(requiredTools(engine('docker')).map((tool) => tool.program)).not.toContain('catatonit');
  });

  it('finds the tools this machine has', async () => {
    const present = await Promise.all(
      requiredTools(engine('podman')).map(
        async (tool) => [tool.program, await tool.present()] as const,
      ),
    );
    // git and tar are on every machine that runs these tests.
    expect(present.filter(([program]) => program === 'git' || program === 'tar')).toEqual([
      ['git', true],
      ['tar', true],
    ]);
  });
});
