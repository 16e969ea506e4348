/**
 * The alarm console's rows, precomputed: the columns, an alarm's sort keys and filter text
 * (computed once per alarm), the comparator of a sort (severity then newest first by default)
 * and the filter predicate of a view. Used by AlarmIndex.
 */
import {
  PROPERTY_TICKET_ID,
  PROPERTY_TICKET_URL,
  SEVERITIES,
  alarmKeyString,
  type Alarm,
  type Severity,
} from '../../../shared/domain.js';

/** The columns of the alarm console, in display order. */
export const ALARM_COLUMNS = [
  'element',
  'parameter',
  'value',
  'severity',
  'time',
  'acknowledged',
  'owner',
  'rootTime',
  'alarmId',
  'dmaId',
  'ticketId',
  'ticketUrl',
] as const;

/** A column of the alarm console. */
export type AlarmColumn = (typeof ALARM_COLUMNS)[number];

/** Sort order of the alarm console. */
export interface AlarmSort {
  column: AlarmColumn;
  direction: 'ascending' | 'descending';
}

/** What the console shows: a text filter, the severities shown and the sort order. */
export interface AlarmView {
  text: string;
  severities: ReadonlySet<Severity>;
  sort: AlarmSort;
}

/** A sort key: numbers sort before text, numbers numerically, text by its collation key. */
type SortKey = number | string;

/** One alarm with everything the view needs precomputed. */
export interface AlarmEntry {
  readonly key: string;
  readonly alarm: Alarm;
  readonly ticketId: string;
  readonly ticketUrl: string;
  /** Lower-cased text the filter searches: element, parameter, value and the IDs. */
  readonly haystack: string;
  /** Sort key per column, in the order of ALARM_COLUMNS. */
  readonly keys: readonly SortKey[];
  /** Tie-break: the order in which the index first saw this alarm. */
  seq: number;
  /** 0 for alarms of the initial list; otherwise when a live change made it (epoch ms). */
  changed: number;
  /** Cleared (back to normal): shown as Cleared, counted apart from Normal. */
  readonly cleared: boolean;
  /** False once a newer version of the alarm replaced this entry, or the alarm cleared. */
  alive: boolean;
}

const SEVERITY_RANK = new Map<string, number>(SEVERITIES.map((s, i) => [s, i]));
const COLUMN_INDEX = new Map<AlarmColumn, number>(ALARM_COLUMNS.map((c, i) => [c, i]));
const NUMBER_TEXT = /^[-+]?\d+(\.\d+)?$/;
const NON_ASCII = /[^\p{ASCII}]/u;

/** Text collation key: case-insensitive, accents folded, so `<` orders it like a person would. */
function textKey(value: string): string {
  const lower = value.toLowerCase();
  return NON_ASCII.test(lower) ? lower.normalize('NFD').replace(/[\u0300-\u036f]/g, '') : lower;
}

/** A number when the whole text is one (e.g. "42", "-3.5"), otherwise its text key. */
function numberOrText(value: string): SortKey {
  const trimmed = value.trim();
  return trimmed !== '' && NUMBER_TEXT.test(trimmed) ? Number(trimmed) : textKey(value);
}

function timeKey(value: string): SortKey {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? textKey(value) : ms;
}

/** The severity groups counted on the toggles: the severities, and Cleared apart. */
export type SeverityGroup = Severity | 'Cleared';

/** The group an alarm is counted in. */
export function severityGroup(alarm: Alarm): SeverityGroup {
  return alarm.state?.clearedAt ? 'Cleared' : alarm.severity;
}

/** Builds the precomputed entry of an alarm. */
export function toEntry(alarm: Alarm, seq = 0, changed = 0): AlarmEntry {
  const ticketId = alarm.properties[PROPERTY_TICKET_ID] ?? '';
  const ticketUrl = alarm.properties[PROPERTY_TICKET_URL] ?? '';
  const cleared = Boolean(alarm.state?.clearedAt);
  const ackBy = alarm.state?.acknowledgedBy ?? '';
  const owner = alarm.state?.owner ?? '';
  // Same order as ALARM_COLUMNS.
  const keys: SortKey[] = [
    textKey(alarm.elementName),
    textKey(alarm.parameter),
    numberOrText(alarm.value),
    cleared ? SEVERITIES.length : (SEVERITY_RANK.get(alarm.severity) ?? SEVERITIES.length),
    timeKey(alarm.time),
    textKey(ackBy),
    textKey(owner),
    timeKey(alarm.rootTime),
    numberOrText(alarm.alarmId),
    numberOrText(alarm.dmaId),
    numberOrText(ticketId),
    ticketUrl,
  ];
  return {
    key: alarmKeyString(alarm),
    alarm,
    ticketId,
    ticketUrl,
    haystack: [
      alarm.elementName,
      alarm.parameter,
      alarm.value,
      alarm.alarmId,
      alarm.dmaId,
      alarm.elementId,
      ticketId,
      owner,
      ackBy,
    ]
      .join('\u0001')
      .toLowerCase(),
    keys,
    seq,
    changed,
    cleared,
    alive: true,
  };
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An order over entries. */
export type Comparator = (a: AlarmEntry, b: AlarmEntry) => number;

const TIME_INDEX = COLUMN_INDEX.get('time') ?? 0;

/**
 * A total order over entries for one sort: the column, then first-seen order as tie-break.
 * By severity, alarms of the same severity come newest first (the console's default order).
 */
export function makeComparator(sort: AlarmSort): Comparator {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const i = COLUMN_INDEX.get(sort.column) ?? 0;
  if (i === COLUMN_INDEX.get('severity')) {
    return (a, b) =>
      sign *
      (compareKeys(a.keys[i]!, b.keys[i]!) ||
        compareKeys(b.keys[TIME_INDEX]!, a.keys[TIME_INDEX]!) ||
        a.seq - b.seq);
  }
  return (a, b) => sign * (compareKeys(a.keys[i]!, b.keys[i]!) || a.seq - b.seq);
}

/** The filter predicate of a view, or null when the view shows everything. */
export function makePredicate(
  view: Pick<AlarmView, 'text' | 'severities'>,
): ((e: AlarmEntry) => boolean) | null {
  const needle = view.text.trim().toLowerCase();
  const allSeverities = SEVERITIES.every((s) => view.severities.has(s));
  if (needle === '' && allSeverities) return null;
  const sev = new Set(view.severities);
  if (needle === '') return (e) => sev.has(e.alarm.severity);
  if (allSeverities) return (e) => e.haystack.includes(needle);
  return (e) => sev.has(e.alarm.severity) && e.haystack.includes(needle);
}
