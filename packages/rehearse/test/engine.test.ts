import { describe, expect, it } from 'vitest';
import { detectEngine, MissingToolError, type Probe } from '../src/engine.js';
import { externalBaseImages } from '../src/image.js';

/** A probe answering from a table of `command args` → result. */
function probe(answers: Record<string, { code: number; stdout?: string; stderr?: string }>): Probe {
  return (command, args) => {
    const answer = answers[`${command} ${args[0]}`] ?? {
      code: 127,
      stderr: `spawn ${command} ENOENT`,
    };
    return Promise.resolve({
      code: answer.code,
      stdout: answer.stdout ?? '',
      stderr: answer.stderr ?? '',
    });
  };
}

describe('detectEngine', () => {
  it('picks podman with runc and the host hard nofile limit', async () => {
    const engine = await detectEngine({
      probe: probe({
        'podman version': { code: 0, stdout: '4.3.1\n' },
        'runc --version': { code: 0 },
      }),
      hardNofile: '524288',
    });
    expect(engine.name).toBe('podman');
    expect(engine.globalFlags).toEqual(['--runtime', 'runc']);
    expect(engine.runFlags).toContain('nofile=524288:524288');
    expect(engine.buildFlags).toContain('--pull=never');
  });

  it('builds with chroot isolation where runc is missing', async () => {
    const engine = await detectEngine({
      probe: probe({ 'podman version': { code: 0, stdout: '4.3.1' } }),
      hardNofile: '1024',
    });
    expect(engine.globalFlags).toEqual([]);
    expect(engine.buildFlags).toEqual(expect.arrayContaining(['--isolation', 'chroot']));
  });

  it('picks docker when podman is not installed and the docker daemon answers', async () => {
    const engine = await detectEngine({
      probe: probe({ 'docker version': { code: 0, stdout: '28.2.2' } }),
    });
    expect(engine).toMatchObject({ name: 'docker', version: '28.2.2', localBaseImage: false });
  });

  it('fails naming both engines when neither answers (docker installed without a daemon)', async () => {
    const attempt = detectEngine({
      probe: probe({
        'docker version': {
          code: 1,
          stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.',
        },
      }),
    });
    await expect(attempt).rejects.toThrow(MissingToolError);
    await expect(attempt).rejects.toThrow(
      'no container engine answers (podman: not installed; docker: installed, but its daemon does not answer (Cannot connect to the Docker daemon at unix:///var/run/docker.sock.)): install podman (Debian: apt-get install podman buildah runc catatonit) or Docker Engine',
    );
  });

  it('fails naming the engine asked for with --engine', async () => {
    await expect(detectEngine({ prefer: 'docker', probe: probe({}) })).rejects.toThrow(
      'no container engine answers (docker: not installed): install docker or drop --engine',
    );
  });
});

describe('externalBaseImages', () => {
  it("lists the FROM images that are not the Dockerfile's own stages", () => {
    const dockerfile = [
      'FROM --platform=linux/amd64 public.ecr.aws/docker/library/node:24-slim AS node',
      'FROM node AS build',
      'FROM node AS runtime',
      'COPY --from=build /a /a',
    ].join('\n');
    expect(externalBaseImages(dockerfile)).toEqual(['public.ecr.aws/docker/library/node:24-slim']);
  });
});
