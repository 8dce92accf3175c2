import { strings, type DocumentKind, type DocumentRule, type RuleHit } from './rule.js';

const PLACEHOLDER = /<[A-Z][A-Z0-9_]*>/g;

/** Placeholders CodePipeline's CodeDeployToECS action fills, and where. */
const FILLED_BY_PIPELINE: Record<
  DocumentKind,
  (path: readonly (string | number)[], placeholder: string) => boolean
> = {
  taskdef: (path, placeholder) =>
    /^<IMAGE\d+_NAME>$/.test(placeholder) &&
    path.length === 3 &&
    path[0] === 'containerDefinitions' &&
    path[2] === 'image',
  appspec: (path, placeholder) =>
    placeholder === '<TASK_DEFINITION>' && path.at(-1) === 'TaskDefinition',
  buildspec: () => false,
};

function placeholderRule(kind: DocumentKind): DocumentRule {
  return {
    id: 'SPEC_UNFILLED_PLACEHOLDER',
    kind,
    severity: 'error',
    summary:
      'No sed-style placeholder (<APP_NAME>, <TASK_CPU> …) is left, except <IMAGE1_NAME> as a taskdef image and <TASK_DEFINITION> as the AppSpec TaskDefinition, which the pipeline fills.',
    check(document) {
      const hits: RuleHit[] = [];
      for (const [path, value] of strings(document)) {
        for (const [placeholder] of value.matchAll(PLACEHOLDER)) {
          if (FILLED_BY_PIPELINE[kind](path, placeholder)) continue;
          hits.push({
            path,
            message: `${placeholder} is a placeholder nothing fills (CodeDeployToECS fills only <IMAGE1_NAME> in the image and <TASK_DEFINITION> in the AppSpec); put the real value here or render the file with deploy-specs`,
          });
        }
      }
      return hits;
    },
  };
}

export const placeholderRules: readonly DocumentRule[] = [
  placeholderRule('taskdef'),
  placeholderRule('appspec'),
  placeholderRule('buildspec'),
];
