/**
 * Reads a guard's custom-resource properties (CloudFormation passes every
 * value as a string), so each problem names the guard, the property, the
 * value received and what is expected.
 */
export function guardProperties(guard: string, properties: Record<string, unknown>) {
  return {
    text(name: string): string {
      const value = properties[name];
      if (typeof value !== 'string' || value === '') {
        throw new Error(
          `${guard}: property ${name} = ${JSON.stringify(value)}: expected a non-empty string`,
        );
      }
      return value;
    },
    integer(name: string, min: number, max: number, what: string): number {
      const value = Number(properties[name]);
      if (!Number.isInteger(value) || value < min || value > max) {
        throw new Error(
          `${guard}: property ${name} = ${JSON.stringify(properties[name])}: expected ${what} from ${min} to ${max}`,
        );
      }
      return value;
    },
    port(name: string): number {
      return this.integer(name, 1, 65535, 'a port');
    },
  };
}
