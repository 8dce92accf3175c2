export const BUILDSPEC_DOCS =
  'https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html';
