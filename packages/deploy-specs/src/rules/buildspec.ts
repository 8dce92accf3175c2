import { BUILDSPEC_PHASE_NAMES } from '../models/buildspec.js';
import { closest } from '../private/suggest.js';
import { isRecord, type DocumentRule, type RuleHit } from './rule.js';

export const buildspecVersion: DocumentRule = {
  id: 'BUILDSPEC_VERSION',
  kind: 'buildspec',
  severity: 'error',
  summary: 'version is 0.2 (0.1 runs every command in a new shell).',
  check(document) {
    if (!isRecord(document)) return [];
    const { version } = document;
    if (version === 0.2 || version === '0.2') return [];
    return version === undefined
      ? [{ path: ['version'], message: 'the buildspec needs "version: 0.2"; add it' }]
      : [
          {
            path: ['version'],
            message: `use version 0.2, not ${JSON.stringify(version)}${version === 0.1 || version === '0.1' ? ' (0.1 runs each command in a separate shell)' : ''}`,
          },
        ];
  },
};

export const buildspecReservedVariable: DocumentRule = {
  id: 'BUILDSPEC_RESERVED_VARIABLE',
  kind: 'buildspec',
  severity: 'error',
  summary:
    'No variable in env.variables, env.parameter-store or env.secrets-manager starts with CODEBUILD_ (reserved).',
  check(document) {
    if (!isRecord(document) || !isRecord(document.env)) return [];
    const hits: RuleHit[] = [];
    for (const section of ['variables', 'parameter-store', 'secrets-manager'] as const) {
      const variables = document.env[section];
      if (!isRecord(variables)) continue;
      for (const name of Object.keys(variables)) {
        if (name.toUpperCase().startsWith('CODEBUILD_')) {
          hits.push({
            path: ['env', section, name],
            at: 'key',
            message: `"${name}" starts with CODEBUILD_, which CodeBuild reserves for its own variables; rename it`,
          });
        }
      }
    }
    return hits;
  },
};

export const buildspecUnknownPhase: DocumentRule = {
  id: 'BUILDSPEC_UNKNOWN_PHASE',
  kind: 'buildspec',
  severity: 'error',
  summary: `phases has only ${BUILDSPEC_PHASE_NAMES.join(', ')}.`,
  check(document) {
    if (!isRecord(document)) return [];
    if (document.phases === undefined) {
      return [
        {
          path: ['phases'],
          message: `the buildspec needs phases (${BUILDSPEC_PHASE_NAMES.join(', ')}); add at least build`,
        },
      ];
    }
    if (!isRecord(document.phases)) return [];
    return Object.keys(document.phases)
      .filter((name) => !(BUILDSPEC_PHASE_NAMES as readonly string[]).includes(name))
      .map((name): RuleHit => {
        const close = closest(name, BUILDSPEC_PHASE_NAMES);
        return {
          path: ['phases', name],
          at: 'key',
          message: `"${name}" is not a phase CodeBuild runs; ${close ? `did you mean ${close}? ` : ''}use ${BUILDSPEC_PHASE_NAMES.join(', ')}`,
        };
      });
  },
};

export const buildspecCommandsList: DocumentRule = {
  id: 'BUILDSPEC_COMMANDS_LIST',
  kind: 'buildspec',
  severity: 'error',
  summary: "A phase's commands and finally are lists of strings (one command per item).",
  check(document) {
    if (!isRecord(document) || !isRecord(document.phases)) return [];
    const hits: RuleHit[] = [];
    for (const [phaseName, phase] of Object.entries(document.phases)) {
      if (!isRecord(phase)) continue;
      for (const field of ['commands', 'finally'] as const) {
        const commands = phase[field];
        if (commands === undefined) continue;
        if (!Array.isArray(commands)) {
          hits.push({
            path: ['phases', phaseName, field],
            message: `${field} must be a list: write each command as "- command" on its own line`,
          });
          continue;
        }
        for (const [index, command] of commands.entries()) {
          if (typeof command !== 'string') {
            hits.push({
              path: ['phases', phaseName, field, index],
              message: `each command is a string; quote this one (a ": " inside a command makes YAML read a map)`,
            });
          }
        }
      }
    }
    return hits;
  },
};

export const buildspecRuntimeVersions: DocumentRule = {
  id: 'BUILDSPEC_RUNTIME_VERSIONS_PHASE',
  kind: 'buildspec',
  severity: 'error',
  summary: 'runtime-versions appears only in the install phase.',
  check(document) {
    if (!isRecord(document) || !isRecord(document.phases)) return [];
    return Object.entries(document.phases)
      .filter(
        ([name, phase]) => name !== 'install' && isRecord(phase) && 'runtime-versions' in phase,
      )
      .map(([name]): RuleHit => ({
        path: ['phases', name, 'runtime-versions'],
        at: 'key',
        message: `runtime-versions is read only in the install phase; move it from ${name} to install`,
      }));
  },
};

const DEPLOY_FILES = /\b(imageDetail\.json|taskdef\.json|appspec\.ya?ml)\b/;

function globToRegExp(glob: string): RegExp {
  const pattern = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*\/?/g, 'GLOBSTAR')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]')
    .replace(/GLOBSTAR/g, '(?:.*/)?');
  return new RegExp(`^${pattern}$`);
}

export const buildspecImageDetailArtifact: DocumentRule = {
  id: 'BUILDSPEC_IMAGE_DETAIL_ARTIFACT',
  kind: 'buildspec',
  severity: 'error',
  summary:
    'A build that produces an ECS blue/green release (imageDetail.json, taskdef.json, appspec.yaml) lists imageDetail.json among its artifact files.',
  check(document) {
    if (!isRecord(document)) return [];
    const text = JSON.stringify(document.phases ?? {});
    const artifacts = isRecord(document.artifacts) ? document.artifacts : undefined;
    const files = Array.isArray(artifacts?.files)
      ? artifacts.files.filter((file) => typeof file === 'string')
      : [];
    const deploys = DEPLOY_FILES.test(text) || files.some((file) => DEPLOY_FILES.test(file));
    if (!deploys) return [];
    if (
      files.some(
        (file) => globToRegExp(file).test('imageDetail.json') || file.endsWith('/imageDetail.json'),
      )
    )
      return [];
    return [
      {
        path: artifacts ? ['artifacts', ...(Array.isArray(artifacts.files) ? ['files'] : [])] : [],
        message:
          'this build writes a release for CodeDeployToECS, which reads imageDetail.json from the artifact: add imageDetail.json to artifacts.files (exactly that name)',
      },
    ];
  },
};

export const buildspecRules: readonly DocumentRule[] = [
  buildspecVersion,
  buildspecReservedVariable,
  buildspecUnknownPhase,
  buildspecCommandsList,
  buildspecRuntimeVersions,
  buildspecImageDetailArtifact,
];
