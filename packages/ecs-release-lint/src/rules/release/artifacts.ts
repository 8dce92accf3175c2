import {
  artifactPatterns,
  commandsMention,
  exportsFile,
  IMAGE_DETAIL,
} from '../buildspec/artifacts.js';
import { IMAGE_PLACEHOLDER_PATTERN } from '../taskdef/image-reference.js';
import { artifacts as artifactsOf } from '../../access/buildspec.js';
import type { Rule } from '../../core/rule.js';
import { containerList } from './release.js';

export const releaseArtifacts: Rule = {
  id: 'RELEASE_ARTIFACTS',
  stage: 'release',
  kinds: ['buildspec', 'taskdef'],
  severity: 'warning',
  messages: {
    noImageDetail:
      '{{taskdef}} has the image placeholder {{placeholder}}, which CodeDeployToECS fills from imageDetail.json of an image input artifact, and this build neither writes nor exports one; write it here (printf \'{"ImageURI":"%s"}\' … > imageDetail.json, listed in artifacts.files) unless an ECR source action provides it',
  },
  summary:
    'When the taskdef beside a buildspec has an image placeholder, something provides imageDetail.json (a warning: an ECR source action may).',
  why: "CodeDeployToECS fills the task definition's image placeholder from imageDetail.json of an image input artifact. The image input is optional and may come from an ECR source action instead of the build, so a build that neither writes nor exports imageDetail.json is only a warning.",
  reference:
    'https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECSbluegreen.html',
  check({ buildspec: build, taskdef }) {
    if (build?.value === undefined || taskdef?.value === undefined) return [];
    const placeholder = containerList(taskdef).find((container) => {
      const image = container.fields.image;
      return typeof image === 'string' && IMAGE_PLACEHOLDER_PATTERN.test(image);
    });
    if (!placeholder) return [];
    if (commandsMention(build.value, IMAGE_DETAIL)) return []; // BUILDSPEC_IMAGE_DETAIL_ARTIFACT's concern
    if (exportsFile(artifactPatterns(build.value), IMAGE_DETAIL)) return [];
    const artifacts = artifactsOf(build.value);
    return [
      {
        document: 'buildspec',
        path: artifacts ? artifacts.path : [],
        at: 'key',
        messageId: 'noImageDetail',
        data: { taskdef: taskdef.file, placeholder: String(placeholder.fields.image) },
      },
    ];
  },
};
