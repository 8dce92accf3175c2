import type { DocumentPath } from '../../core/findings.js';
import { ecsAppSpecOnly } from '../appspec/resource-type.js';
import { IMAGE_PLACEHOLDER_PATTERN } from '../taskdef/image-reference.js';
import { strings, type DocumentKind, type Rule, type RuleHit } from '../../core/rule.js';

const ANGLE = /<([A-Za-z][A-Za-z0-9_-]*)>/g;
const UPPER_SNAKE = /^[A-Z][A-Z0-9_]*$/;
// Beside these a <name> is part of an ARN, a host or a URI (arn:aws:iam::<AccountId>:role,
// <account>.dkr.ecr…, https://<host>/), not shell or markup (<title>.*</title>).
const BEFORE_IN_URI = /[:/.@=]$/;
const AFTER_IN_URI = /^(?:[:/@=]|\.[A-Za-z0-9])/;
// sed's s command, `s|pattern|replacement|`: a placeholder in the pattern is what the command fills.
const SED_SUBSTITUTION = /(?:^|[\s'"(;])s([|/#,:@!%+~])((?:\\.|(?!\1).)+?)\1/g;

/** Where CodePipeline's CodeDeployToECS action fills a placeholder. */
function filledByPipeline(kind: DocumentKind, path: DocumentPath, value: string): boolean {
  if (kind === 'taskdef') {
    // Image<N>ContainerName is any name the action is given (CDK's default is IMAGE).
    return (
      path.length === 3 &&
      path[0] === 'containerDefinitions' &&
      path[2] === 'image' &&
      IMAGE_PLACEHOLDER_PATTERN.test(value)
    );
  }
  if (kind === 'appspec') return value === '<TASK_DEFINITION>' && path.at(-1) === 'TaskDefinition';
  return false;
}

/** Offsets of the pattern parts of sed substitutions in a string. */
function sedPatterns(value: string): [number, number][] {
  return [...value.matchAll(SED_SUBSTITUTION)].map((match) => {
    const start = match.index + match[0].length - match[2]!.length - 1;
    return [start, start + match[2]!.length];
  });
}

/** The placeholders left in a string: upper-case ones anywhere, others inside an ARN, URI or whole value. */
export function placeholders(value: string): string[] {
  const filled = sedPatterns(value);
  const found: string[] = [];
  for (const match of value.matchAll(ANGLE)) {
    const [text, name] = match as unknown as [string, string];
    const start = match.index;
    const end = start + text.length;
    if (filled.some(([from, to]) => start >= from && end <= to)) continue;
    const whole = text === value.trim();
    const inUri = BEFORE_IN_URI.test(value.slice(0, start)) || AFTER_IN_URI.test(value.slice(end));
    if (UPPER_SNAKE.test(name) || whole || inUri) found.push(text);
  }
  return found;
}

const KINDS: readonly DocumentKind[] = ['taskdef', 'appspec', 'buildspec'];

export const specUnfilledPlaceholder: Rule = {
  id: 'SPEC_UNFILLED_PLACEHOLDER',
  stage: 'document',
  kinds: KINDS,
  severity: 'error',
  messages: {
    unfilled:
      '{{placeholder}} is a placeholder nothing fills (CodeDeployToECS fills only the image placeholders of the task definition and <TASK_DEFINITION> in the AppSpec); put the real value here or render the file before the pipeline reads it',
  },
  requires: ecsAppSpecOnly,
  summary:
    'No template placeholder (<APP_NAME>, <AccountId> in an ARN …) is left, except a taskdef image placeholder and the AppSpec <TASK_DEFINITION>, which the pipeline fills.',
  why: 'CodeDeployToECS replaces only the image placeholders it is given (<IMAGE1_NAME> by default; CDK uses <IMAGE>) and <TASK_DEFINITION> in the AppSpec. Any other placeholder reaches AWS as written and fails the registration, the role lookup or the image pull. A placeholder inside the sed command that fills it is not left over.',
  reference:
    'https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECSbluegreen.html',
  check(input) {
    const hits: RuleHit[] = [];
    for (const kind of KINDS) {
      const value = input[kind]?.value;
      if (value === undefined) continue;
      for (const [path, text] of strings(value)) {
        if (filledByPipeline(kind, path, text)) continue;
        for (const placeholder of placeholders(text)) {
          hits.push({
            document: kind,
            path,
            messageId: 'unfilled',
            data: { placeholder },
          });
        }
      }
    }
    return hits;
  },
};
