import { describe, expect, it } from 'vitest';
import { parseEcsRelease, ReleaseFileError } from '../src/release-files.js';
import { renderedRelease } from './release.js';

const files = renderedRelease();
const taskdef = () => JSON.parse(files.taskdef) as Record<string, unknown>;

function error(taskdefText: string, imageDefinitions = files.imageDefinitions): string {
  try {
    parseEcsRelease(taskdefText, imageDefinitions);
  } catch (caught) {
    expect(caught).toBeInstanceOf(ReleaseFileError);
    return (caught as Error).message;
  }
  throw new Error('no error');
}

describe('the release files', () => {
  it('accepts what deploy-specs renders for an ecs release, keyed by its bytes', () => {
    const release = parseEcsRelease(files.taskdef, files.imageDefinitions);
    expect(release.taskDefinition).toEqual(JSON.parse(files.taskdef));
    expect(release.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(parseEcsRelease(`${files.taskdef}\n`, files.imageDefinitions).sha256).not.toBe(
      release.sha256,
    );
  });

  it('names the file and the field of what it cannot ship', () => {
    expect(error('{')).toMatch(/^taskdef\.json: is not JSON/);
    expect(error(JSON.stringify({ ...taskdef(), family: '' }))).toBe(
      'taskdef.json: family is ""; expected the task-definition family (a non-empty string)',
    );
    expect(error(JSON.stringify({ ...taskdef(), containerDefinitions: [] }))).toBe(
      'taskdef.json: containerDefinitions is []; expected a non-empty list of containers',
    );
    // A CodeDeploy taskdef (the placeholder) is not an ecs release.
    expect(error(files.taskdef.replace(/"image": "[^"]+"/, '"image": "<IMAGE1_NAME>"'))).toContain(
      'taskdef.json: containerDefinitions[0].image is "<IMAGE1_NAME>"; expected an image by digest',
    );
  });

  it('checks imagedefinitions.json against the taskdef', () => {
    expect(error(files.taskdef, '[]')).toBe(
      'imagedefinitions.json: is not a non-empty JSON list of { "name", "imageUri" } entries',
    );
    expect(error(files.taskdef, '[{"name":"web","imageUri":"x"}]')).toBe(
      'imagedefinitions.json: [0].name "web" is not a container of taskdef.json (it has "webapp-color")',
    );
    expect(error(files.taskdef, '[{"name":"webapp-color","imageUri":"repo/app:latest"}]')).toMatch(
      /^imagedefinitions\.json: \[0\]\.imageUri is "repo\/app:latest", but taskdef\.json gives container "webapp-color" .*@sha256:/,
    );
  });
});
