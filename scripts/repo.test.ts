// What only the whole repository shows: versions written in more than one
// place agree, every workspace keeps the import boundaries, and the README's
// workspace diagram is the one the package.json files describe.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BEGIN,
  END,
  nodeId,
  readWorkspaces,
  repositoryRoot,
  withWorkspaceSection,
  workspaceSection,
  type Workspace,
} from './workspaces.js';

interface Manifest {
  readonly name: string;
  readonly packageManager?: string;
  readonly scripts?: Readonly<Record<string, string>>;
  readonly engines?: { readonly pnpm?: string };
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

const readManifest = (folder: string): Manifest =>
  JSON.parse(readFileSync(join(repositoryRoot, folder, 'package.json'), 'utf8')) as Manifest;

const rootManifest = readManifest('');
const workspaces: readonly Workspace[] = readWorkspaces();
/** What CodeBuild runs: the committed buildspec (`pnpm specs check` keeps it generated). */
const buildspec = readFileSync(join(repositoryRoot, 'buildspec.yaml'), 'utf8');

describe('the workspace versions', () => {
  it('takes every dependency that more than one package uses from the pnpm catalog', () => {
    const users = new Map<string, { name: string; specifier: string }[]>();
    for (const manifest of [rootManifest, ...workspaces.map((w) => readManifest(w.folder))]) {
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
    expect(buildspec).toContain(`npm install --global ${rootManifest.packageManager}`);
  });

  it('the root engines ask for at least that pnpm', () => {
    expect(`pnpm@${rootManifest.engines?.pnpm?.replace(/^>=/, '')}`).toBe(
      rootManifest.packageManager,
    );
  });

  it("the release build's test script runs every workspace's tests but the rehearsal's", () => {
    const script = /pnpm run (\S+)/.exec(buildspec)?.[1];
    expect(script).toBeDefined();
    expect(rootManifest.scripts?.[script!]).toBe(
      'turbo run test test:repo --filter=!@webapp-color/rehearse',
    );
    expect(rootManifest.scripts?.test).toBe('turbo run test test:repo');
  });
});

describe('the import boundaries', () => {
  const config = join(repositoryRoot, '.dependency-cruiser.cjs');
  const boundaryCheck = /depcruise --config (\S+)\/\.dependency-cruiser\.cjs \.$/;

  it.each(workspaces.map((w) => [w.name, w] as const))(
    "%s's lint checks them over the whole package with the root config",
    (_name, workspace) => {
      const lint = readManifest(workspace.folder).scripts?.lint ?? '';
      const match = boundaryCheck.exec(lint);
      expect(lint, `${workspace.folder}/package.json "lint"`).toMatch(boundaryCheck);
      expect(join(repositoryRoot, workspace.folder, match![1]!)).toBe(
        repositoryRoot.replace(/\/$/, ''),
      );
    },
  );

  /** The lint script's boundary check, run in a fixture package. */
  const check = (fixture: string) => {
    const cwd = join(repositoryRoot, 'scripts/fixtures/boundaries/packages', fixture);
    const depcruise = join(repositoryRoot, 'node_modules/.bin/depcruise');
    const result = spawnSync(depcruise, ['--config', config, '.'], { cwd, encoding: 'utf8' });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };

  it('fails on folders that import each other and on a relative import into another package', () => {
    const { status, output } = check('one');
    expect(status).not.toBe(0);
    expect(output).toMatch(/error no-folder-cycle: src\/(a|b) →\s+src\/(b|a) →\s+src\/\1/);
    expect(output).toMatch(
      /error no-relative-import-across-packages: src\/reach\.ts → \.\.\/two\/src\/index\.ts/,
    );
    expect(output).not.toContain('../two/src/index.ts → ');
  });

  it('passes a package whose folders import one way', () => {
    const { status, output } = check('two');
    expect(output).toContain('no dependency violations found');
    expect(status).toBe(0);
  });
});

describe("the README's workspace diagram", () => {
  it('lists every workspace with the workspaces it declares', async () => {
    const section = await workspaceSection(workspaces);
    for (const w of workspaces) {
      expect(section).toContain(`[\`${w.folder}\`](${w.folder}/README.md)`);
      for (const used of w.uses) expect(section).toContain(`${nodeId(w.name)} --> ${nodeId(used)}`);
      for (const used of w.devUses)
        expect(section).toContain(`${nodeId(w.name)} -.-> ${nodeId(used)}`);
    }
  });

  it('is current (run `pnpm docs:workspaces` after changing a package.json)', async () => {
    const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');
    expect(readme).toContain(BEGIN);
    expect(readme).toContain(END);
    expect(withWorkspaceSection(readme, await workspaceSection(workspaces))).toBe(readme);
  });
});
