import { phases } from '../../access/buildspec.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { BUILDSPEC_DOCS } from './buildspec.js';

export const buildspecRuntimeVersions = documentRule(
  {
    id: 'BUILDSPEC_RUNTIME_VERSIONS_PHASE',
    kind: 'buildspec',
    severity: 'error',
    messages: {
      notInstall:
        'runtime-versions is read only in the install phase; move it from {{phase}} to install',
    },
    summary: 'runtime-versions appears only in the install phase.',
    why: 'CodeBuild reads runtime-versions only in the install phase and rejects it elsewhere, so the build would run on the default runtime.',
    reference: BUILDSPEC_DOCS,
  },
  (document) => {
    return phases(document)
      .filter(
        ({ name, fields }) =>
          name !== 'install' && fields !== undefined && 'runtime-versions' in fields,
      )
      .map(({ name, path }): RuleHit => ({
        path: [...path, 'runtime-versions'],
        at: 'key',
        messageId: 'notInstall',
        data: { phase: name },
      }));
  },
);
