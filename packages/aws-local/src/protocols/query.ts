import type { ServerResponse } from 'node:http';
import type { AwsServiceError } from './errors.js';

/**
 * The ec2Query protocol: `POST /` with a form body
 * (`Action=…&Version=2016-11-15&Filter.1.Name=…&Filter.1.Value.1=…`);
 * the answer is XML in the EC2 namespace, lists as `<…Set><item>`; an
 * error is `<Response><Errors><Error><Code>…`.
 * @see https://smithy.io/2.0/aws/protocols/aws-ec2-query-protocol.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html
 */

export const EC2_API_VERSION = '2016-11-15';
const EC2_NAMESPACE = `http://ec2.amazonaws.com/doc/${EC2_API_VERSION}/`;

/** An EC2 query-protocol filter: `Filter.N.Name` and its `Filter.N.Value.M`. */
export interface QueryFilter {
  readonly name: string;
  readonly values: readonly string[];
}

export function parseForm(body: string): URLSearchParams {
  return new URLSearchParams(body);
}

/** The numbered `<prefix>.N` members of a form, in order. */
export function numberedMembers(form: URLSearchParams, prefix: string): string[] {
  const found: [number, string][] = [];
  for (const [key, value] of form) {
    const match = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)$`).exec(key);
    if (match) found.push([Number(match[1]), value]);
  }
  return found.sort((a, b) => a[0] - b[0]).map(([, value]) => value);
}

export function parseFilters(form: URLSearchParams): QueryFilter[] {
  const filters: QueryFilter[] = [];
  for (let index = 1; form.has(`Filter.${index}.Name`); index += 1) {
    filters.push({
      name: form.get(`Filter.${index}.Name`) ?? '',
      values: numberedMembers(form, `Filter.${index}.Value`),
    });
  }
  return filters;
}

/** An XML element tree: a string is text, an array is a `<…Set>` of `<item>`s. */
export type XmlValue =
  string | number | boolean | XmlValue[] | { [name: string]: XmlValue | undefined };

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function renderXml(value: XmlValue): string {
  if (Array.isArray(value)) return value.map((item) => `<item>${renderXml(item)}</item>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter((entry): entry is [string, XmlValue] => entry[1] !== undefined)
      .map(([name, member]) => `<${name}>${renderXml(member)}</${name}>`)
      .join('');
  }
  return escapeXml(String(value));
}

export function sendQueryXml(
  response: ServerResponse,
  requestId: string,
  action: string,
  members: Record<string, XmlValue | undefined>,
): void {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<${action}Response xmlns="${EC2_NAMESPACE}">` +
    renderXml({ requestId, ...members }) +
    `</${action}Response>`;
  response.writeHead(200, {
    'content-type': 'text/xml;charset=UTF-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

export function sendQueryError(
  response: ServerResponse,
  requestId: string,
  error: AwsServiceError,
): void {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response>` +
    renderXml({ Errors: { Error: { Code: error.code, Message: error.message } } }) +
    `<RequestID>${requestId}</RequestID></Response>`;
  response.writeHead(error.statusCode, {
    'content-type': 'text/xml;charset=UTF-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}
