// One Node.js for the release build (CodeBuild's runtime-versions), the image
// (the Dockerfile's FROM) and every Lambda function of the app stack,
// including the ones CDK's custom-resource framework adds.
import { readFileSync } from 'node:fs';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import { synthesize } from './support.js';

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

  it("every Lambda function runs the build's Node.js major", () => {
    const { app } = synthesize();
    const functions = app.findResources('AWS::Lambda::Function');
    const runtimes = Object.entries(functions).map(([id, resource]) => [
      id,
      (resource as { Properties: { Runtime?: string } }).Properties.Runtime,
    ]);
    expect(runtimes.length).toBeGreaterThan(0);
    for (const [id, runtime] of runtimes) {
      expect(runtime, id).toBe(`nodejs${major}.x`);
    }
  });
});
