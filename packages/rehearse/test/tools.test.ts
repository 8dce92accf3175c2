// The stand-ins for `docker` and `aws` read the commands the committed
// buildspec runs, and refuse what they do not stand in for.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { releaseBuildspec } from '@webapp-color/deploy-specs';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import { parseBuildxBuild } from '../src/pipeline/tools.js';
import { registryReference } from '../src/pipeline/registry.js';

/** The words bash passes for a command line, with the given variables. */
function words(command: string, variables: Record<string, string>): string[] {
  const printed = execFileSync('bash', ['-c', `set -- ${command}; printf '%s\\0' "$@"`], {
    env: { PATH: process.env.PATH, ...variables },
    encoding: 'utf8',
  });
  return printed.split('\0').slice(0, -1);
}

describe('docker buildx build, as the release buildspec calls it', () => {
  const build = releaseBuildspec(webappColor).phases!.build!.commands!.find((command) =>
    command.includes('docker buildx build'),
  )!;
  const call = build.slice(
    build.indexOf('docker buildx build') + 'docker buildx build'.length,
    build.indexOf('; fi'),
  );
  const parsed = parseBuildxBuild(
    words(call, {
      COMMIT_ID: 'abc1234',
      IMAGE_URI: 'registry.example/webapp-color:abc1234',
      IMAGE_REPOSITORY_URI: 'registry.example/webapp-color',
    }),
  );

  it('reads the Dockerfile, platform, build arguments, tag, push and context', () => {
    expect(parsed).toMatchObject({
      file: webappColor.app.dockerfile,
      platform: 'linux/amd64',
      buildArgs: { APP_VERSION: 'abc1234' },
      tags: ['registry.example/webapp-color:abc1234'],
      push: true,
      context: '.',
    });
  });

  it('notices the registry cache it cannot stand in for', () => {
    expect(parsed.cacheFrom).toHaveLength(1);
    expect(parsed.cacheTo).toHaveLength(1);
  });

  it('refuses a flag it does not know, rather than ignoring it', () => {
    expect(() => parseBuildxBuild(['--secret', 'id=x', '.'])).toThrow(
      'docker buildx build --secret',
    );
  });

  it('is the command the committed buildspec.yaml runs', () => {
    const committed = readFileSync(
      fileURLToPath(new URL('../../../buildspec.yaml', import.meta.url)),
      'utf8',
    );
    expect(committed).toContain(build);
  });
});

describe('the registry reference', () => {
  const registry = {
    address: '127.0.0.1:5000',
    standsInFor: '000000000000.dkr.ecr.us-east-1.amazonaws.com',
  };

  it('maps the ECR host the release names onto the local registry', () => {
    expect(registryReference(registry, `${registry.standsInFor}/webapp-color:abc1234`)).toEqual({
      repository: 'webapp-color',
      tag: 'abc1234',
      remote: '127.0.0.1:5000/webapp-color:abc1234',
    });
  });

  it('refuses another registry, naming the one it stands in for', () => {
    expect(() => registryReference(registry, 'public.ecr.aws/x/y:1')).toThrow(registry.standsInFor);
  });
});
