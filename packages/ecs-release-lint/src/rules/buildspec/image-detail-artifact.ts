import { artifacts as artifactsOf, buildspec as buildspecOf } from '../../access/buildspec.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { artifactPatterns, commandsMention, exportsFile, IMAGE_DETAIL } from './artifacts.js';

/** The files besides imageDetail.json that CodeDeployToECS reads from a build artifact. */
const RELEASE_FILE = /^(?:taskdef\.json|appspec\.(?:yaml|yml|json))$/;

/** A build that writes imageDetail.json and leaves it out of every artifact. */
function lostImageDetail(buildspec: unknown, why = ''): RuleHit | undefined {
  if (buildspecOf(buildspec) === undefined || !commandsMention(buildspec, IMAGE_DETAIL))
    return undefined;
  if (exportsFile(artifactPatterns(buildspec), IMAGE_DETAIL)) return undefined;
  const artifacts = artifactsOf(buildspec);
  return {
    document: 'buildspec',
    path: artifacts
      ? [...artifacts.path, ...(artifacts.fields.files === undefined ? [] : ['files'])]
      : [],
    messageId: 'notExported',
    data: { why },
  };
}

/** Whether the build exports a task definition or AppSpec: it is the build of a release. */
const exportsReleaseFiles = (buildspec: unknown) =>
  exportsFile(artifactPatterns(buildspec), RELEASE_FILE);

export const buildspecImageDetailArtifact = documentRule(
  {
    id: 'BUILDSPEC_IMAGE_DETAIL_ARTIFACT',
    kind: 'buildspec',
    severity: 'error',
    messages: {
      notExported:
        'this build writes imageDetail.json but no artifact exports it, and CodeDeployToECS reads it from the artifact{{why}}: add imageDetail.json to artifacts.files',
    },
    summary:
      'A release build that writes imageDetail.json exports it in an artifact (files or secondary-artifacts, globs allowed).',
    why: "CodeDeployToECS reads imageDetail.json from an image input artifact to fill the task definition's image placeholder; written but not exported, it is lost when the build ends and the deployment fails. The rule applies to a release build: one that exports the task definition or AppSpec, or that is checked beside them. A build that exports neither feeds something else (ECS's standard deploy reads imagedefinitions.json), and what it does with imageDetail.json is not CodeDeployToECS's business.",
    reference:
      'https://docs.aws.amazon.com/codepipeline/latest/userguide/file-reference.html#file-reference-ecs-bluegreen',
    // Beside a taskdef and AppSpec the build is a release build even when it exports neither
    // (the pipeline may take them from the source artifact); the exporting case is `check`'s.
    releaseCheck: ({ buildspec, taskdef, appspec }) => {
      if (buildspec?.value === undefined || exportsReleaseFiles(buildspec.value)) return [];
      const beside = [taskdef?.file, appspec?.file].filter((file) => file !== undefined);
      const hit = lostImageDetail(
        buildspec.value,
        ` (it is the build of the release ${beside.join(' and ')} belong to)`,
      );
      return hit ? [hit] : [];
    },
  },
  (document) => {
    if (!exportsReleaseFiles(document)) return [];
    const hit = lostImageDetail(document);
    return hit ? [hit] : [];
  },
);
