import { isRecord, strings } from '../../core/rule.js';

function globToRegExp(glob: string): RegExp {
  const pattern = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*\/?/g, 'GLOBSTAR')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]')
    .replace(/GLOBSTAR/g, '(?:.*/)?');
  return new RegExp(`^${pattern}$`);
}

/** The file patterns of the primary and every secondary artifact. */
export function artifactPatterns(buildspec: unknown): string[] {
  if (!isRecord(buildspec) || !isRecord(buildspec.artifacts)) return [];
  const sets = [
    buildspec.artifacts,
    ...(isRecord(buildspec.artifacts['secondary-artifacts'])
      ? Object.values(buildspec.artifacts['secondary-artifacts'])
      : []),
  ];
  return sets.flatMap((set) => {
    if (!isRecord(set)) return [];
    if (typeof set.files === 'string') return [set.files];
    return Array.isArray(set.files)
      ? set.files.filter((file): file is string => typeof file === 'string')
      : [];
  });
}

/**
 * Whether an artifact exports a file of this name: a pattern matches it, or
 * its last segment does (the file may sit in a folder the build writes to).
 */
export function exportsFile(patterns: readonly string[], name: RegExp): boolean {
  return patterns.some((pattern) => {
    const last = pattern.split('/').at(-1) ?? pattern;
    return [pattern, last].some((glob) => {
      const matcher = globToRegExp(glob);
      return CANDIDATES.some((candidate) => name.test(candidate) && matcher.test(candidate));
    });
  });
}

const CANDIDATES = [
  'imageDetail.json',
  'imagedefinitions.json',
  'taskdef.json',
  'appspec.yaml',
  'appspec.yml',
  'appspec.json',
];

/** Whether a command of the build mentions a file name (writes or renders it). */
export function commandsMention(buildspec: unknown, name: RegExp): boolean {
  if (!isRecord(buildspec)) return false;
  for (const [, command] of strings(buildspec.phases)) if (name.test(command)) return true;
  return false;
}

export const IMAGE_DETAIL = /\bimageDetail\.json\b/;

/** The Amazon ECS (standard) deploy action's input, by its default name. */
export const IMAGE_DEFINITIONS = /\bimagedefinitions\.json\b/;
