import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsServiceError } from './protocols/errors.js';
import {
  sendQueryErrorResponse,
  sendQueryResult,
  type AwsQueryOperation,
} from './protocols/aws-query.js';
import {
  parseJsonBody,
  parseTarget,
  sendJson,
  sendJsonError,
  type JsonContentType,
  type JsonOperation,
} from './protocols/json.js';
import { EC2_API_VERSION, parseForm, sendQueryError, sendQueryXml } from './protocols/query.js';
import { renderXml } from './protocols/xml.js';
import { ACM_TARGET_PREFIX, acmOperations } from './services/acm.js';
import {
  CLOUDFORMATION_NAMESPACE,
  CLOUDFORMATION_VERSION,
  cloudFormationOperations,
} from './services/cloudformation.js';
import { CLOUDWATCH_TARGET_PREFIX, cloudWatchOperations } from './services/cloudwatch.js';
import { CODEDEPLOY_TARGET_PREFIX, codeDeployOperations } from './services/codedeploy.js';
import { CODEPIPELINE_TARGET_PREFIX, codePipelineOperations } from './services/codepipeline.js';
import { CONNECTIONS_TARGET_PREFIX, connectionsOperations } from './services/connections.js';
import { ec2Operations } from './services/ec2.js';
import { ECR_TARGET_PREFIX, ecrOperations } from './services/ecr.js';
import { ECS_TARGET_PREFIX, ecsOperations } from './services/ecs.js';
import { ELBV2_NAMESPACE, ELBV2_VERSION, elbv2Operations } from './services/elbv2.js';
import { LAMBDA_CONFIGURATION_PATH, getFunctionConfiguration } from './services/lambda.js';
import {
  ROUTE53_NAMESPACE,
  ROUTE53_PATH,
  listResourceRecordSets,
  route53MemberName,
} from './services/route53.js';
import { SNS_NAMESPACE, SNS_VERSION, snsOperations } from './services/sns.js';
import { STS_NAMESPACE, STS_VERSION, stsOperations } from './services/sts.js';
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
 * Start the stand-in on 127.0.0.1. It answers from `world`, in the shapes
 * the real APIs answer, including what they leave out: CodeDeploy, ECS,
 * ECR, ACM, CodePipeline (awsJson1_1), CodeStar Connections and CloudWatch
 * (awsJson1_0), CloudFormation, ELBv2, SNS, STS (awsQuery), EC2 (ec2Query),
 * Lambda (restJson1) and Route 53 (restXml).
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
    {
      service: AwsCall['service'];
      operations: Record<string, JsonOperation>;
      contentType?: JsonContentType;
      queryCompatible?: boolean;
    }
  > = {
    [CODEDEPLOY_TARGET_PREFIX]: {
      service: 'codedeploy',
      operations: codeDeployOperations(world, startedAt, hookReports),
    },
    [ECS_TARGET_PREFIX]: { service: 'ecs', operations: ecsOperations(world, startedAt) },
    [ECR_TARGET_PREFIX]: { service: 'ecr', operations: ecrOperations(world) },
    [ACM_TARGET_PREFIX]: { service: 'acm', operations: acmOperations(world) },
    [CODEPIPELINE_TARGET_PREFIX]: {
      service: 'codepipeline',
      operations: codePipelineOperations(world),
    },
    [CONNECTIONS_TARGET_PREFIX]: {
      service: 'codestar-connections',
      operations: connectionsOperations(world),
      contentType: 'application/x-amz-json-1.0',
    },
    [CLOUDWATCH_TARGET_PREFIX]: {
      service: 'cloudwatch',
      operations: cloudWatchOperations(world),
      contentType: 'application/x-amz-json-1.0',
      queryCompatible: true,
    },
  };
  const ec2 = ec2Operations(world);
  /** awsQuery services, told apart by the form's Version (their API versions differ). */
  const queryServices: Record<
    string,
    {
      service: AwsCall['service'];
      namespace: string;
      operations: Record<string, AwsQueryOperation>;
    }
  > = {
    [CLOUDFORMATION_VERSION]: {
      service: 'cloudformation',
      namespace: CLOUDFORMATION_NAMESPACE,
      operations: cloudFormationOperations(world),
    },
    [ELBV2_VERSION]: {
      service: 'elasticloadbalancing',
      namespace: ELBV2_NAMESPACE,
      operations: elbv2Operations(world),
    },
    [SNS_VERSION]: { service: 'sns', namespace: SNS_NAMESPACE, operations: snsOperations(world) },
    [STS_VERSION]: { service: 'sts', namespace: STS_NAMESPACE, operations: stsOperations(world) },
  };

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
      sendJson(response, requestId, run(input), known.contentType);
    } catch (error) {
      sendJsonError(response, requestId, asServiceError(error), known?.contentType, {
        queryCompatible: known?.queryCompatible,
      });
    }
  }

  /** restJson1 (Lambda) and restXml (Route 53): the operation is in the method and path. */
  async function answerRest(
    request: IncomingMessage,
    response: ServerResponse,
    requestId: string,
    url: URL,
  ) {
    await readBody(request);
    const lambdaMatch = LAMBDA_CONFIGURATION_PATH.exec(url.pathname);
    const route53Match = ROUTE53_PATH.exec(url.pathname);
    if (lambdaMatch && request.method === 'GET') {
      calls.push({
        service: 'lambda',
        operation: 'GetFunctionConfiguration',
        input: { FunctionName: decodeURIComponent(lambdaMatch[1]!) },
      });
      try {
        if (!isSigned(request)) {
          throw new AwsServiceError(
            'UnrecognizedClientException',
            'The security token included in the request is invalid.',
            403,
          );
        }
        sendJson(
          response,
          requestId,
          getFunctionConfiguration(world, lambdaMatch[1]!),
          'application/json',
        );
      } catch (error) {
        sendJsonError(response, requestId, asServiceError(error), 'application/json');
      }
      return;
    }
    if (route53Match && request.method === 'GET') {
      calls.push({
        service: 'route53',
        operation: 'ListResourceRecordSets',
        input: {
          HostedZoneId: decodeURIComponent(route53Match[1]!),
          ...Object.fromEntries(url.searchParams),
        },
      });
      try {
        if (!isSigned(request)) {
          throw new AwsServiceError(
            'MissingAuthenticationToken',
            'Missing Authentication Token',
            403,
          );
        }
        const output = listResourceRecordSets(world, route53Match[1]!, url.searchParams);
        const body =
          `<?xml version="1.0" encoding="UTF-8"?>\n` +
          `<ListResourceRecordSetsResponse xmlns="${ROUTE53_NAMESPACE}">` +
          renderXml(output, route53MemberName) +
          `</ListResourceRecordSetsResponse>`;
        response.writeHead(200, {
          'content-type': 'text/xml',
          'content-length': Buffer.byteLength(body),
          'x-amzn-requestid': requestId,
        });
        response.end(body);
      } catch (error) {
        sendQueryErrorResponse(response, requestId, ROUTE53_NAMESPACE, asServiceError(error));
      }
      return;
    }
    calls.push({ service: 'unknown', operation: `${request.method} ${url.pathname}`, input: {} });
    sendJsonError(
      response,
      requestId,
      new AwsServiceError(
        'UnknownOperationException',
        `Unknown operation ${request.method} ${url.pathname}`,
        404,
      ),
      'application/json',
    );
  }

  /** awsQuery (CloudFormation, ELBv2, SNS, STS); EC2's own query dialect goes to answerQuery. */
  function answerAwsQuery(
    form: URLSearchParams,
    response: ServerResponse,
    requestId: string,
    signed: boolean,
  ) {
    const action = form.get('Action') ?? '';
    const known = queryServices[form.get('Version') ?? '']!;
    calls.push({ service: known.service, operation: action, input: Object.fromEntries(form) });
    try {
      if (!signed) {
        throw new AwsServiceError(
          'MissingAuthenticationToken',
          'Request is missing Authentication Token',
          403,
        );
      }
      const run = known.operations[action];
      if (!run) {
        throw new AwsServiceError(
          'InvalidAction',
          `Could not find operation ${action} for version ${form.get('Version')}`,
        );
      }
      sendQueryResult(response, requestId, known.namespace, action, run(form));
    } catch (error) {
      sendQueryErrorResponse(response, requestId, known.namespace, asServiceError(error));
    }
  }

  async function answerQuery(
    request: IncomingMessage,
    response: ServerResponse,
    requestId: string,
  ) {
    const form = parseForm(await readBody(request));
    const version = form.get('Version') ?? EC2_API_VERSION;
    if (version in queryServices) {
      answerAwsQuery(form, response, requestId, isSigned(request));
      return;
    }
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
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const answer =
      request.headers['x-amz-target'] !== undefined
        ? answerJson(request, response, requestId)
        : url.pathname !== '/'
          ? answerRest(request, response, requestId, url)
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
