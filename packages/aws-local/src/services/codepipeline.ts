import type {
  ListActionExecutionsOutput,
  ListPipelineExecutionsOutput,
} from '@aws-sdk/client-codepipeline';
import { AwsServiceError } from '../protocols/errors.js';
import type { JsonOperation } from '../protocols/json.js';
import { page, pageSize } from '../protocols/paging.js';
import type { AwsWorld, WorldPipeline } from '../world.js';

/**
 * CodePipeline (awsJson1_1, `X-Amz-Target: CodePipeline_20150709.<Op>`),
 * shapes from the SDK's output types and the API reference:
 * - ListPipelineExecutions: https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ListPipelineExecutions.html
 *   Newest first, pages of 100 by default; `sourceRevisions` carries the
 *   commit id (`revisionId`) and, for a connection source, a JSON
 *   `revisionSummary` with the commit message; no commit time.
 * - ListActionExecutions: https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ListActionExecutions.html
 *   Newest first; the CodeDeploy action's `output.executionResult.externalExecutionId`
 *   is the deployment id. `filter.pipelineExecutionId` narrows to one run.
 * An unknown pipeline is `PipelineNotFoundException`.
 */

export const CODEPIPELINE_TARGET_PREFIX = 'CodePipeline_20150709';

function findPipeline(world: AwsWorld, name: unknown): WorldPipeline {
  const found = (world.pipelines ?? []).find((p) => p.pipelineName === name);
  if (!found) {
    throw new AwsServiceError(
      'PipelineNotFoundException',
      `Account '${world.accountId ?? '123456789012'}' does not have a pipeline with name '${String(name)}'`,
    );
  }
  return found;
}

const newestFirst = (a: { startTime?: Date }, b: { startTime?: Date }) =>
  (b.startTime?.getTime() ?? 0) - (a.startTime?.getTime() ?? 0);

export function codePipelineOperations(world: AwsWorld): Record<string, JsonOperation> {
  return {
    ListPipelineExecutions(input): ListPipelineExecutionsOutput {
      const pipeline = findPipeline(world, input.pipelineName);
      const { items, next } = page(
        [...pipeline.executions].sort(newestFirst),
        input.nextToken,
        pageSize(input.maxResults, 100, 100),
        'InvalidNextTokenException',
      );
      return { pipelineExecutionSummaries: items, nextToken: next };
    },

    ListActionExecutions(input): ListActionExecutionsOutput {
      const pipeline = findPipeline(world, input.pipelineName);
      const filter = input.filter as { pipelineExecutionId?: string } | undefined;
      const wanted = filter?.pipelineExecutionId;
      const selected = pipeline.actionExecutions
        .filter((a) => wanted === undefined || a.pipelineExecutionId === wanted)
        .sort(newestFirst);
      const { items, next } = page(
        selected,
        input.nextToken,
        pageSize(input.maxResults, 100, 100),
        'InvalidNextTokenException',
      );
      return { actionExecutionDetails: items, nextToken: next };
    },
  };
}
