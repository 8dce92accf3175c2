import type { ServerResponse } from 'node:http';
import type { AwsServiceError } from './errors.js';
import { numberedMembers } from './query.js';
import { QUERY_MEMBER, renderXml, type XmlMembers } from './xml.js';

/**
 * The awsQuery protocol CloudFormation, Elastic Load Balancing v2, SNS and
 * STS speak: `POST /` with a form body `Action=<Op>&Version=<api version>`,
 * lists as `Name.member.N`; the answer is
 * `<OpResponse xmlns=…><OpResult>…</OpResult><ResponseMetadata><RequestId>`,
 * lists as `<member>`s; an error is HTTP 4xx/5xx with
 * `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…`.
 * @see https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/Welcome.html (sample responses)
 */

/** `Name.member.1`, `Name.member.2`, … of a form, in order. */
export function queryList(form: URLSearchParams, name: string): string[] {
  return numberedMembers(form, `${name}.member`);
}

export function sendQueryResult(
  response: ServerResponse,
  requestId: string,
  xmlNamespace: string,
  action: string,
  result: XmlMembers,
): void {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<${action}Response xmlns="${xmlNamespace}">` +
    `<${action}Result>${renderXml(result, QUERY_MEMBER)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</${action}Response>`;
  response.writeHead(200, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  });
  response.end(body);
}

export function sendQueryErrorResponse(
  response: ServerResponse,
  requestId: string,
  xmlNamespace: string,
  error: AwsServiceError,
): void {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<ErrorResponse xmlns="${xmlNamespace}">` +
    renderXml(
      {
        Error: {
          Type: error.statusCode >= 500 ? 'Receiver' : 'Sender',
          Code: error.code,
          Message: error.message,
        },
      },
      QUERY_MEMBER,
    ) +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  response.writeHead(error.statusCode, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  });
  response.end(body);
}

/** One awsQuery operation: the form in, the members of `<OpResult>` out. */
export type AwsQueryOperation = (form: URLSearchParams) => XmlMembers;
