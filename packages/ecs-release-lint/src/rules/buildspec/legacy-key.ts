import { artifacts, buildspec } from '../../access/buildspec.js';
import { documentRule, type RuleHit } from '../../core/rule.js';

// The "Buildspec versions" section lists what 0.2 changed: environment_variables became env,
// plaintext became variables, and artifacts' type field was deprecated. CodeBuild still reads
// 0.1 files, so these keys are old, not wrong.
const VERSIONS_DOCS =
  'https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec-ref-versions';

export const buildspecLegacyKey = documentRule(
  {
    id: 'BUILDSPEC_LEGACY_KEY',
    kind: 'buildspec',
    severity: 'warning',
    messages: {
      environmentVariables:
        'environment_variables is the version 0.1 name: 0.2 renamed it to env, and plaintext to variables; write "env:" with "variables:" under it',
      environmentVariablesBesideEnv:
        'both env and the version 0.1 environment_variables are set; move its plaintext entries into env.variables and remove it',
      artifactsType:
        "artifacts.type ({{type}}) is deprecated since buildspec 0.2 and ignored: the project's artifact settings choose the type; remove it",
    },
    summary:
      'The buildspec uses the 0.2 names: env/variables, not 0.1 environment_variables/plaintext, and no deprecated artifacts.type.',
    why: 'Version 0.2 renamed environment_variables to env and plaintext to variables, and deprecated the type of artifacts (the project settings choose it). CodeBuild still runs files that use the old names, so they are warnings; a 0.2 file should use the new ones.',
    reference: VERSIONS_DOCS,
  },
  (document) => {
    const root = buildspec(document);
    if (root === undefined) return [];
    const hits: RuleHit[] = [];
    if (root.fields.environment_variables !== undefined) {
      hits.push({
        path: ['environment_variables'],
        at: 'key',
        messageId:
          root.fields.env === undefined ? 'environmentVariables' : 'environmentVariablesBesideEnv',
      });
    }
    const artifactType = artifacts(document)?.fields.type;
    if (artifactType !== undefined) {
      hits.push({
        path: ['artifacts', 'type'],
        at: 'key',
        messageId: 'artifactsType',
        data: { type: JSON.stringify(artifactType) },
      });
    }
    return hits;
  },
);
