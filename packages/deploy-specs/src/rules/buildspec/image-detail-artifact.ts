import { documentRule, isRecord } from '../rule.js';
import { buildspecExample } from './buildspec.js';
import { artifactPatterns, commandsMention, exportsFile, IMAGE_DETAIL } from './artifacts.js';

const build = (files: string) =>
  buildspecExample(
    `phases:\n  build:\n    commands:\n      - docker build -t $REPOSITORY_URI:$TAG .\n      - docker push $REPOSITORY_URI:$TAG\n      - printf '{"ImageURI":"%s"}' $REPOSITORY_URI:$TAG > imageDetail.json\nartifacts:\n  files:\n${files}`,
  );

export const buildspecImageDetailArtifact = documentRule(
  {
    id: 'BUILDSPEC_IMAGE_DETAIL_ARTIFACT',
    kind: 'buildspec',
    severity: 'error',
    summary:
      'A build that writes imageDetail.json exports it in an artifact (files or secondary-artifacts, globs allowed).',
    why: "CodeDeployToECS reads imageDetail.json from an image input artifact to fill the task definition's image placeholder; written but not exported, it is lost when the build ends and the deployment fails.",
    reference:
      'https://docs.aws.amazon.com/codepipeline/latest/userguide/file-reference.html#file-reference-ecs-bluegreen',
    example: {
      bad: { 'buildspec.yml': build('    - taskdef.json\n    - appspec.yaml\n') },
      good: {
        'buildspec.yml': build('    - imageDetail.json\n    - taskdef.json\n    - appspec.yaml\n'),
      },
    },
  },
  (document) => {
    if (!isRecord(document) || !commandsMention(document, IMAGE_DETAIL)) return [];
    if (exportsFile(artifactPatterns(document), IMAGE_DETAIL)) return [];
    const artifacts = isRecord(document.artifacts) ? document.artifacts : undefined;
    return [
      {
        path: artifacts ? ['artifacts', ...(artifacts.files === undefined ? [] : ['files'])] : [],
        message:
          'this build writes imageDetail.json but no artifact exports it, and CodeDeployToECS reads it from the artifact: add imageDetail.json to artifacts.files',
      },
    ];
  },
);
