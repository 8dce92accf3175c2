import { BUILDSPEC_PHASE_NAMES } from '../../models/buildspec.js';
import { documentRule, isRecord } from '../../core/rule.js';
import { buildspecExample } from './buildspec.js';

export const buildspecPhasesOrBatch = documentRule(
  {
    id: 'BUILDSPEC_PHASES_OR_BATCH',
    kind: 'buildspec',
    severity: 'error',
    summary: 'The buildspec has phases, unless it only defines a batch build.',
    why: 'CodeBuild needs phases to run a build; a batch-only buildspec is valid because each build of the batch names its own buildspec.',
    reference: 'https://docs.aws.amazon.com/codebuild/latest/userguide/batch-build-buildspec.html',
    example: {
      bad: { 'buildspec.yml': buildspecExample('env:\n  shell: bash\n') },
      good: {
        'buildspec.yml': buildspecExample(
          'batch:\n  build-list:\n    - identifier: unit\n      buildspec: ci/unit.yml\n',
        ),
      },
    },
  },
  (document) => {
    if (!isRecord(document) || document.phases !== undefined || document.batch !== undefined)
      return [];
    return [
      {
        path: ['phases'],
        message: `the buildspec needs phases (${BUILDSPEC_PHASE_NAMES.join(', ')}) or a batch; add at least phases.build`,
      },
    ];
  },
);
