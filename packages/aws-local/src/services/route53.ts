import type { ListResourceRecordSetsResponse, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { AwsServiceError } from '../protocols/errors.js';
import type { AwsWorld } from '../world.js';

/**
 * Route 53 (restXml): `GET /2013-04-01/hostedzone/{Id}/rrset?name=&type=&maxitems=`,
 * ListResourceRecordSets. Shapes from the SDK's output type and the API reference:
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListResourceRecordSets.html
 * Records come in Route 53's order (names compared label by label from the
 * right, then type), starting at `name`/`type`; the list elements are
 * `<ResourceRecordSet>` and `<ResourceRecord>` (the model's member names);
 * an unknown zone is `NoSuchHostedZone` (404); at most 300 per page.
 */

export const ROUTE53_PATH = /^\/2013-04-01\/hostedzone\/([^/]+)\/rrset\/?$/;
export const ROUTE53_NAMESPACE = 'https://route53.amazonaws.com/doc/2013-04-01/';

export function route53MemberName(listName: string): string {
  return listName === 'ResourceRecordSets' ? 'ResourceRecordSet' : 'ResourceRecord';
}

/** Route 53's sort key: labels reversed, so `a.example.com.` sorts within `example.com.`. */
function orderKey(name: string): string {
  return name.toLowerCase().replace(/\.$/, '').split('.').reverse().join('\u0000');
}

function withDot(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

function compare(a: ResourceRecordSet, b: { Name?: string; Type?: string }): number {
  const byName = orderKey(a.Name ?? '').localeCompare(orderKey(b.Name ?? ''));
  return byName !== 0 ? byName : (a.Type ?? '').localeCompare(b.Type ?? '');
}

export function listResourceRecordSets(
  world: AwsWorld,
  zoneId: string,
  query: URLSearchParams,
): ListResourceRecordSetsResponse {
  const id = decodeURIComponent(zoneId).replace(/^\/?hostedzone\//, '');
  const zone = (world.hostedZones ?? []).find((z) => z.id === id);
  if (!zone)
    throw new AwsServiceError('NoSuchHostedZone', `No hosted zone found with ID: ${id}`, 404);
  const name = query.get('name');
  const type = query.get('type');
  if (type !== null && name === null) {
    throw new AwsServiceError('InvalidInput', 'Type can only be specified if name is specified.');
  }
  const maxItems = Number(query.get('maxitems') ?? '300');
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 300) {
    throw new AwsServiceError(
      'InvalidInput',
      `maxitems ${query.get('maxitems')} must be between 1 and 300`,
    );
  }
  const sorted = [...zone.records].sort(compare);
  const start = name === null ? { Name: '', Type: '' } : { Name: withDot(name), Type: type ?? '' };
  const from = sorted.filter((record) => compare(record, start) >= 0);
  const shown = from.slice(0, maxItems);
  const next = from[maxItems];
  return {
    ResourceRecordSets: shown,
    IsTruncated: next !== undefined,
    MaxItems: maxItems,
    NextRecordName: next?.Name,
    NextRecordType: next?.Type,
  };
}
