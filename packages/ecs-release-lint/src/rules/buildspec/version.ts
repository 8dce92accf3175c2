import { buildspec } from '../../access/buildspec.js';
import { documentRule } from '../../core/rule.js';
import { BUILDSPEC_DOCS } from './buildspec.js';

export const buildspecVersion = documentRule(
  {
    id: 'BUILDSPEC_VERSION',
    kind: 'buildspec',
    severity: 'error',
    messages: {
      shellPerCommand:
        'version 0.1 runs each command in its own shell (cd and variables do not carry over); use 0.2 unless that is intended',
      missing: 'the buildspec needs "version: 0.2"; add it',
      other: 'use version 0.2, not {{version}}',
    },
    summary: 'version is 0.2 (0.1, which runs every command in a new shell, is a warning).',
    why: 'CodeBuild reads only versions 0.1 and 0.2. With 0.1 a `cd` or an exported variable does not carry over to the next command, which surprises most readers; 0.2 is the recommended version.',
    reference: BUILDSPEC_DOCS,
  },
  (document) => {
    const root = buildspec(document);
    if (root === undefined) return [];
    const { version } = root.fields;
    if (version === 0.2 || version === '0.2') return [];
    if (version === 0.1 || version === '0.1') {
      return [
        {
          path: ['version'],
          severity: 'warning',
          messageId: 'shellPerCommand',
        },
      ];
    }
    return version === undefined
      ? [{ path: ['version'], messageId: 'missing' }]
      : [{ path: ['version'], messageId: 'other', data: { version: JSON.stringify(version) } }];
  },
);
