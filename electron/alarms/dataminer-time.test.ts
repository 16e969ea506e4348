import { describe, expect, it } from 'vitest';
import { formatDataMinerTime, parseDataMinerTime } from './dataminer-time.js';

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

describe('parseDataMinerTime', () => {
  const formats = [
    'yyyy-MM-ddTHH:mm:ssZ',
    'dd/MM/yyyy HH:mm:ss',
    'M/d/yy h:mm:ss tt',
    'dddd d MMMM yyyy HH:mm:ss.fff',
    'yyyy-MM-ddTHH:mm:ss.fffzzz',
    'o',
    's',
    'u',
    'G',
    'R',
  ];

  it('reads back what formatDataMinerTime wrote, for the formats DataMiner users write', () => {
    const whole = Date.UTC(2025, 0, 5, 14, 3, 9);
    for (const format of formats) {
      const expected = /f|o/i.test(format) ? t : whole;
      expect(parseDataMinerTime(formatDataMinerTime(t, format), format), format).toBe(expected);
    }
  });

  it('applies an offset written in the text', () => {
    expect(parseDataMinerTime('2025-01-05 16:03 +02:00', 'yyyy-MM-dd HH:mm zzz')).toBe(
      Date.UTC(2025, 0, 5, 14, 3),
    );
  });

  it('expands the .NET standard formats of the invariant culture', () => {
    expect(formatDataMinerTime(t, 'u')).toBe('2025-01-05 14:03:09Z');
    expect(formatDataMinerTime(t, 'o')).toBe('2025-01-05T14:03:09.0450000Z');
    expect(formatDataMinerTime(t, 'R')).toBe('Sun, 05 Jan 2025 14:03:09 GMT');
    expect(formatDataMinerTime(t, '%d')).toBe('5');
    expect(() => formatDataMinerTime(t, 'q')).toThrow(/Unknown standard date format/);
  });

  it('gives NaN for text that does not match, names no full date, or is out of range', () => {
    expect(parseDataMinerTime('2025-01-05', 'dd/MM/yyyy')).toBeNaN();
    expect(parseDataMinerTime('14:03', 'HH:mm')).toBeNaN();
    expect(parseDataMinerTime('31/02/2025', 'dd/MM/yyyy')).toBeNaN();
    expect(parseDataMinerTime('05/01/2025 25:00', 'dd/MM/yyyy HH:mm')).toBeNaN();
    expect(parseDataMinerTime('anything', 'q')).toBeNaN();
  });
});
