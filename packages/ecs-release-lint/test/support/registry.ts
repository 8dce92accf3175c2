import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One version of a package as a registry serves it. */
interface Published {
  readonly manifest: Record<string, unknown> & { name: string; version: string };
  readonly file: string;
  readonly tarball: Buffer;
}

/**
 * An npm registry on 127.0.0.1 that serves exactly the given packages, each
 * packed offline (tar) from the copy installed beside this package (pnpm's
 * node_modules), so `npm install <tarball>` resolves the tarball's
 * dependencies without leaving the machine. It answers the two requests npm
 * makes: the packument (`GET /<name>`, a scoped name's `/` as `%2f`), and the
 * tarball its `dist.tarball` names; anything else is a 404, which npm reports.
 */
export class LoopbackRegistry {
  private constructor(
    private readonly server: Server,
    private readonly folder: string,
    readonly url: string,
  ) {}

  static async start(packageRoot: string, names: readonly string[]): Promise<LoopbackRegistry> {
    const folder = mkdtempSync(join(tmpdir(), 'ecs-release-lint-registry-'));
    const published = new Map<string, Published>();
    for (const name of names) {
      const installed = realpathSync(join(packageRoot, 'node_modules', name));
      const manifest = JSON.parse(
        readFileSync(join(installed, 'package.json'), 'utf8'),
      ) as Published['manifest'];
      // A registry tarball holds the package under package/; the installed copy is what was published.
      const file = `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`;
      const staging = join(folder, 'staging');
      cpSync(installed, join(staging, 'package'), { recursive: true, dereference: true });
      execFileSync('tar', ['-czf', join(folder, file), '-C', staging, 'package']);
      rmSync(staging, { recursive: true, force: true });
      published.set(name, { manifest, file, tarball: readFileSync(join(folder, file)) });
    }
    const server = createServer((request, response) => {
      const path = decodeURIComponent(
        new URL(request.url ?? '/', 'http://registry').pathname,
      ).slice(1);
      const byFile = [...published.values()].find((p) => path === `-/${p.file}`);
      if (byFile) {
        response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(byFile.tarball);
        return;
      }
      const entry = published.get(path);
      if (!entry) {
        response
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"error":"Not found"}');
        return;
      }
      const { manifest } = entry;
      const body = {
        name: manifest.name,
        'dist-tags': { latest: manifest.version },
        versions: {
          [manifest.version]: {
            ...manifest,
            dist: {
              tarball: `${registry.url}-/${entry.file}`,
              integrity: `sha512-${createHash('sha512').update(entry.tarball).digest('base64')}`,
              shasum: createHash('sha1').update(entry.tarball).digest('hex'),
            },
          },
        },
      };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const registry = new LoopbackRegistry(
      server,
      folder,
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    );
    return registry;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    rmSync(this.folder, { recursive: true, force: true });
  }
}
