import { basename, dirname } from 'node:path';
import { isRecord, type DocumentKind } from './rules/rule.js';

/**
 * The kind of a document from its file name, as projects name them:
 * `appspec*.yaml|yml|json`, `*buildspec*.yml|yaml` or any YAML file in a
 * `buildspec(s)`/`codebuild` folder, `*taskdef*.json` and `*task-definition*.json`.
 */
export function kindFromFileName(file: string): DocumentKind | undefined {
  const name = basename(file).toLowerCase();
  const folder = basename(dirname(file)).toLowerCase();
  if (/appspec.*\.(ya?ml|json)$/.test(name)) return 'appspec';
  if (/buildspec.*\.ya?ml$/.test(name)) return 'buildspec';
  if (/\.ya?ml$/.test(name) && /^(\.?codebuild|buildspecs?)$/.test(folder)) return 'buildspec';
  if (/(taskdef|task[-_]?def(inition)?).*\.json$/.test(name)) return 'taskdef';
  return undefined;
}

/** The kind of a parsed document from the keys only that kind has, when its name says nothing. */
export function kindFromContent(value: unknown): DocumentKind | undefined {
  if (!isRecord(value)) return undefined;
  const keys = new Set(Object.keys(value).map((key) => key.toLowerCase()));
  const wrapped = isRecord(value.taskDefinition) && 'containerDefinitions' in value.taskDefinition;
  if (keys.has('containerdefinitions') || wrapped) return 'taskdef';
  if (keys.has('phases') || keys.has('batch')) return 'buildspec';
  if (keys.has('resources') || keys.has('hooks') || (keys.has('os') && keys.has('files')))
    return 'appspec';
  return undefined;
}
