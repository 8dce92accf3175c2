import { BUILDSPEC_PHASE_NAMES } from '../../models/buildspec.js';
import { closest } from '../../private/suggest.js';
import { phases } from '../../access/buildspec.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { BUILDSPEC_DOCS } from './buildspec.js';

export const buildspecUnknownPhase = documentRule(
  {
    id: 'BUILDSPEC_UNKNOWN_PHASE',
    kind: 'buildspec',
    severity: 'error',
    messages: {
      unknown: '"{{name}}" is not a phase CodeBuild runs; use {{phases}}',
      misspelt: '"{{name}}" is not a phase CodeBuild runs; did you mean {{close}}? use {{phases}}',
    },
    summary: `phases has only ${BUILDSPEC_PHASE_NAMES.join(', ')}.`,
    why: 'CodeBuild runs only these four phases; a phase with another name (deploy, test) is rejected, so its commands never run.',
    reference: BUILDSPEC_DOCS,
  },
  (document) => {
    return phases(document)
      .filter(({ name }) => !(BUILDSPEC_PHASE_NAMES as readonly string[]).includes(name))
      .map(({ name, path }): RuleHit => {
        const close = closest(name, BUILDSPEC_PHASE_NAMES);
        return {
          path,
          at: 'key',
          messageId: close ? 'misspelt' : 'unknown',
          data: { name, ...(close && { close }), phases: BUILDSPEC_PHASE_NAMES.join(', ') },
        };
      });
  },
);
