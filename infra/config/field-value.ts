/** The value at a path of a validated input, for an error that names field and value. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** A value as an error message shows it. */
export function showValue(value: unknown): string {
  return value === undefined ? '(missing)' : JSON.stringify(value);
}
