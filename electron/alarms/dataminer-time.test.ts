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

describe('formatDataMinerTime, specifier by specifier', () => {
  const at = (iso: string) => Date.parse(iso);

  it('writes every month and day name', () => {
    const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July'];
    months.push('August', 'September', 'October', 'November', 'December');
    months.forEach((name, i) => {
      const time = Date.UTC(2025, i, 15);
      expect(formatDataMinerTime(time, 'MMMM|MMM|MM|M'), name).toBe(
        `${name}|${name.slice(0, 3)}|${String(i + 1).padStart(2, '0')}|${i + 1}`,
      );
    });
    const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
    days.forEach((name, i) => {
      const time = Date.UTC(2025, 0, 5 + i); // 5 January 2025 is a Sunday
      expect(formatDataMinerTime(time, 'dddd|ddd'), name).toBe(`${name}|${name.slice(0, 3)}`);
    });
  });

  it('writes years with one, two, three or more digits', () => {
    const time = at('2005-03-04T00:00:00Z');
    expect(formatDataMinerTime(time, '%y|yy|yyy|yyyy|yyyyy')).toBe('5|05|2005|2005|02005');
  });

  it('writes noon and midnight as 12 on the 12-hour clock, with AM and PM', () => {
    expect(formatDataMinerTime(at('2025-01-05T00:05:00Z'), 'hh:mm tt|h t')).toBe('12:05 AM|12 A');
    expect(formatDataMinerTime(at('2025-01-05T11:59:00Z'), 'hh:mm tt|h t')).toBe('11:59 AM|11 A');
    expect(formatDataMinerTime(at('2025-01-05T12:00:00Z'), 'hh:mm tt|h t')).toBe('12:00 PM|12 P');
    expect(formatDataMinerTime(at('2025-01-05T13:07:00Z'), 'hh:mm tt|h t')).toBe('01:07 PM|1 P');
  });

  it('writes hours, minutes and seconds with at most two digits', () => {
    expect(formatDataMinerTime(at('2025-01-05T04:03:09Z'), 'HHH:mmm:sss|hhh|H:m:s')).toBe(
      '04:03:09|04|4:3:9',
    );
  });

  it('writes fractions up to seven digits, F without its trailing zeros', () => {
    const time = at('2025-01-05T14:03:09.450Z');
    expect(formatDataMinerTime(time, 'ffffffff|fff|ff|f')).toBe('4500000|450|45|4');
    expect(formatDataMinerTime(time, 'FFFFFFFF|FFF|F')).toBe('45|45|4');
  });

  it('writes the offset as +0, +00 or +00:00 and K as Z', () => {
    expect(formatDataMinerTime(t, 'z|zz|zzz|K')).toBe('+0|+00|+00:00|Z');
  });

  it('reads % as nothing, a lone % specifier as custom, and quotes to their end', () => {
    expect(formatDataMinerTime(t, 'd%M')).toBe('51');
    expect(formatDataMinerTime(t, '%M')).toBe('1');
    expect(formatDataMinerTime(t, "HH 'o''clock")).toBe('14 oclock');
    expect(formatDataMinerTime(t, "HH 'h")).toBe('14 h');
    expect(formatDataMinerTime(t, 'HH\\')).toBe('14');
  });

  it('writes each .NET standard format as the invariant culture does', () => {
    const expected: Record<string, string> = {
      d: '01/05/2025',
      D: 'Sunday, 05 January 2025',
      f: 'Sunday, 05 January 2025 14:03',
      F: 'Sunday, 05 January 2025 14:03:09',
      g: '01/05/2025 14:03',
      G: '01/05/2025 14:03:09',
      m: 'January 05',
      M: 'January 05',
      o: '2025-01-05T14:03:09.0450000Z',
      O: '2025-01-05T14:03:09.0450000Z',
      r: 'Sun, 05 Jan 2025 14:03:09 GMT',
      R: 'Sun, 05 Jan 2025 14:03:09 GMT',
      s: '2025-01-05T14:03:09',
      t: '14:03',
      T: '14:03:09',
      u: '2025-01-05 14:03:09Z',
      U: 'Sunday, 05 January 2025 14:03:09',
      y: '2025 January',
      Y: '2025 January',
    };
    for (const [format, text] of Object.entries(expected)) {
      expect(formatDataMinerTime(t, format), format).toBe(text);
    }
  });

  it('reads an ISO time with spaces around it', () => {
    expect(formatDataMinerTime(' 2025-01-05T14:03:09Z\n', 'HH:mm')).toBe('14:03');
    expect(() => formatDataMinerTime('   ', 'HH:mm')).toThrow(RangeError);
  });
});

describe('parseDataMinerTime, specifier by specifier', () => {
  const utc = Date.UTC;

  it('reads single-letter specifiers with one or two digits, and two letters with two only', () => {
    expect(parseDataMinerTime('5/1/2025 14:3:9', 'd/M/yyyy H:m:s')).toBe(utc(2025, 0, 5, 14, 3, 9));
    expect(parseDataMinerTime('5/1/2025 4:3:9', 'd/M/yyyy H:m:s')).toBe(utc(2025, 0, 5, 4, 3, 9));
    expect(parseDataMinerTime('2025-01-05 5:03', 'yyyy-MM-dd HH:mm')).toBeNaN();
    expect(parseDataMinerTime('2025-01-05 05:3', 'yyyy-MM-dd HH:mm')).toBeNaN();
  });

  it('reads two-digit years in .NET window and refuses three digits for yy', () => {
    expect(parseDataMinerTime('5/1/49', 'd/M/yy')).toBe(utc(2049, 0, 5));
    expect(parseDataMinerTime('5/1/50', 'd/M/yy')).toBe(utc(1950, 0, 5));
    expect(parseDataMinerTime('5/1/5', 'd/M/yy')).toBe(utc(2005, 0, 5));
    expect(parseDataMinerTime('5/1/5', 'd/M/y')).toBe(utc(2005, 0, 5));
    expect(parseDataMinerTime('5/1/125', 'd/M/yy')).toBeNaN();
    expect(parseDataMinerTime('5/1/0099', 'd/M/yyyy')).toBe(
      new Date('0099-01-05T00:00:00Z').getTime(),
    );
  });

  it('reads month names in any case, and skips day names wherever they stand', () => {
    expect(parseDataMinerTime('5 march 2025', 'd MMMM yyyy')).toBe(utc(2025, 2, 5));
    expect(parseDataMinerTime('5 Dec 2025', 'd MMM yyyy')).toBe(utc(2025, 11, 5));
    expect(parseDataMinerTime('5 January 2025, Sunday', 'd MMMM yyyy, dddd')).toBe(utc(2025, 0, 5));
    expect(parseDataMinerTime('5 January 2025, Sun', 'd MMMM yyyy, ddd')).toBe(utc(2025, 0, 5));
  });

  it('reads the 12-hour clock: midnight, noon, AM and PM, or its hour alone', () => {
    expect(parseDataMinerTime('5/1/25 12:30 AM', 'd/M/yy hh:mm tt')).toBe(utc(2025, 0, 5, 0, 30));
    expect(parseDataMinerTime('5/1/25 12:30 PM', 'd/M/yy hh:mm tt')).toBe(utc(2025, 0, 5, 12, 30));
    expect(parseDataMinerTime('5/1/25 2:03 am', 'd/M/yy h:mm tt')).toBe(utc(2025, 0, 5, 2, 3));
    expect(parseDataMinerTime('5/1/25 2:03 P', 'd/M/yy h:mm t')).toBe(utc(2025, 0, 5, 14, 3));
    expect(parseDataMinerTime('5/1/25 2:03 PM', 'd/M/yy h:mm t')).toBeNaN();
    expect(parseDataMinerTime('5/1/25 12:30', 'd/M/yy hh:mm')).toBe(utc(2025, 0, 5, 12, 30));
    expect(parseDataMinerTime('5/1/25 14:03 PM', 'd/M/yy HH:mm tt')).toBe(utc(2025, 0, 5, 14, 3));
  });

  it('reads fractions: f needs all its digits, F takes up to its count', () => {
    const base = utc(2025, 0, 5, 14, 3, 9);
    expect(parseDataMinerTime('2025-01-05 14:03:09.04', 'yyyy-MM-dd HH:mm:ss.ff')).toBe(base + 40);
    expect(parseDataMinerTime('2025-01-05 14:03:09.04', 'yyyy-MM-dd HH:mm:ss.fff')).toBeNaN();
    expect(parseDataMinerTime('2025-01-05 14:03:09.5', 'yyyy-MM-dd HH:mm:ss.FFF')).toBe(base + 500);
    expect(parseDataMinerTime('2025-01-05 14:03:09.', 'yyyy-MM-dd HH:mm:ss.FFF')).toBe(base);
    expect(parseDataMinerTime('2025-01-05 14:03:09.1234', 'yyyy-MM-dd HH:mm:ss.FFF')).toBeNaN();
  });

  it('applies offsets of z and K: sign, hours alone, with or without a colon', () => {
    const at = utc(2025, 0, 5, 14, 3);
    const z = (offset: string) => parseDataMinerTime(`2025-01-05 ${offset}`, 'yyyy-MM-dd HH:mm z');
    expect(z('16:03 +2')).toBe(at);
    expect(z('16:03 +0200')).toBe(at);
    expect(z('19:33 +530')).toBe(at);
    expect(z('19:33 +05:30')).toBe(at);
    expect(z('08:33 -05:30')).toBe(at);
    const k = (text: string) => parseDataMinerTime(text, 'yyyy-MM-ddTHH:mmK');
    expect(k('2025-01-05T16:03+02:00')).toBe(at);
    expect(k('2025-01-05T14:03Z')).toBe(at);
    expect(k('2025-01-05T14:03')).toBe(at);
    expect(k('2025-01-05T16:03+2')).toBeNaN();
  });

  it('matches the whole text, spaces around it aside, with literals taken literally', () => {
    expect(parseDataMinerTime(' 2025-01-05 ', 'yyyy-MM-dd')).toBe(utc(2025, 0, 5));
    expect(parseDataMinerTime('x2025-01-05', 'yyyy-MM-dd')).toBeNaN();
    expect(parseDataMinerTime('2025-01-05x', 'yyyy-MM-dd')).toBeNaN();
    expect(parseDataMinerTime('2025x01x05', 'yyyy.MM.dd')).toBeNaN();
    expect(parseDataMinerTime('2025-01-05 at 14:03', "yyyy-MM-dd 'at' HH:mm")).toBe(
      utc(2025, 0, 5, 14, 3),
    );
  });

  it('needs a year, a month and a day', () => {
    expect(parseDataMinerTime('05/01', 'dd/MM')).toBeNaN();
    expect(parseDataMinerTime('2025 05', 'yyyy dd')).toBeNaN();
    expect(parseDataMinerTime('2025 01', 'yyyy MM')).toBeNaN();
  });

  it.each([
    ['01/01/2025 00:00:00', utc(2025, 0, 1)],
    ['31/12/2025 23:59:59', utc(2025, 11, 31, 23, 59, 59)],
    ['29/02/2024 12:00:00', utc(2024, 1, 29, 12)],
    ['31/01/2025 00:00:00', utc(2025, 0, 31)],
    ['00/01/2025 00:00:00', Number.NaN],
    ['32/01/2025 00:00:00', Number.NaN],
    ['29/02/2025 00:00:00', Number.NaN],
    ['31/04/2025 00:00:00', Number.NaN],
    ['01/00/2025 00:00:00', Number.NaN],
    ['01/13/2025 00:00:00', Number.NaN],
    ['01/01/2025 24:00:00', Number.NaN],
    ['01/01/2025 10:60:00', Number.NaN],
    ['01/01/2025 10:00:60', Number.NaN],
  ])('%s is %s, every field in its range', (text, expected) => {
    expect(parseDataMinerTime(text, 'dd/MM/yyyy HH:mm:ss')).toBe(expected);
  });
});
