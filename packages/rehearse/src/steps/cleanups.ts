/**
 * What a rehearsal started, to be removed at its end: last added, first
 * removed (the load before the proxy it loads, the proxy before the
 * environment it runs in). A failing removal does not stop the others.
 */
export class Cleanups {
  private readonly entries: { readonly name: string; readonly remove: () => Promise<void> }[] = [];

  /** Removes `name` at the end, before everything added earlier. */
  add(name: string, remove: () => Promise<void>): void {
    this.entries.unshift({ name, remove });
  }

  /** Leaves `name` up at the end (a kept environment). */
  skip(name: string): void {
    const index = this.entries.findIndex((entry) => entry.name === name);
    if (index >= 0) this.entries.splice(index, 1);
  }

  /** Removes `name` now instead of at the end. */
  async now(name: string): Promise<void> {
    const entry = this.entries.find((candidate) => candidate.name === name);
    this.skip(name);
    await entry?.remove();
  }

  /** The names still to remove, in the order they will go. */
  names(): string[] {
    return this.entries.map((entry) => entry.name);
  }

  async runAll(): Promise<void> {
    for (const entry of this.entries.splice(0)) await entry.remove().catch(() => undefined);
  }
}
