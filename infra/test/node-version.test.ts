// One Node.js for the release build (CodeBuild's runtime-versions) and the image
// (the Dockerfile's FROM); every Lambda function of the app stack, including the
// ones CDK's custom-resource framework adds, is checked in app.test.ts.
import { readFileSync } from 'node:fs';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';

const dockerfile = readFileSync(
  new URL(`../../${webappColor.app.dockerfile}`, import.meta.url),
  'utf8',
);

describe('one Node.js major version', () => {
  const major = webappColor.build.nodejsRuntime;

  it("the image's base is the build's Node.js major", () => {
    const from = /^FROM\s+\S*\/node:(\d+)\.[^\s]*/m.exec(dockerfile);
    expect(from, 'a FROM …/node:<version> line in the Dockerfile').not.toBeNull();
    expect(from![1]).toBe(major);
  });
});
