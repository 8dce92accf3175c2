// Versions written in more than one place must agree: the delivery
// definition cannot import the root package.json (it is data for CodeBuild),
// so this names any drift.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { webappColor } from '@webapp-color/deploy-specs/definition';

const repositoryRoot = new URL('../../../', import.meta.url);

interface Manifest {
  readonly name: string;
  readonly packageManager?: string;
  readonly scripts?: Readonly<Record<string, string>>;
  readonly engines?: { readonly pnpm?: string };
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

function readManifest(directory: string): Manifest {
  return JSON.parse(
    readFileSync(new URL(`${directory}package.json`, repositoryRoot), 'utf8'),
  ) as Manifest;
}

const rootManifest = readManifest('');

/** The root and the packages of pnpm-workspace.yaml (apps/*, packages/*, infra). */
function workspaceManifests(): Manifest[] {
  const directories = ['', 'infra/'];
  for (const parent of ['apps/', 'packages/']) {
    for (const entry of readdirSync(new URL(parent, repositoryRoot))) {
      if (existsSync(new URL(`${parent}${entry}/package.json`, repositoryRoot))) {
        directories.push(`${parent}${entry}/`);
      }
    }
  }
  return directories.map(readManifest);
}

describe('the workspace versions', () => {
  it('takes every dependency that more than one package uses from the pnpm catalog', () => {
    const users = new Map<string, { name: string; specifier: string }[]>();
    for (const manifest of workspaceManifests()) {
      for (const [dependency, specifier] of Object.entries({
        ...manifest.dependencies,
        ...manifest.devDependencies,
      })) {
        if (specifier.startsWith('workspace:')) continue;
        users.set(dependency, [
          ...(users.get(dependency) ?? []),
          { name: manifest.name, specifier },
        ]);
      }
    }
    const shared = [...users].filter(([, uses]) => uses.length > 1);
    expect(shared.length).toBeGreaterThan(0);
    const notFromCatalog = shared.flatMap(([dependency, uses]) =>
      uses
        .filter(({ specifier }) => specifier !== 'catalog:')
        .map(({ name, specifier }) => `${name}: ${dependency}@${specifier}`),
    );
    expect(notFromCatalog).toEqual([]);
  });

  it("CodeBuild installs the pnpm of the root package.json's packageManager", () => {
    expect(rootManifest.packageManager).toMatch(/^pnpm@\d+\.\d+\.\d+$/);
    expect(`pnpm@${webappColor.build.pnpmVersion}`).toBe(rootManifest.packageManager);
  });

  it("the release build's test script is a root script that runs every workspace's tests but the rehearsal's", () => {
    expect(rootManifest.scripts?.[webappColor.build.testScript]).toBe(
      'turbo run test --filter=!@webapp-color/rehearse',
    );
  });

  it('the root engines ask for at least that pnpm', () => {
    expect(rootManifest.engines?.pnpm).toBe(`>=${webappColor.build.pnpmVersion}`);
  });
});
