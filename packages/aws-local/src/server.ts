import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsServiceError } from './protocols/errors.js';
import {
  parseJsonBody,
  parseTarget,
  sendJson,
  sendJsonError,
  type JsonOperation,
} from './protocols/json.js';
import { parseForm, sendQueryError, sendQueryXml } from './protocols/query.js';
import { CODEDEPLOY_TARGET_PREFIX, codeDeployOperations } from './services/codedeploy.js';
import { ec2Operations } from './services/ec2.js';
import { ECR_TARGET_PREFIX, ecrOperations } from './services/ecr.js';
import { ECS_TARGET_PREFIX, ecsOperations } from './services/ecs.js';
import type { AwsCall, AwsWorld, HookReport } from './world.js';

export interface AwsStandIn<World extends AwsWorld = AwsWorld> {
  /** `http://127.0.0.1:<port>`: give it to the SDK as `AWS_ENDPOINT_URL` or `endpoint`. */
  readonly endpoint: string;
  /** Every request received, in order, answered or refused. */
  readonly calls: ReadonlyArray<AwsCall>;
  /** Every PutLifecycleEventHookExecutionStatus accepted, in order. */
  readonly hookReports: ReadonlyArray<HookReport>;
  /** The world it answers from; change it and the next answer follows. */
  readonly world: World;
  close(): Promise<void>;
}

export interface AwsStandInOptions {
  /** Port on 127.0.0.1. @default 0 (any free port) */
  readonly port?: number;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** The SDK signs every request (SigV4); the real endpoints refuse an unsigned one. */
function isSigned(request: IncomingMessage): boolean {
  return (request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 Credential=');
}

/**
 * Start the stand-in on 127.0.0.1. It answers CodeDeploy and ECS
 * (awsJson1_1) and EC2 (ec2Query) from `world`, in the shapes the real
 * APIs answer, including what they leave out.
 */
export async function startAwsStandIn<World extends AwsWorld>(
  world: World,
  options: AwsStandInOptions = {},
): Promise<AwsStandIn<World>> {
  const startedAt = new Date();
  const calls: AwsCall[] = [];
  const hookReports: HookReport[] = [];
  const jsonServices: Record<
    string,
    { service: AwsCall['service']; operations: Record<string, JsonOperation> }
  > = {
    [CODEDEPLOY_TARGET_PREFIX]: {
      service: 'codedeploy',
      operations: codeDeployOperations(world, startedAt, hookReports),
    },
    [ECS_TARGET_PREFIX]: { service: 'ecs', operations: ecsOperations(world, startedAt) },
    [ECR_TARGET_PREFIX]: { service: 'ecr', operations: ecrOperations(world) },
  };
  const ec2 = ec2Operations(world);

  async function answerJson(request: IncomingMessage, response: ServerResponse, requestId: string) {
    const { prefix, operation } = parseTarget(
      request.headers['x-amz-target'] as string | undefined,
    );
    const known = jsonServices[prefix];
    const body = await readBody(request);
    let input: Record<string, unknown> = {};
    try {
      input = parseJsonBody(body);
      calls.push({ service: known?.service ?? 'unknown', operation, input });
      if (!isSigned(request)) {
        throw new AwsServiceError(
          'MissingAuthenticationTokenException',
          'Missing Authentication Token',
        );
      }
      const run = known?.operations[operation];
      if (!known || !run) {
        throw new AwsServiceError(
          'UnknownOperationException',
          `Unknown operation ${prefix}.${operation}`,
        );
      }
      sendJson(response, requestId, run(input));
    } catch (error) {
      sendJsonError(response, requestId, asServiceError(error));
    }
  }

  async function answerQuery(
    request: IncomingMessage,
    response: ServerResponse,
    requestId: string,
  ) {
    const form = parseForm(await readBody(request));
    const action = form.get('Action') ?? '';
    calls.push({ service: 'ec2', operation: action, input: Object.fromEntries(form) });
    try {
      if (!isSigned(request)) {
        throw new AwsServiceError(
          'AuthFailure',
          'AWS was not able to validate the provided access credentials',
          401,
        );
      }
      const run = ec2[action];
      if (!run) {
        throw new AwsServiceError(
          'InvalidAction',
          `The action ${action} is not valid for this web service.`,
        );
      }
      sendQueryXml(response, requestId, action, run(form));
    } catch (error) {
      sendQueryError(response, requestId, asServiceError(error));
    }
  }

  const server = createServer((request, response) => {
    const requestId = randomUUID();
    const answer =
      request.headers['x-amz-target'] !== undefined
        ? answerJson(request, response, requestId)
        : answerQuery(request, response, requestId);
    answer.catch((error: unknown) => {
      if (!response.headersSent) sendJsonError(response, requestId, asServiceError(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    hookReports,
    world,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function asServiceError(error: unknown): AwsServiceError {
  if (error instanceof AwsServiceError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AwsServiceError('InternalFailure', `The stand-in failed: ${message}`, 500);
}
