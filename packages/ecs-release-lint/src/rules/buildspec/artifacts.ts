import { artifactFiles, phaseStrings } from '../../access/buildspec.js';

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
export const artifactPatterns = (buildspec: unknown): string[] => artifactFiles(buildspec);

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
  for (const [, command] of phaseStrings(buildspec)) if (name.test(command)) return true;
  return false;
}

export const IMAGE_DETAIL = /\bimageDetail\.json\b/;

/** The Amazon ECS (standard) deploy action's input, by its default name. */
export const IMAGE_DEFINITIONS = /\bimagedefinitions\.json\b/;
