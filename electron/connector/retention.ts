/**
 * Which rows retention removes (design.md "Retention"): first the rows older than the
 * duration limit, then the oldest beyond the count limit; protected rows (pending requests)
 * never. Tables keep rows in insertion order, which is creation order, so the work after an
 * insert is proportional to what is removed, not to the size of the table.
 */

/** The two limits of the Element Settings. */
export interface RetentionLimits {
  durationDays: number;
  countLimit: number;
}

/** How to read a table for pruning. */
export interface PruneInput<T> {
  /** Rows oldest first, as `[key, row]`. */
  entries: () => Iterable<[string, T]>;
  size: number;
  limits: RetentionLimits;
  nowMs: number;
  /** The row's time (creation or failure), in ms since the epoch; NaN counts as old. */
  timeOf: (row: T) => number;
  /** Rows that must never be pruned. */
  isProtected: (row: T) => boolean;
  /**
   * Full scan (at open, hourly, on a limit change) checks the age of every row; otherwise the
   * age pass stops at the first row young enough, which is exact when rows are in time order.
   */
  fullScan: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The time before which rows are too old. */
export function ageCutoff(nowMs: number, durationDays: number): number {
  return nowMs - durationDays * DAY_MS;
}

/** Keys to remove, oldest first. */
export function selectPrunable<T>(input: PruneInput<T>): string[] {
  const cutoff = ageCutoff(input.nowMs, input.limits.durationDays);
  const selected = new Set<string>();
  for (const [key, row] of input.entries()) {
    if (input.isProtected(row)) continue;
    const time = input.timeOf(row);
    if (!(time >= cutoff)) selected.add(key);
    else if (!input.fullScan) break;
  }
  let remaining = input.size - selected.size;
  if (remaining > input.limits.countLimit) {
    for (const [key, row] of input.entries()) {
      if (remaining <= input.limits.countLimit) break;
      if (input.isProtected(row) || selected.has(key)) continue;
      selected.add(key);
      remaining--;
    }
  }
  return [...selected];
}
