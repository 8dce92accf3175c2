export const BUILDSPEC_DOCS =
  'https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html';

/** A minimal buildspec for examples. */
export function buildspecExample(
  body = 'phases:\n  build:\n    commands:\n      - make\n',
  version = '0.2',
): string {
  return `version: ${version}\n${body}`;
}
