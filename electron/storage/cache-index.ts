/**
 * A secondary index of a table held in memory (`SqlTableSpec.cacheIndex`): its rows grouped
 * by one value (the queue's by alarm), each group in the table's order, kept up to date with
 * every committed change instead of an index in the file (one page fewer written, and synced,
 * at every change of the table).
 */
export class CacheIndex<T> {
  private readonly groups = new Map<string, Map<string, T>>();

  constructor(
    private readonly valueOf: (row: T) => string,
    rows: Iterable<[string, T]>,
  ) {
    for (const [key, row] of rows) this.change(key, row, undefined);
  }

  /** The row under `key` becomes `row` (undefined: deleted); `before`: the row it was. */
  change(key: string, row: T | undefined, before: T | undefined): void {
    const value = row === undefined ? undefined : this.valueOf(row);
    if (before !== undefined && this.valueOf(before) !== value) {
      const old = this.valueOf(before);
      const group = this.groups.get(old);
      group?.delete(key);
      if (group?.size === 0) this.groups.delete(old);
    }
    if (row === undefined || value === undefined) return;
    const group = this.groups.get(value) ?? new Map<string, T>();
    this.groups.set(value, group);
    // A row that stays in its group keeps its place there, as in the table's own order.
    group.set(key, row);
  }

  /** The rows whose value is `value`, in the table's order. */
  rows(value: string): IterableIterator<T> {
    return (this.groups.get(value) ?? new Map<string, T>()).values();
  }
}
