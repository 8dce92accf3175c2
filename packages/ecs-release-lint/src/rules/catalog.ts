import { appspecAssignPublicIp } from './appspec/assign-public-ip.js';
import { appspecContainerName } from './appspec/container-name.js';
import { appspecContainerPort } from './appspec/container-port-number.js';
import { appspecDuplicateHook } from './appspec/duplicate-hook.js';
import { appspecHookName } from './appspec/hook-name.js';
import { appspecNetworkAllOrNone } from './appspec/network-all-or-none.js';
import { appspecResourceType } from './appspec/resource-type.js';
import { appspecTaskDefinition } from './appspec/task-definition.js';
import { appspecVersion } from './appspec/version.js';
import { buildspecCommandsList } from './buildspec/commands-list.js';
import { buildspecLegacyKey } from './buildspec/legacy-key.js';
import { buildspecImageDetailArtifact } from './buildspec/image-detail-artifact.js';
import { buildspecImageDefinitionsArtifact } from './buildspec/imagedefinitions-artifact.js';
import { imagedefinitionsDuplicateName } from './imagedefinitions/duplicate-name.js';
import { imagedefinitionsImageUri } from './imagedefinitions/image-uri.js';
import { imagedefinitionsUnknownKey } from './imagedefinitions/unknown-key.js';
import { buildspecPhasesOrBatch } from './buildspec/phases-or-batch.js';
import { buildspecReservedVariable } from './buildspec/reserved-variable.js';
import { buildspecRuntimeVersions } from './buildspec/runtime-versions-phase.js';
import { buildspecUnknownPhase } from './buildspec/unknown-phase.js';
import { buildspecVersion } from './buildspec/version.js';
import { parseDuplicateKey } from './parse/duplicate-key.js';
import { parseSyntax } from './parse/syntax.js';
import { parseTabIndentation } from './parse/tab-indentation.js';
import { releaseArtifacts } from './release/artifacts.js';
import { releaseContainerName } from './release/container-name.js';
import { releaseContainerPort } from './release/container-port.js';
import { releaseDockerfileExpose } from './release/dockerfile-expose.js';
import { releaseImageDefinitions } from './release/image-definitions.js';
import type { Rule } from '../core/rule.js';
import { schemaInvalidType } from './schema/invalid-type.js';
import { schemaInvalidValue } from './schema/invalid-value.js';
import { schemaMissingKey } from './schema/missing-key.js';
import { schemaUnknownKey } from './schema/unknown-key.js';
import { specUnfilledPlaceholder } from './spec/unfilled-placeholder.js';
import { taskdefAwslogsOptions } from './taskdef/awslogs-options.js';
import { taskdefAwsvpcHostPort } from './taskdef/awsvpc-host-port.js';
import { taskdefContainerFieldAtTaskLevel } from './taskdef/container-field-at-task-level.js';
import { taskdefContainerName } from './taskdef/container-name.js';
import { taskdefDescribeOutput } from './taskdef/describe-output.js';
import { taskdefEssentialContainer } from './taskdef/essential-container.js';
import { taskdefExecutionRole } from './taskdef/execution-role.js';
import { taskdefFargateAwsvpc } from './taskdef/fargate-awsvpc.js';
import { taskdefFargateCpuMemory } from './taskdef/fargate-cpu-memory.js';
import { taskdefHealthCheckCommand } from './taskdef/healthcheck-command.js';
import { taskdefImageReference } from './taskdef/image-reference.js';
import { taskdefLinksBridgeOnly } from './taskdef/links-bridge-only.js';
import { taskdefContainerWithinTask } from './taskdef/container-within-task.js';
import { taskdefFargateLogDriver } from './taskdef/fargate-log-driver.js';
import { taskdefFargateUnsupported } from './taskdef/fargate-unsupported.js';
import { taskdefUnknownReference } from './taskdef/unknown-reference.js';
import { taskdefMemoryRequired } from './taskdef/memory-required.js';

/** Every rule, in the order of the reference: parse, schema, each kind, placeholders, release. */
export const RULES: readonly Rule[] = [
  parseSyntax,
  parseTabIndentation,
  parseDuplicateKey,
  schemaUnknownKey,
  schemaMissingKey,
  schemaInvalidType,
  schemaInvalidValue,
  taskdefDescribeOutput,
  taskdefFargateCpuMemory,
  taskdefFargateAwsvpc,
  taskdefContainerFieldAtTaskLevel,
  taskdefEssentialContainer,
  taskdefContainerName,
  taskdefMemoryRequired,
  taskdefExecutionRole,
  taskdefHealthCheckCommand,
  taskdefAwslogsOptions,
  taskdefImageReference,
  taskdefAwsvpcHostPort,
  taskdefLinksBridgeOnly,
  taskdefContainerWithinTask,
  taskdefUnknownReference,
  taskdefFargateUnsupported,
  taskdefFargateLogDriver,
  appspecVersion,
  appspecResourceType,
  appspecTaskDefinition,
  appspecHookName,
  appspecDuplicateHook,
  appspecContainerName,
  appspecContainerPort,
  appspecAssignPublicIp,
  appspecNetworkAllOrNone,
  buildspecVersion,
  buildspecPhasesOrBatch,
  buildspecReservedVariable,
  buildspecUnknownPhase,
  buildspecCommandsList,
  buildspecRuntimeVersions,
  buildspecImageDetailArtifact,
  buildspecImageDefinitionsArtifact,
  buildspecLegacyKey,
  imagedefinitionsUnknownKey,
  imagedefinitionsDuplicateName,
  imagedefinitionsImageUri,
  specUnfilledPlaceholder,
  releaseContainerName,
  releaseContainerPort,
  releaseDockerfileExpose,
  releaseArtifacts,
  releaseImageDefinitions,
];

/** A rule id with its one-line summary. */
export interface RuleSummary {
  readonly id: string;
  readonly summary: string;
}

/** Every rule id the validator can report, each once, in a stable order. */
export function ruleCatalog(): RuleSummary[] {
  return RULES.map(({ id, summary }) => ({ id, summary }));
}
