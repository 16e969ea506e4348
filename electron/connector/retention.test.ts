import { describe, expect, it } from 'vitest';
import { selectPrunable, type PruneInput } from './retention.js';

interface Row {
  at: number;
  pending?: boolean;
}

const DAY = 86_400_000;
const NOW = 1_000 * DAY;

function input(
  rows: Row[],
  limits: { durationDays: number; countLimit: number },
  fullScan = true,
): PruneInput<Row> {
  return {
    entries: () => rows.map((r, i) => [`r${i}`, r] as [string, Row]),
    size: rows.length,
    limits,
    nowMs: NOW,
    timeOf: (r) => r.at,
    isProtected: (r) => r.pending === true,
    fullScan,
  };
}

describe('retention', () => {
  it('removes rows older than the duration limit', () => {
    const rows = [{ at: NOW - 10 * DAY }, { at: NOW - 5 * DAY }, { at: NOW - DAY }];
    expect(selectPrunable(input(rows, { durationDays: 7, countLimit: 100 }))).toEqual(['r0']);
  });

  it('then removes the oldest beyond the count limit', () => {
    const rows = [
      { at: NOW - 10 * DAY },
      { at: NOW - 3 * DAY },
      { at: NOW - 2 * DAY },
      { at: NOW - DAY },
    ];
    expect(selectPrunable(input(rows, { durationDays: 7, countLimit: 2 }))).toEqual(['r0', 'r1']);
  });

  it('counts age removals before applying the count limit', () => {
    const rows = [{ at: NOW - DAY }, { at: NOW - 10 * DAY }, { at: NOW }];
    expect(selectPrunable(input(rows, { durationDays: 7, countLimit: 2 }))).toEqual(['r1']);
  });

  it('never removes a pending row, by age or by count', () => {
    const rows = [
      { at: NOW - 100 * DAY, pending: true },
      { at: NOW - 100 * DAY },
      { at: NOW, pending: true },
    ];
    expect(selectPrunable(input(rows, { durationDays: 1, countLimit: 1 }))).toEqual(['r1']);
  });

  it('stops the age pass at the first young row unless scanning fully', () => {
    const rows = [{ at: NOW }, { at: NOW - 10 * DAY }];
    expect(selectPrunable(input(rows, { durationDays: 7, countLimit: 10 }, false))).toEqual([]);
    expect(selectPrunable(input(rows, { durationDays: 7, countLimit: 10 }, true))).toEqual(['r1']);
  });

  it('treats an unreadable time as old', () => {
    expect(
      selectPrunable(input([{ at: Number.NaN }], { durationDays: 7, countLimit: 10 })),
    ).toEqual(['r0']);
  });

  it('looks at only a few rows after an insert into a large table', () => {
    let visited = 0;
    const rows: Row[] = Array.from({ length: 100_000 }, (_, i) => ({ at: NOW - 100_000 + i }));
    const base = input(rows, { durationDays: 7, countLimit: 99_999 }, false);
    const result = selectPrunable({
      ...base,
      entries: function* () {
        for (const entry of base.entries()) {
          visited++;
          yield entry;
        }
      },
    });
    expect(result).toEqual(['r0']);
    expect(visited).toBeLessThan(10);
  });

  it('keeps a row exactly as old as the duration limit, and removes one a millisecond older', () => {
    const rows = [{ at: NOW - 7 * DAY - 1 }, { at: NOW - 7 * DAY }];
    expect(selectPrunable(input(rows, { durationDays: 7, countLimit: 100 }))).toEqual(['r0']);
  });
});
