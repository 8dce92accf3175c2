import * as z from 'zod';

const BUILDSPEC_DOCS = 'https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html';

/** The phases CodeBuild runs, in order. */
export const BUILDSPEC_PHASE_NAMES = ['install', 'pre_build', 'build', 'post_build'] as const;
export type BuildspecPhaseName = (typeof BUILDSPEC_PHASE_NAMES)[number];

/** A buildspec yes/no flag; YAML 1.1 readers turn yes/no into booleans, so both are accepted. */
const YesNoSchema = z.union([z.enum(['yes', 'no']), z.boolean()]);

/**
 * An optional list; YAML reads a key whose entries are all commented out as null, and an item
 * that is only "- # comment" as a null item. CodeBuild runs both (public builds ran for weeks
 * with a null item); BUILDSPEC_COMMANDS_LIST warns about the item. The parsed model leaves
 * the item out, as CodeBuild does, so readers of a phase get only commands.
 */
const CommandListSchema = z
  .array(z.string().nullable())
  .transform((commands) => commands.filter((command) => command !== null))
  .nullable();

/** Shell tags CodeBuild accepts in `env.shell`. */
export const BUILDSPEC_SHELLS = [
  'bash',
  '/bin/sh',
  'sh',
  'powershell.exe',
  'cmd.exe',
  'pwsh',
] as const;

export const BuildspecEnvSchema = z
  .strictObject({
    shell: z
      .enum(BUILDSPEC_SHELLS)
      .optional()
      .describe(
        'The shell that runs the commands: bash or /bin/sh on Linux, powershell.exe or cmd.exe on Windows.',
      ),
    variables: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .describe('Plain-text environment variables; names starting CODEBUILD_ are reserved.'),
    'parameter-store': z
      .record(z.string(), z.string())
      .optional()
      .describe(
        'Environment variables read from Systems Manager Parameter Store: NAME: parameter-name.',
      ),
    'secrets-manager': z
      .record(z.string(), z.string())
      .optional()
      .describe(
        'Environment variables read from Secrets Manager: NAME: secret-id:json-key:version-stage:version-id.',
      ),
    'exported-variables': z
      .array(z.string())
      .optional()
      .describe('Variables exported to later pipeline actions once the build ends.'),
    'git-credential-helper': YesNoSchema.optional().describe(
      "Whether git uses CodeBuild's credential helper (yes or no).",
    ),
  })
  .describe('Environment of the build.');

export const BuildspecProxySchema = z
  .strictObject({
    'upload-artifacts': YesNoSchema.optional().describe(
      'Whether artifacts are uploaded through the proxy.',
    ),
    logs: YesNoSchema.optional().describe('Whether CloudWatch logs are sent through the proxy.'),
  })
  .describe('Settings for a build running behind an explicit proxy server.');

export const BuildspecBatchSchema = z
  .strictObject({
    'fast-fail': z.boolean().optional().describe('Whether the batch stops when one build fails.'),
    'build-list': z
      .array(z.record(z.string(), z.unknown()))
      .optional()
      .describe('Builds of a batch run in parallel.'),
    'build-matrix': z
      .record(z.string(), z.unknown())
      .optional()
      .describe('A matrix of builds of a batch.'),
    'build-graph': z
      .array(z.record(z.string(), z.unknown()))
      .optional()
      .describe('Builds of a batch with dependencies between them.'),
    'build-fanout': z.record(z.string(), z.unknown()).optional().describe('A fan-out batch build.'),
  })
  .describe('Batch build settings.');

/**
 * ABORT, CONTINUE, or RETRY with an optional count and an optional regular
 * expression matched against the error (RETRY-3, RETRY-timeout, RETRY-3-timeout).
 */
export const OnFailureSchema = z
  .string()
  .regex(/^(ABORT|CONTINUE|RETRY(-\d+)?(-.+)?)$/)
  .describe(
    'What happens when a command of the phase fails: ABORT, CONTINUE, RETRY, RETRY-count, RETRY-regex or RETRY-count-regex.',
  );

const phaseShape = {
  'run-as': z
    .string()
    .min(1)
    .optional()
    .describe('The Linux user that runs the commands of this phase.'),
  'on-failure': OnFailureSchema.optional(),
  commands: CommandListSchema.optional().describe('Commands run in order; a list of strings.'),
  finally: CommandListSchema.optional().describe(
    'Commands run after the commands, even when one of them failed; a list of strings.',
  ),
};

export const BuildspecPhaseSchema = z.strictObject(phaseShape).describe('A build phase.');

export const BuildspecInstallPhaseSchema = z
  .strictObject({
    'run-as': phaseShape['run-as'],
    'on-failure': phaseShape['on-failure'],
    'runtime-versions': z
      .record(z.string(), z.union([z.string(), z.number()]))
      .optional()
      .describe('Runtimes of the curated image to select, e.g. nodejs: 22 (install phase only).'),
    commands: phaseShape.commands,
    finally: phaseShape.finally,
  })
  .describe('The install phase: installs packages and selects runtime versions.');

export const BuildspecPhasesSchema = z
  .strictObject({
    install: BuildspecInstallPhaseSchema.optional(),
    pre_build: BuildspecPhaseSchema.optional().describe(
      'Commands run before the build, e.g. logins.',
    ),
    build: BuildspecPhaseSchema.optional().describe('The build commands.'),
    post_build: BuildspecPhaseSchema.optional().describe(
      'Commands run after the build phase, also when it failed unless it aborted.',
    ),
  })
  .describe('The phases of the build: install, pre_build, build, post_build.');

/** Report file formats CodeBuild reads: test reports, then code coverage reports. */
export const REPORT_FILE_FORMATS = [
  'CUCUMBERJSON',
  'JUNITXML',
  'NUNITXML',
  'NUNIT3XML',
  'TESTNGXML',
  'VISUALSTUDIOTRX',
  'CLOVERXML',
  'COBERTURAXML',
  'JACOCOXML',
  'SIMPLECOV',
] as const;

/**
 * Paths or globs: documented as a list; a single path is read as a list of one
 * (AWS's own ECS tutorial writes `files: imagedefinitions.json`).
 *
 * @see https://docs.aws.amazon.com/codepipeline/latest/userguide/ecs-cd-pipeline.html
 */
const PathListSchema = z.union([z.string().min(1), z.array(z.string()).min(1)]);

/** A pattern matching one of the names in any letter case (representable in JSON Schema). */
function anyCase(names: readonly string[]): RegExp {
  const letters = (name: string) =>
    [...name]
      .map((char) =>
        /[A-Za-z]/.test(char) ? `[${char.toUpperCase()}${char.toLowerCase()}]` : char,
      )
      .join('');
  return new RegExp(`^(?:${names.map(letters).join('|')})$`);
}

export const BuildspecReportSchema = z
  .strictObject({
    files: PathListSchema.describe('Report files, as paths or globs.'),
    'base-directory': z.string().optional().describe('Directory the files are relative to.'),
    'discard-paths': YesNoSchema.optional().describe('Whether the report files are flattened.'),
    'file-format': z
      .string()
      .regex(anyCase(REPORT_FILE_FORMATS))
      .optional()
      .describe(
        `The report format, in any case: ${REPORT_FILE_FORMATS.join(', ')}; JUNITXML when absent.`,
      ),
  })
  .describe('A test or coverage report group.');

const artifactSetShape = {
  files: PathListSchema.describe('Files of the artifact, as paths or globs.'),
  name: z.string().optional().describe('The artifact name.'),
  'discard-paths': YesNoSchema.optional().describe(
    'Whether the files are put at the artifact root.',
  ),
  'base-directory': z
    .string()
    .optional()
    .describe('Directory the files are relative to and the artifact root.'),
  'exclude-paths': z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('Paths excluded from the artifact.'),
  'enable-symlinks': YesNoSchema.optional().describe(
    'Whether symbolic links are kept in a ZIP artifact.',
  ),
  's3-prefix': z.string().optional().describe('A prefix of the S3 artifact path.'),
};

export const BuildspecSecondaryArtifactSchema = z
  .strictObject(artifactSetShape)
  .describe('A secondary artifact.');

export const BuildspecArtifactsSchema = z
  .strictObject({
    ...artifactSetShape,
    type: z
      .string()
      .optional()
      .describe(
        'Deprecated in 0.2 and ignored: the project settings choose the artifact type (BUILDSPEC_LEGACY_KEY warns).',
      ),
    'secondary-artifacts': z
      .record(z.string(), BuildspecSecondaryArtifactSchema)
      .optional()
      .describe('Further artifacts by artifact identifier.'),
  })
  .describe('The output artifact of the build.');

export const BuildspecCacheSchema = z
  .strictObject({
    key: z.string().optional().describe('The cache key.'),
    'fallback-keys': z
      .array(z.string())
      .optional()
      .describe('Keys tried when the key has no cache.'),
    action: z.enum(['restore', 'save']).optional().describe('Only restore or only save the cache.'),
    paths: z
      .array(z.string())
      .nullable()
      .optional()
      .describe('Paths cached between builds (an empty, all-commented list reads as null).'),
  })
  .describe('Files cached between builds.');

/**
 * A CodeBuild buildspec, version 0.2.
 *
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html
 */
export const BuildspecSchema = z
  .strictObject({
    version: z
      .union([z.literal(0.2), z.literal('0.2'), z.literal(0.1), z.literal('0.1')])
      .describe(
        'The buildspec version: 0.2 runs all commands in one shell instance; 0.1 (still supported) runs each in its own.',
      ),
    'run-as': z.string().min(1).optional().describe('The Linux user that runs all commands.'),
    env: BuildspecEnvSchema.optional(),
    environment_variables: z
      .strictObject({
        plaintext: z
          .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
          .optional()
          .describe('Plain-text environment variables (0.2: env.variables).'),
      })
      .optional()
      .describe('The version 0.1 name of env, which 0.2 renamed (BUILDSPEC_LEGACY_KEY warns).'),
    proxy: BuildspecProxySchema.optional(),
    batch: BuildspecBatchSchema.optional(),
    phases: BuildspecPhasesSchema.optional().describe(
      'The phases of the build; required unless the buildspec only defines a batch.',
    ),
    reports: z
      .record(z.string(), BuildspecReportSchema)
      .optional()
      .describe('Report groups by name or ARN.'),
    artifacts: BuildspecArtifactsSchema.optional(),
    cache: BuildspecCacheSchema.optional(),
  })
  .describe(`CodeBuild buildspec 0.2. See ${BUILDSPEC_DOCS}`);

export type Buildspec = z.infer<typeof BuildspecSchema>;
export type BuildspecPhase = z.infer<typeof BuildspecPhaseSchema>;
export type BuildspecInstallPhase = z.infer<typeof BuildspecInstallPhaseSchema>;
