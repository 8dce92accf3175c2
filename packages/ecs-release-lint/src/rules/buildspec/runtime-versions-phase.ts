import { documentRule, isRecord, type RuleHit } from '../../core/rule.js';
import { BUILDSPEC_DOCS } from './buildspec.js';

export const buildspecRuntimeVersions = documentRule(
  {
    id: 'BUILDSPEC_RUNTIME_VERSIONS_PHASE',
    kind: 'buildspec',
    severity: 'error',
    summary: 'runtime-versions appears only in the install phase.',
    why: 'CodeBuild reads runtime-versions only in the install phase and rejects it elsewhere, so the build would run on the default runtime.',
    reference: BUILDSPEC_DOCS,
  },
  (document) => {
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
);
