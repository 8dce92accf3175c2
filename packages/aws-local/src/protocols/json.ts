import type { ServerResponse } from 'node:http';
import { AwsServiceError } from './errors.js';

/**
 * The awsJson1_1 protocol CodeDeploy and ECS speak: `POST /` with
 * `Content-Type: application/x-amz-json-1.1` and `X-Amz-Target:
 * <ServicePrefix>.<Operation>`; the answer is a JSON body, timestamps as
 * epoch seconds; an error is HTTP 4xx/5xx with `{"__type", "message"}` and
 * the `x-amzn-ErrorType` header.
 * @see https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
 */

export type JsonOperation = (input: Record<string, unknown>) => unknown;

/** Split `X-Amz-Target` into its service prefix and operation. */
export function parseTarget(target: string | undefined): { prefix: string; operation: string } {
  const dot = target?.lastIndexOf('.') ?? -1;
  if (target === undefined || dot < 1) return { prefix: '', operation: '' };
  return { prefix: target.slice(0, dot), operation: target.slice(dot + 1) };
}

export function parseJsonBody(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new AwsServiceError('SerializationException', 'Request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsServiceError('SerializationException', 'Request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** JSON with Dates as epoch seconds, and undefined members left out as the services do. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, member]) => member !== undefined)
        .map(([key, member]) => [key, toWire(member)]),
    );
  }
  return value;
}

/**
 * `application/x-amz-json-1.1` (CodeDeploy, ECS, ECR, ACM, CodePipeline),
 * `application/x-amz-json-1.0` (CodeStar Connections, CloudWatch), or
 * `application/json` for restJson1 (Lambda).
 * @see https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
 * @see https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html
 */
export type JsonContentType =
  'application/x-amz-json-1.1' | 'application/x-amz-json-1.0' | 'application/json';

export function sendJson(
  response: ServerResponse,
  requestId: string,
  output: unknown,
  contentType: JsonContentType = 'application/x-amz-json-1.1',
): void {
  const body = JSON.stringify(toWire(output ?? {}));
  response.writeHead(200, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  });
  response.end(body);
}

/**
 * An error answer. A service with the awsQueryCompatible trait (CloudWatch)
 * also sends `x-amzn-query-error: <Code>;<Sender|Receiver>`; restJson1
 * (Lambda) sends `{"Type", "message"}` with the code in the header only.
 * @see https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#aws-protocols-awsquerycompatible-trait
 */
export function sendJsonError(
  response: ServerResponse,
  requestId: string,
  error: AwsServiceError,
  contentType: JsonContentType = 'application/x-amz-json-1.1',
  options: { readonly queryCompatible?: boolean } = {},
): void {
  const fault = error.statusCode >= 500 ? 'Receiver' : 'Sender';
  const body = JSON.stringify(
    contentType === 'application/json'
      ? { Type: fault === 'Sender' ? 'User' : 'Service', message: error.message }
      : { __type: error.code, message: error.message },
  );
  response.writeHead(error.statusCode, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': error.code,
    ...(options.queryCompatible ? { 'x-amzn-query-error': `${error.code};${fault}` } : {}),
  });
  response.end(body);
}
