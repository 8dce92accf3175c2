import { basename, dirname } from 'node:path';
import { isRecord, type DocumentKind } from '../core/rule.js';

/**
 * The kind of a document from its file name, as projects name them:
 * `appspec*.yaml|yml|json`, `*buildspec*.yml|yaml`, `*taskdef*.json` and
 * `*task-definition*.json`, and `*imagedefinitions*.json` (CodePipeline's default name is
 * imagedefinitions.json; another name is set on the deploy action).
 */
export function kindFromFileName(file: string): DocumentKind | undefined {
  const name = basename(file).toLowerCase();
  if (/appspec.*\.(ya?ml|json)$/.test(name)) return 'appspec';
  if (/image[-_]?definitions.*\.json$/.test(name)) return 'imagedefinitions';
  if (/buildspec.*\.ya?ml$/.test(name)) return 'buildspec';
  if (/(taskdef|task[-_]?def(inition)?).*\.json$/.test(name)) return 'taskdef';
  return undefined;
}

/**
 * The kind of a file from the folders it sits in, as projects keep them: any
 * YAML under a `codebuild`/`.codebuild`/`buildspec(s)` folder is a buildspec,
 * any JSON under `task_definitions`, `task-definitions`, `taskdef(s)` … a task
 * definition. The nearest such folder wins.
 */
export function kindFromFolders(file: string): DocumentKind | undefined {
  const name = basename(file).toLowerCase();
  const folders = dirname(file).split(/[\\/]/).reverse();
  for (const folder of folders.map((part) => part.toLowerCase())) {
    if (/\.ya?ml$/.test(name) && /^(\.?codebuild|buildspecs?)$/.test(folder)) return 'buildspec';
    if (
      /\.json$/.test(name) &&
      /^(task[-_]?def(inition)?s?|ecs[-_]task[-_]?def(inition)?s?)$/.test(folder)
    )
      return 'taskdef';
  }
  return undefined;
}

/** The kind of a parsed document from the keys only that kind has, when its name says nothing. */
export function kindFromContent(value: unknown): DocumentKind | undefined {
  // No other kind is an array: one whose entries are objects with imageUri is image definitions.
  if (Array.isArray(value))
    return value.length > 0 && value.every((entry) => isRecord(entry) && 'imageUri' in entry)
      ? 'imagedefinitions'
      : undefined;
  if (!isRecord(value)) return undefined;
  const keys = new Set(Object.keys(value).map((key) => key.toLowerCase()));
  const wrapped = isRecord(value.taskDefinition) && 'containerDefinitions' in value.taskDefinition;
  if (keys.has('containerdefinitions') || wrapped) return 'taskdef';
  if (keys.has('phases') || keys.has('batch')) return 'buildspec';
  if (keys.has('resources') || keys.has('hooks') || (keys.has('os') && keys.has('files')))
    return 'appspec';
  return undefined;
}

/** Every top-level key an AppSpec of any compute platform (ECS, Lambda, EC2/On-Premises) has. */
const APPSPEC_KEYS = new Set(['version', 'resources', 'hooks', 'os', 'files', 'permissions']);

/**
 * The top-level keys that show a file named like an AppSpec is something
 * else (a MoveApps app manifest is `appspec.json` too): it has none of
 * version, Resources and Hooks, in any case, and keys no AppSpec has.
 * Empty when it may be an AppSpec.
 */
export function foreignAppSpecKeys(value: unknown): string[] {
  if (!isRecord(value)) return [];
  const keys = Object.keys(value);
  if (keys.some((key) => ['version', 'resources', 'hooks'].includes(key.toLowerCase()))) return [];
  return keys.filter((key) => !APPSPEC_KEYS.has(key.toLowerCase()));
}
