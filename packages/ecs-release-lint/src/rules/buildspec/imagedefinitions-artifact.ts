import { IMAGE_DEFINITIONS_DOCS } from '../../models/imagedefinitions.js';
import { artifacts as artifactsOf, buildspec } from '../../access/buildspec.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { artifactPatterns, commandsMention, exportsFile, IMAGE_DEFINITIONS } from './artifacts.js';

export const buildspecImageDefinitionsArtifact = documentRule(
  {
    id: 'BUILDSPEC_IMAGEDEFINITIONS_ARTIFACT',
    kind: 'buildspec',
    severity: 'error',
    messages: {
      notExported:
        'this build writes imagedefinitions.json but no artifact exports it, and the Amazon ECS deploy action reads it from its input artifact: add imagedefinitions.json to artifacts.files',
      notWritten:
        'this build exports imagedefinitions.json but no command writes it, so the deploy action gets the copy in the source, with the image fixed when it was committed; write it after the push (printf \'[{"name":"%s","imageUri":"%s"}]\' <container> $REPOSITORY_URI:$TAG > imagedefinitions.json) unless a script the build runs does',
    },
    summary:
      'A build that writes imagedefinitions.json exports it in an artifact; one that exports it writes it (a warning: a script or the source may).',
    why: "The Amazon ECS deploy action reads imagedefinitions.json from its input artifact, which CodePipeline's file reference says must be a source or build artifact: written but not exported, the file is lost when the build ends and the deployment fails. Exported but never written by a command, the artifact carries whatever the source holds (an image fixed at commit time) or nothing; a script the build runs may write it, so that is a warning.",
    reference: IMAGE_DEFINITIONS_DOCS,
  },
  (document) => {
    if (buildspec(document) === undefined) return [];
    const written = commandsMention(document, IMAGE_DEFINITIONS);
    const exported = exportsFile(artifactPatterns(document), IMAGE_DEFINITIONS);
    const artifacts = artifactsOf(document);
    const path = artifacts
      ? [...artifacts.path, ...(artifacts.fields.files === undefined ? [] : ['files'])]
      : [];
    if (written && !exported)
      return [
        {
          path,
          messageId: 'notExported',
        },
      ];
    // A glob such as **/* exports everything; only a pattern naming the file says the build means it.
    const named = artifactPatterns(document).some((pattern) => IMAGE_DEFINITIONS.test(pattern));
    if (exported && named && !written)
      return [
        {
          path,
          severity: 'warning',
          messageId: 'notWritten',
        } satisfies RuleHit,
      ];
    return [];
  },
);
