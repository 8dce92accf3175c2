/**
 * XML bodies of the awsQuery and restXml protocols. A list is a wrapper
 * element holding one element per item: `<member>` in awsQuery
 * (https://smithy.io/2.0/aws/protocols/aws-query-protocol.html, "XML
 * shape serialization"), the model's member name in Route 53's restXml
 * (`<ResourceRecordSets><ResourceRecordSet>`). Dates are ISO 8601, as both
 * protocols write timestamps by default; undefined members are left out,
 * as the services leave them out.
 */

/**
 * A value to render: a string, number, boolean or Date is text, an array
 * a list, an object its members. SDK output objects (`Stack`, `Listener`,
 * …) are rendered as they are: awsQuery and Route 53 name elements after
 * the members.
 */
export type XmlTree = unknown;

/** The members of one element. */
export type XmlMembers = object;

/** The element name of the items of the list `listName`. */
export type MemberName = (listName: string) => string;

export const QUERY_MEMBER: MemberName = () => 'member';

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function renderContent(value: XmlTree, name: string, member: MemberName): string {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const item = member(name);
    return value
      .map((entry) => `<${item}>${renderContent(entry, item, member)}</${item}>`)
      .join('');
  }
  if (value !== null && typeof value === 'object') return renderXml(value, member);
  return escapeXml(String(value));
}

/** The elements of `members`, in order, leaving out undefined ones. */
export function renderXml(members: XmlMembers, member: MemberName): string {
  return Object.entries(members)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<${name}>${renderContent(value, name, member)}</${name}>`)
    .join('');
}
