import { describe, expect, it } from 'vitest';
import { formatDataMinerTime } from './dataminer-time.js';

const t = Date.UTC(2025, 0, 5, 14, 3, 9, 45); // Sunday 5 January 2025, 14:03:09.045 UTC

describe('formatDataMinerTime', () => {
  it('formats the seed ROOTTIME format with literal T and Z, in UTC', () => {
    expect(formatDataMinerTime(t, 'yyyy-MM-ddTHH:mm:ssZ')).toBe('2025-01-05T14:03:09Z');
    expect(formatDataMinerTime('2025-01-05T16:03:09.045+02:00', 'yyyy-MM-ddTHH:mm:ssZ')).toBe(
      '2025-01-05T14:03:09Z',
    );
  });

  it('supports the common .NET custom specifiers', () => {
    expect(formatDataMinerTime(t, 'd/M/yy h:m:s tt')).toBe('5/1/25 2:3:9 PM');
    expect(formatDataMinerTime(t, 'dddd d MMMM yyyy')).toBe('Sunday 5 January 2025');
    expect(formatDataMinerTime(t, 'ddd MMM dd')).toBe('Sun Jan 05');
    expect(formatDataMinerTime(t, 'HH:mm:ss.fff')).toBe('14:03:09.045');
    expect(formatDataMinerTime(t, 'ss.ffffff|ss.FFFF|s.F')).toBe('09.045000|09.045|9.');
    expect(formatDataMinerTime(t, 'yyyy-MM-ddTHH:mm:sszzz K')).toBe('2025-01-05T14:03:09+00:00 Z');
  });

  it('copies quoted and escaped text as it is', () => {
    expect(formatDataMinerTime(t, `'Day' d "at" HH\\h`)).toBe('Day 5 at 14h');
  });

  it('throws for a time it cannot read', () => {
    expect(() => formatDataMinerTime('yesterday', 'yyyy')).toThrow(RangeError);
    expect(() => formatDataMinerTime(Number.NaN, 'yyyy')).toThrow(/Not a time/);
  });
});
