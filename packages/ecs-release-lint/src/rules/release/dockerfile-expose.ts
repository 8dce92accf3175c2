import { exposedPorts } from '../../parse/dockerfile.js';
import type { Rule, RuleHit } from '../../core/rule.js';
import { loadBalancerTargets } from './release.js';

/** The image the final stage of a Dockerfile starts FROM. */
function finalBaseImage(text: string): string | undefined {
  const froms = [...text.matchAll(/^\s*FROM\s+(?:--\S+\s+)*(\S+)/gim)];
  return froms.at(-1)?.[1];
}

export const releaseDockerfileExpose: Rule = {
  id: 'RELEASE_DOCKERFILE_EXPOSE',
  stage: 'release',
  kinds: ['appspec'],
  severity: 'warning',
  messages: {
    notExposed:
      'ContainerPort {{port}} is not exposed by the image: {{where}}; add "EXPOSE {{port}}" or change the port in one place',
  },
  summary:
    "The Dockerfile's final stage EXPOSEs the AppSpec's ContainerPort (a warning: the base image may expose it).",
  why: 'EXPOSE documents the port the app listens on. A Dockerfile that exposes another port usually means the app listens elsewhere than the load balancer sends traffic; with no EXPOSE the base image (nginx, httpd …) may expose the port itself, so this is a warning.',
  reference: 'https://docs.docker.com/reference/dockerfile/#expose',
  check({ appspec, dockerfile }) {
    if (appspec?.value === undefined || !dockerfile) return [];
    const exposed = exposedPorts(dockerfile.text);
    const base = finalBaseImage(dockerfile.text);
    return loadBalancerTargets(appspec)
      .filter(
        (target) =>
          typeof target.port === 'number' && !exposed.some((entry) => entry.port === target.port),
      )
      .map((target): RuleHit => {
        const where = exposed[0]
          ? `${dockerfile.file}:${exposed[0].line}:${exposed[0].column} exposes ${exposed.map((entry) => entry.port).join(', ')}`
          : `${dockerfile.file} has no EXPOSE in its final stage${base ? ` (its base image ${base} may expose it)` : ''}`;
        return {
          document: 'appspec',
          path: target.portPath,
          messageId: 'notExposed',
          data: { port: String(target.port), where },
        };
      });
  },
};
