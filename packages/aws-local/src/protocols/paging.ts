import { AwsServiceError } from './errors.js';

/**
 * One page of `items` from the position a token names. Real tokens are
 * opaque; these are the position in base64, opaque enough that code under
 * test cannot build one, and a token the stand-in did not issue is refused.
 */
export function page<T>(
  items: readonly T[],
  token: unknown,
  size: number,
  invalidToken = 'InvalidNextTokenException',
): { items: T[]; next: string | undefined } {
  let start = 0;
  if (token !== undefined && token !== null && token !== '') {
    const text = typeof token === 'string' ? token : '';
    const decoded = /^stand-in:(\d+)$/.exec(Buffer.from(text, 'base64').toString('utf8'));
    if (!decoded) throw new AwsServiceError(invalidToken, 'The next token is not valid');
    start = Number(decoded[1]);
  }
  const end = start + size;
  return {
    items: items.slice(start, end),
    next: end < items.length ? Buffer.from(`stand-in:${end}`).toString('base64') : undefined,
  };
}

/** A numeric page-size member, with the service's default and maximum. */
export function pageSize(
  value: unknown,
  fallback: number,
  maximum: number,
  invalid = 'ValidationException',
): number {
  const size = value === undefined || value === null || value === '' ? fallback : Number(value);
  if (!Number.isInteger(size) || size < 1 || size > maximum) {
    throw new AwsServiceError(
      invalid,
      `page size ${String(value)} must be between 1 and ${maximum}`,
    );
  }
  return size;
}
