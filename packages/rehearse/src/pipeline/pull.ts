import { engineExec, type ContainerEngine } from '../engine.js';
import { registryReference, type RegistryHandle } from './registry.js';

/** The engine's flag for a plain-HTTP registry (docker trusts 127.0.0.0/8 as insecure by itself). */
function insecure(engine: ContainerEngine): string[] {
  return engine.name === 'podman' ? ['--tls-verify=false'] : [];
}

/** Drops a local name of an image, keeping the image. */
async function untag(engine: ContainerEngine, reference: string): Promise<void> {
  await engineExec(
    engine,
    engine.name === 'podman' ? ['untag', reference, reference] : ['rmi', reference],
  );
}

/**
 * Pulls an image the release names (`<ecr host>/<repository>:<tag>`) from
 * the local registry that stands in for ECR, and names it as the release
 * does, so the task runs exactly what the build pushed. Returns the image id.
 */
export async function pullImage(
  engine: ContainerEngine,
  registry: RegistryHandle,
  imageUri: string,
): Promise<string> {
  const { remote } = registryReference(registry, imageUri);
  const pulled = await engineExec(engine, ['pull', ...insecure(engine), '--quiet', remote]);
  if (pulled.code !== 0) {
    throw new Error(
      `CannotPullContainerError: pull of ${imageUri} from the local registry (${remote}) failed: ${pulled.stderr.trim()}`,
    );
  }
  const tagged = await engineExec(engine, ['tag', remote, imageUri]);
  if (tagged.code !== 0)
    throw new Error(`tag ${remote} ${imageUri} failed: ${tagged.stderr.trim()}`);
  await untag(engine, remote);
  const id = await engineExec(engine, ['image', 'inspect', '--format', '{{.Id}}', imageUri]);
  if (id.code !== 0 || id.stdout.trim() === '') {
    throw new Error(`the pulled image ${imageUri} does not inspect: ${id.stderr.trim()}`);
  }
  return id.stdout.trim();
}

/** Pushes a local image to the registry under the name the release gives it. */
export async function pushImage(
  engine: ContainerEngine,
  registry: RegistryHandle,
  local: string,
  imageUri: string,
): Promise<void> {
  const { remote } = registryReference(registry, imageUri);
  const pushed =
    engine.name === 'podman'
      ? await engineExec(engine, [
          'push',
          ...insecure(engine),
          '--quiet',
          local,
          `docker://${remote}`,
        ])
      : await engineExec(engine, ['tag', local, remote]).then(() =>
          engineExec(engine, ['push', '--quiet', remote]),
        );
  if (pushed.code !== 0) throw new Error(`push of ${local} to ${remote} failed: ${pushed.stderr}`);
  if (engine.name !== 'podman') await untag(engine, remote);
}
