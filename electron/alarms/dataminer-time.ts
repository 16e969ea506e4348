/**
 * Formats times for hyperlink placeholders such as `[ROOTTIME:yyyy-MM-ddTHH:mm:ssZ]`.
 * DataMiner Cube is a .NET application and the format after the colon is a .NET custom
 * date and time format string; this implements its common specifiers, always in UTC (the
 * mock's times are UTC, and a ticket's root time must not depend on the operator's PC).
 *
 * Specifiers: yyyy yy y, MMMM MMM MM M, dddd ddd dd d, HH H, hh h, mm m, ss s, f..fffffff,
 * F..FFFFFFF, tt t, zzz zz z (always +00:00), K (always Z). Any other character is copied,
 * so `T` and `Z` in `yyyy-MM-ddTHH:mm:ssZ` come out as they are. '...' and "..." quote
 * literal text and a backslash escapes one character, as in .NET. A format of one character
 * is a .NET standard format (invariant culture: d D f F g G m M o O r R s t T u U y Y), and
 * `%c` is the custom specifier c alone, as in .NET.
 *
 * `parseDataMinerTime` reads such a text back with the same format (.NET's ParseExact), so
 * that a hyperlink's `Root Time=[ROOTTIME:dd/MM/yyyy HH:mm]` reaches the ticket as a time.
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
/** One of the specifier letters of SPECIFIERS. */
type Specifier = 'y' | 'M' | 'd' | 'H' | 'h' | 'm' | 's' | 'f' | 'F' | 't' | 'z' | 'K';
const isSpecifier = (c: string): c is Specifier => SPECIFIERS.includes(c);

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Epoch ms of a time given as epoch ms or an ISO 8601 string; NaN when unreadable. */
export function toEpochMs(epochMsOrIso: number | string): number {
  if (typeof epochMsOrIso === 'number') return epochMsOrIso;
  return Date.parse(epochMsOrIso.trim());
}

/** .NET's standard date and time formats (one letter), as the invariant culture writes them. */
const STANDARD_FORMATS: Record<string, string> = {
  d: 'MM/dd/yyyy',
  D: 'dddd, dd MMMM yyyy',
  f: 'dddd, dd MMMM yyyy HH:mm',
  F: 'dddd, dd MMMM yyyy HH:mm:ss',
  g: 'MM/dd/yyyy HH:mm',
  G: 'MM/dd/yyyy HH:mm:ss',
  m: 'MMMM dd',
  M: 'MMMM dd',
  o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  r: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  R: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  t: 'HH:mm',
  T: 'HH:mm:ss',
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
  U: 'dddd, dd MMMM yyyy HH:mm:ss',
  y: 'yyyy MMMM',
  Y: 'yyyy MMMM',
};

/** One piece of a format: literal text, or a run of one specifier letter. */
type Piece = { literal: string } | { spec: Specifier; n: number };

/** Splits a .NET format into literals and specifier runs (standard formats expanded). */
function tokenizeFormat(format: string): Piece[] {
  let f = format;
  if (f.length === 1) {
    const standard = STANDARD_FORMATS[f];
    if (standard === undefined) throw new RangeError(`Unknown standard date format "${f}"`);
    f = standard;
  }
  const pieces: Piece[] = [];
  let i = 0;
  while (i < f.length) {
    const c = f.charAt(i);
    if (c === "'" || c === '"') {
      const found = f.indexOf(c, i + 1);
      const end = found === -1 ? f.length : found;
      pieces.push({ literal: f.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '\\') {
      pieces.push({ literal: f.charAt(i + 1) });
      i += 2;
    } else if (c === '%') {
      // `%` makes a lone letter a custom specifier (`%d`); it writes nothing itself.
      i++;
    } else if (!isSpecifier(c)) {
      pieces.push({ literal: c });
      i++;
    } else {
      let n = 1;
      while (f.charAt(i + n) === c) n++;
      pieces.push({ spec: c, n });
      i += n;
    }
  }
  return pieces;
}

/**
 * Formats a time (epoch ms or ISO 8601) with a .NET-style format, in UTC.
 * Throws a RangeError when the time cannot be read or the format is an unknown standard one.
 */
export function formatDataMinerTime(epochMsOrIso: number | string, format: string): string {
  const ms = toEpochMs(epochMsOrIso);
  if (!Number.isFinite(ms)) {
    throw new RangeError(`Not a time: ${JSON.stringify(epochMsOrIso)}`);
  }
  const d = new Date(ms);
  const fraction = pad(d.getUTCMilliseconds(), 3) + '0000'; // 7 digits, as .NET ticks allow
  return tokenizeFormat(format)
    .map((p) => ('literal' in p ? p.literal : specifier(d, p.spec, p.n, fraction)))
    .join('');
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const names = (list: readonly string[], length?: number): string =>
  list.map((n) => (length ? n.slice(0, length) : n)).join('|');

/** The pattern that reads one specifier run back, or null when it carries no value. */
function piecePattern(spec: Specifier, n: number): string {
  switch (spec) {
    case 'y':
      return n <= 2 ? '(\\d{1,2})' : `(\\d{${n},})`;
    case 'M':
      return n >= 4 ? `(${names(MONTHS)})` : n === 3 ? `(${names(MONTHS, 3)})` : '(\\d{1,2})';
    case 'd':
      return n >= 4 ? `(${names(DAYS)})` : n === 3 ? `(${names(DAYS, 3)})` : '(\\d{1,2})';
    case 'H':
    case 'h':
    case 'm':
    case 's':
      return n === 1 ? '(\\d{1,2})' : '(\\d{2})';
    case 'f':
      return `(\\d{${Math.min(n, 7)}})`;
    case 'F':
      return `(\\d{0,${Math.min(n, 7)}})`;
    case 't':
      return n === 1 ? '([AP])' : '(AM|PM)';
    case 'z':
      return '([+-]\\d{1,2}(?::?\\d{2})?)';
    case 'K':
      return '(Z|[+-]\\d{2}:\\d{2}|)';
  }
}

/** .NET's default two-digit year window: 00-49 is 2000-2049, 50-99 is 1950-1999. */
const twoDigitYear = (yy: number): number => (yy < 50 ? 2000 + yy : 1900 + yy);

/**
 * Reads `text` written with the .NET-style `format` (as .NET's ParseExact does) and gives the
 * time as epoch ms, or NaN when the text does not match the format or names no full date
 * (year, month and day). Without an offset (zzz, K) the text is read as UTC, as it was written.
 */
export function parseDataMinerTime(text: string, format: string): number {
  let pieces: Piece[];
  try {
    pieces = tokenizeFormat(format);
  } catch {
    return Number.NaN;
  }
  const specs: { spec: Specifier; n: number }[] = [];
  let pattern = '^';
  for (const p of pieces) {
    if ('literal' in p) pattern += escapeRegExp(p.literal);
    else {
      pattern += piecePattern(p.spec, p.n);
      specs.push(p);
    }
  }
  const match = new RegExp(`${pattern}$`, 'i').exec(text.trim());
  if (!match) return Number.NaN;
  const v: Record<string, number> = {};
  let offsetMinutes = 0;
  let pm: boolean | null = null;
  specs.forEach(({ spec, n }, k) => {
    const raw = match[k + 1] ?? '';
    const lower = raw.toLowerCase();
    if (spec === 'M' && n >= 3)
      v.M = MONTHS.findIndex((m) => m.toLowerCase().startsWith(lower)) + 1;
    else if (spec === 'd' && n >= 3)
      return; // the day name adds nothing to the date
    else if (spec === 't') pm = lower.startsWith('p');
    else if (spec === 'z' || spec === 'K') {
      const o = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(raw);
      if (o) offsetMinutes = (o[1] === '-' ? -1 : 1) * (Number(o[2]) * 60 + Number(o[3] ?? 0));
    } else if (spec === 'f' || spec === 'F') v.f = Number(`0.${raw}`) * 1000;
    else if (spec === 'y') v.y = n <= 2 ? twoDigitYear(Number(raw)) : Number(raw);
    else v[spec] = Number(raw);
  });
  // A missing year, month or day is NaN, which no range check below lets through.
  const { y = Number.NaN, M = Number.NaN, d = Number.NaN } = v;
  let hours = v.H ?? v.h ?? 0;
  if (v.h !== undefined && pm !== null) hours = (v.h % 12) + (pm ? 12 : 0);
  const [minutes, seconds] = [v.m ?? 0, v.s ?? 0];
  // A field out of range (31 February, 25:00, 10:60) is not a time: Date would roll it over.
  const inRange =
    M >= 1 &&
    M <= 12 &&
    d >= 1 &&
    d <= daysInMonth(y, M) &&
    hours <= 23 &&
    minutes <= 59 &&
    seconds <= 59;
  if (!inRange) return Number.NaN;
  const time = new Date(0);
  time.setUTCFullYear(y, M - 1, d); // not Date.UTC, which reads years 0-99 as 1900-1999
  time.setUTCHours(hours, minutes, seconds, Math.round(v.f ?? 0));
  return time.getTime() - offsetMinutes * 60_000;
}

/** The number of days of month `M` (1-12) of year `y`. */
function daysInMonth(y: number, M: number): number {
  const last = new Date(0);
  last.setUTCFullYear(y, M, 0); // day 0 of the next month
  return last.getUTCDate();
}

function specifier(d: Date, c: Specifier, n: number, fraction: string): string {
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
  }
}
