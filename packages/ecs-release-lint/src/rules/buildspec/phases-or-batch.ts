import { BUILDSPEC_PHASE_NAMES } from '../../models/buildspec.js';
import { buildspec } from '../../access/buildspec.js';
import { documentRule } from '../../core/rule.js';

export const buildspecPhasesOrBatch = documentRule(
  {
    id: 'BUILDSPEC_PHASES_OR_BATCH',
    kind: 'buildspec',
    severity: 'error',
    messages: {
      missing: 'the buildspec needs phases ({{phases}}) or a batch; add at least phases.build',
    },
    summary: 'The buildspec has phases, unless it only defines a batch build.',
    why: 'CodeBuild needs phases to run a build; a batch-only buildspec is valid because each build of the batch names its own buildspec.',
    reference: 'https://docs.aws.amazon.com/codebuild/latest/userguide/batch-build-buildspec.html',
  },
  (document) => {
    const root = buildspec(document);
    if (root === undefined || root.fields.phases !== undefined || root.fields.batch !== undefined)
      return [];
    return [
      {
        path: ['phases'],
        messageId: 'missing',
        data: { phases: BUILDSPEC_PHASE_NAMES.join(', ') },
      },
    ];
  },
);
