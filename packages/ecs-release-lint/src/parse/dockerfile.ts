/** A port the Dockerfile exposes, with its line. */
export interface ExposedPort {
  readonly port: number;
  readonly protocol: string;
  readonly line: number;
  readonly column: number;
}

/**
 * The ports the final stage of a Dockerfile EXPOSEs. ARG and ENV defaults
 * of that stage are substituted in `${NAME}` and `$NAME`.
 */
export function exposedPorts(text: string): ExposedPort[] {
  const lines = text.split(/\r?\n/);
  let ports: ExposedPort[] = [];
  let variables = new Map<string, string>();
  for (let index = 0; index < lines.length; index++) {
    const start = index;
    let instruction = lines[index] ?? '';
    while (instruction.trimEnd().endsWith('\\') && index + 1 < lines.length) {
      instruction = `${instruction.trimEnd().slice(0, -1)} ${lines[++index] ?? ''}`;
    }
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(instruction);
    if (!match || instruction.trimStart().startsWith('#')) continue;
    const keyword = match[1]!.toUpperCase();
    const rest = match[2]!.trim();
    if (keyword === 'FROM') {
      ports = [];
      variables = new Map();
    } else if (keyword === 'ARG' || keyword === 'ENV') {
      for (const [, name, value] of rest.matchAll(
        /([A-Za-z_][A-Za-z0-9_]*)[= ]("[^"]*"|'[^']*'|\S+)/g,
      )) {
        variables.set(name!, value!.replace(/^["']|["']$/g, ''));
      }
    } else if (keyword === 'EXPOSE') {
      const column = (lines[start] ?? '').search(/\S/) + 1;
      const substituted = rest.replace(
        /\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}?/g,
        (_, name: string, fallback?: string) => variables.get(name) ?? fallback ?? '',
      );
      for (const token of substituted.split(/\s+/)) {
        const port = /^(\d+)(?:\/(tcp|udp))?$/i.exec(token);
        if (port)
          ports.push({
            port: Number(port[1]),
            protocol: (port[2] ?? 'tcp').toLowerCase(),
            line: start + 1,
            column,
          });
      }
    }
  }
  return ports;
}
