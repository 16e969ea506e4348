/**
 * Small statistics for the benchmarks: medians and percentiles over samples, and rounding for
 * the printed table and bench-results.json.
 */

/** The value at quantile `q` (0..1) of `samples`, by nearest rank; NaN when there are none. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** The median of `samples` (the mean of the two middle values for an even count). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The 95th percentile of `samples`. */
export function p95(samples: readonly number[]): number {
  return quantile(samples, 0.95);
}

/** Rounds to `digits` decimals (for the table and the JSON file). */
export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Milliseconds elapsed since `start` (a performance.now() value). */
export function since(start: number): number {
  return performance.now() - start;
}
