import { mkdir, writeFile } from 'node:fs/promises';
import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { makeCertificate } from './certificate.js';
import type { KeptState, RehearsalEnvironment } from './environment.js';
import { haproxyConfig, type ProxyTarget } from './haproxy.js';
import { freePorts } from './private/ports.js';
import type { InfraSettings } from './settings.js';

export interface ProxyLayoutInput {
  readonly environment: RehearsalEnvironment;
  readonly definition: DeliveryDefinition;
  readonly infra: InfraSettings;
  /** Which listeners terminate TLS (as the synthesized ones do). */
  readonly tls: { readonly production: boolean; readonly test: boolean };
  readonly taskCount: number;
  readonly idleTimeoutSeconds: number;
  /** The production port asked for. @default a free one */
  readonly productionPort?: number;
}

/**
 * The load balancer of a new environment: free loopback ports for both
 * listeners and for every task of both slots, a certificate for the site's
 * name where a listener is HTTPS, and the HAProxy configuration written to
 * the environment's directory.
 */
export async function layOutProxy(
  input: ProxyLayoutInput,
): Promise<Pick<KeptState, 'targets' | 'listeners'>> {
  const { environment, tls, taskCount: count } = input;
  const ports = await freePorts(2 + 2 * count);
  const targets: ProxyTarget[] = (['blue', 'green'] as const).flatMap((set, setIndex) =>
    Array.from({ length: count }, (_, index) => ({
      name: `${set}-${index + 1}`,
      taskSet: set,
      port: ports[2 + setIndex * count + index]!,
    })),
  );
  await mkdir(environment.directory, { recursive: true });
  const certificate =
    tls.production || tls.test
      ? await makeCertificate(environment.directory, input.infra.siteHost)
      : undefined;
  const listeners = {
    production: {
      port: input.productionPort ?? ports[0]!,
      ...(tls.production ? { certificateFile: certificate!.certificateFile } : {}),
    },
    test: {
      port: ports[1]!,
      ...(tls.test ? { certificateFile: certificate!.certificateFile } : {}),
    },
  };
  await writeFile(
    environment.haproxyConfig,
    haproxyConfig({
      productionPort: listeners.production.port,
      testPort: listeners.test.port,
      ...(tls.production ? { productionCertificate: certificate!.bundleFile } : {}),
      ...(tls.test ? { testCertificate: certificate!.bundleFile } : {}),
      adminSocket: environment.adminSocket,
      healthCheck: { path: input.definition.container.healthCheckPath, ...input.infra.healthCheck },
      targets,
      idleTimeoutSeconds: input.idleTimeoutSeconds,
    }),
  );
  return { targets, listeners };
}
