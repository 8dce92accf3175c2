/**
 * A unified diff of two texts (line based, longest common subsequence),
 * enough to show what is stale in a generated file.
 */
export function unifiedDiff(
  path: string,
  expected: string,
  actual: string | undefined,
  context = 3,
): string {
  const before = actual === undefined ? [] : actual.split('\n');
  const after = expected.split('\n');
  const rows = before.length;
  const columns = after.length;
  const lengths = Array.from({ length: rows + 1 }, () => new Array<number>(columns + 1).fill(0));
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = columns - 1; j >= 0; j--) {
      lengths[i]![j] =
        before[i] === after[j]
          ? lengths[i + 1]![j + 1]! + 1
          : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const lines: { sign: ' ' | '-' | '+'; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < rows || j < columns) {
    if (i < rows && j < columns && before[i] === after[j]) {
      lines.push({ sign: ' ', text: before[i]! });
      i++;
      j++;
    } else if (i < rows && (j >= columns || lengths[i + 1]![j]! >= lengths[i]![j + 1]!)) {
      lines.push({ sign: '-', text: before[i]! });
      i++;
    } else {
      lines.push({ sign: '+', text: after[j]! });
      j++;
    }
  }
  const keep = lines.map((line, index) =>
    lines
      .slice(Math.max(0, index - context), index + context + 1)
      .some((near) => near.sign !== ' '),
  );
  const output = [
    `--- ${actual === undefined ? '/dev/null' : `a/${path}`} (committed)`,
    `+++ b/${path} (generated)`,
  ];
  let skipping = false;
  for (const [index, line] of lines.entries()) {
    if (keep[index]) {
      output.push(`${line.sign}${line.text}`);
      skipping = false;
    } else if (!skipping) {
      output.push('@@ … @@');
      skipping = true;
    }
  }
  return output.join('\n');
}
