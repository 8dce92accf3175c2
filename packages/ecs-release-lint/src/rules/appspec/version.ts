import { appspec } from '../../access/appspec.js';
import { documentRule } from '../../core/rule.js';
import { APPSPEC_ECS_DOCS } from './appspec.js';
import { ecsAppSpecOnly } from './resource-type.js';

export const appspecVersion = documentRule(
  {
    id: 'APPSPEC_VERSION',
    kind: 'appspec',
    requires: ecsAppSpecOnly,
    messages: {
      missing: 'the AppSpec has no version; add "version: 0.0" (the only documented value)',
      other: 'an ECS AppSpec has version 0.0 (the only documented value), not {{version}}',
    },
    severity: 'warning',
    summary: 'version is 0.0, the only documented value.',
    why: 'The AppSpec reference says "the only allowed value is 0.0". AppSpecs with another version are reported to deploy, so only a missing version is certain to matter to readers; both are flagged so the file says what it is.',
    reference: APPSPEC_ECS_DOCS,
  },
  (document) => {
    const root = appspec(document);
    if (root === undefined) return [];
    const { version } = root.fields;
    if (version === 0 || version === '0.0') return [];
    return version === undefined
      ? [
          {
            path: ['version'],
            messageId: 'missing',
          },
        ]
      : [
          {
            path: ['version'],
            messageId: 'other',
            data: { version: JSON.stringify(version) },
          },
        ];
  },
);
