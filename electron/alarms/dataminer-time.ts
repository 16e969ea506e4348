/**
 * Formats times for hyperlink placeholders such as `[ROOTTIME:yyyy-MM-ddTHH:mm:ssZ]`.
 * DataMiner Cube is a .NET application and the format after the colon is a .NET custom
 * date and time format string; this implements its common specifiers, always in UTC (the
 * mock's times are UTC, and a ticket's root time must not depend on the operator's PC).
 *
 * Specifiers: yyyy yy y, MMMM MMM MM M, dddd ddd dd d, HH H, hh h, mm m, ss s, f..fffffff,
 * F..FFFFFFF, tt t, zzz zz z (always +00:00), K (always Z). Any other character is copied,
 * so `T` and `Z` in `yyyy-MM-ddTHH:mm:ssZ` come out as they are. '...' and "..." quote
 * literal text and a backslash escapes one character, as in .NET.
 */

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SPECIFIERS = 'yMdHhmsfFtzK';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Epoch ms of a time given as epoch ms or an ISO 8601 string; NaN when unreadable. */
export function toEpochMs(epochMsOrIso: number | string): number {
  if (typeof epochMsOrIso === 'number') return epochMsOrIso;
  const text = epochMsOrIso.trim();
  return text === '' ? NaN : Date.parse(text);
}

/**
 * Formats a time (epoch ms or ISO 8601) with a .NET-style custom format, in UTC.
 * Throws a RangeError when the time cannot be read.
 */
export function formatDataMinerTime(epochMsOrIso: number | string, format: string): string {
  const ms = toEpochMs(epochMsOrIso);
  if (!Number.isFinite(ms)) {
    throw new RangeError(`Not a time: ${JSON.stringify(epochMsOrIso)}`);
  }
  const d = new Date(ms);
  const fraction = pad(d.getUTCMilliseconds(), 3) + '0000'; // 7 digits, as .NET ticks allow
  let out = '';
  let i = 0;
  while (i < format.length) {
    const c = format.charAt(i);
    if (c === "'" || c === '"') {
      const end = format.indexOf(c, i + 1);
      out += end < 0 ? format.slice(i + 1) : format.slice(i + 1, end);
      i = end < 0 ? format.length : end + 1;
      continue;
    }
    if (c === '\\') {
      out += format.charAt(i + 1);
      i += 2;
      continue;
    }
    if (!SPECIFIERS.includes(c)) {
      out += c;
      i++;
      continue;
    }
    let n = 1;
    while (format.charAt(i + n) === c) n++;
    i += n;
    out += specifier(d, c, n, fraction);
  }
  return out;
}

function specifier(d: Date, c: string, n: number, fraction: string): string {
  const hours = d.getUTCHours();
  switch (c) {
    case 'y': {
      const year = d.getUTCFullYear();
      if (n === 1) return String(year % 100);
      if (n === 2) return pad(year % 100, 2);
      return pad(year, n);
    }
    case 'M': {
      const month = d.getUTCMonth();
      const name = MONTHS[month] ?? '';
      if (n >= 4) return name;
      if (n === 3) return name.slice(0, 3);
      return pad(month + 1, n);
    }
    case 'd': {
      const name = DAYS[d.getUTCDay()] ?? '';
      if (n >= 4) return name;
      if (n === 3) return name.slice(0, 3);
      return pad(d.getUTCDate(), n);
    }
    case 'H':
      return pad(hours, Math.min(n, 2));
    case 'h':
      return pad(hours % 12 === 0 ? 12 : hours % 12, Math.min(n, 2));
    case 'm':
      return pad(d.getUTCMinutes(), Math.min(n, 2));
    case 's':
      return pad(d.getUTCSeconds(), Math.min(n, 2));
    case 'f':
      return fraction.slice(0, Math.min(n, 7));
    case 'F':
      return fraction.slice(0, Math.min(n, 7)).replace(/0+$/, '');
    case 't':
      return (hours < 12 ? 'AM' : 'PM').slice(0, n === 1 ? 1 : 2);
    case 'z':
      return n === 1 ? '+0' : n === 2 ? '+00' : '+00:00';
    case 'K':
      return 'Z';
    default:
      return c.repeat(n);
  }
}
