import { describe, expect, it } from 'vitest';
import { latestFailureOf } from './failed-focus.js';

describe('the row a failure notice leads to', () => {
  const row = (instance: string, ticketInstance: string, failedAt: string) => ({
    row: { instance, ticketInstance, failedAt },
  });

  it("is the ticket's latest failure, or none", () => {
    const rows = [
      row('f1', 't1', '2025-01-01T00:00:00.000Z'),
      row('f2', 't2', '2025-01-01T00:05:00.000Z'),
      row('f3', 't1', '2025-01-01T00:10:00.000Z'),
    ];
    expect(latestFailureOf(rows, 't1')).toBe('f3');
    expect(latestFailureOf(rows, 't3')).toBeNull();
    expect(latestFailureOf(rows, null)).toBeNull();
  });
});
