/**
 * The alarm console's data structure: every alarm in a Map by `dmaId/alarmId`, plus the
 * sorted array and the filtered (visible) array of the current view. Sort keys and the filter
 * text are computed once per alarm, so that filtering or sorting 100,000 alarms is a plain
 * loop and a numeric or code-unit comparison, never a locale comparison per compare. Live
 * batches are applied in place, by binary search of each change's place in the arrays that
 * already exist: a batch moves entries within the view, never copies it nor re-sorts it.
 */
import {
  alarmKeyString,
  type Alarm,
  type AlarmsChanged,
  type Severity,
} from '../../../shared/domain.js';
import {
  ALARM_COLUMNS,
  makeComparator,
  makePredicate,
  toEntry,
  severityGroup,
  type AlarmColumn,
  type AlarmEntry,
  type AlarmSort,
  type AlarmView,
  type Comparator,
  type SeverityGroup,
} from './alarm-entry.js';

export {
  ALARM_COLUMNS,
  makeComparator,
  makePredicate,
  severityGroup,
  toEntry,
  type AlarmColumn,
  type AlarmEntry,
  type AlarmSort,
  type AlarmView,
  type SeverityGroup,
} from './alarm-entry.js';

/** First index in `arr` whose entry sorts at or after `entry`. */
function lowerBound(arr: readonly AlarmEntry[], entry: AlarmEntry, cmp: Comparator): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(arr[mid]!, entry) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Changes `arr` (sorted by `cmp`) in place: the entries `gone` out, `fresh` (sorted) in (issue
 * 11, target 9). One binary search per change, then two passes that move only the entries
 * after the first change, in place: no array of the view's size is allocated per batch (the
 * copy that this replaced allocated and joined slices of 100,000 entries on every batch).
 * Entries in `gone` keep their sort keys, so they are found where they are.
 */
function applySorted(
  arr: AlarmEntry[],
  gone: readonly AlarmEntry[],
  fresh: readonly AlarmEntry[],
  cmp: Comparator,
): void {
  // Out: compact forwards from the first cut (the write index never passes the read index).
  const cuts: number[] = [];
  for (const e of gone) {
    const i = lowerBound(arr, e, cmp);
    if (arr[i] === e) cuts.push(i);
  }
  if (cuts.length > 0) {
    cuts.sort((a, b) => a - b);
    let w = cuts[0]!;
    let c = 0;
    for (let r = w; r < arr.length; r++) {
      if (c < cuts.length && cuts[c] === r) {
        c++;
        continue;
      }
      arr[w++] = arr[r]!;
    }
    arr.length = w;
  }
  if (fresh.length === 0) return;
  // In: place every fresh entry, then fill backwards from the end (the write index never
  // falls behind the read index). Growing by push keeps the array packed.
  const at = fresh.map((e) => lowerBound(arr, e, cmp));
  let r = arr.length - 1;
  for (let k = 0; k < fresh.length; k++) arr.push(fresh[0]!);
  let w = arr.length - 1;
  for (let f = fresh.length - 1; f >= 0; f--) {
    const stop = at[f]!;
    while (r >= stop) arr[w--] = arr[r--]!;
    arr[w--] = fresh[f]!;
  }
}

/** Merges two arrays sorted by `cmp`. */
function merge(a: readonly AlarmEntry[], b: readonly AlarmEntry[], cmp: Comparator): AlarmEntry[] {
  const out = new Array<AlarmEntry>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = cmp(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/**
 * An ascending order of every alarm by one column, kept for when the operator sorts by that
 * column again. Changes while it is not shown are only noted (`added`, and `alive` on the
 * entries) and folded in, in one linear pass, the next time it is used.
 */
interface CachedOrder {
  asc: AlarmEntry[];
  added: AlarmEntry[];
  stale: boolean;
}

/**
 * A progressive filter (query with `progressive`) first finds this many matches, enough to
 * paint the first screens at once, and finds the rest in later slices (continueScan), so the
 * time until the filtered rows are painted does not grow with the number of alarms (issue 6,
 * target 6).
 */
export const FIRST_MATCHES = 200;
/** Entries filtered between two looks at the clock. */
const SCAN_CHUNK = 2048;

/** Above this share of the table, a batch is cheaper to apply by rebuilding the view. */
const REBUILD_SHARE = 0.05;

/**
 * Every alarm and the current view over them. Mutable on purpose (a 100,000-entry Map is not
 * copied per change); `version` grows on every change so that React can subscribe to it.
 */
export class AlarmIndex {
  private readonly byKey = new Map<string, AlarmEntry>();
  private readonly orders = new Map<AlarmColumn, CachedOrder>();
  private nextSeq = 0;
  private sort: AlarmSort | null = null;
  /** Every alarm in the current sort order (an exact, up-to-date array). */
  private base: AlarmEntry[] = [];
  /** `base` filtered, or `base` itself when nothing is filtered out. */
  private visible: AlarmEntry[] = [];
  private predicate: ((e: AlarmEntry) => boolean) | null = null;
  /**
   * A progressive filter still running: `visible` holds the matches of `source[0..pos)`,
   * which are already the first rows of the final result (the scan goes in sort order).
   */
  private scan: { source: readonly AlarmEntry[]; pos: number } | null = null;
  private viewText = '';
  private viewSeverities: ReadonlySet<Severity> = new Set();
  /** Grows on every change of the data. */
  version = 0;
  private readonly counts = new Map<SeverityGroup, number>();

  /** How many alarms of each severity (and cleared) the index holds. */
  countOf(group: SeverityGroup): number {
    return this.counts.get(group) ?? 0;
  }

  private count(entry: AlarmEntry, delta: number): void {
    const group = severityGroup(entry.alarm);
    this.counts.set(group, (this.counts.get(group) ?? 0) + delta);
  }

  /** Number of alarms held. */
  get size(): number {
    return this.byKey.size;
  }

  /** The entry of an alarm, by `dmaId/alarmId`. */
  get(key: string): AlarmEntry | undefined {
    return this.byKey.get(key);
  }

  /** Replaces every alarm (the initial load). */
  replaceAll(alarms: readonly Alarm[]): void {
    for (const e of this.byKey.values()) e.alive = false;
    this.byKey.clear();
    this.orders.clear();
    this.counts.clear();
    for (const a of alarms) {
      const e = toEntry(a, this.nextSeq++);
      const old = this.byKey.get(e.key);
      if (old) {
        old.alive = false;
        e.seq = old.seq;
        this.count(old, -1);
      }
      this.byKey.set(e.key, e);
      this.count(e, 1);
    }
    this.sort = null;
    this.scan = null;
    this.version++;
  }

  /** Applies a batch of live changes: upserts by key, removals by key. */
  apply(batch: AlarmsChanged): void {
    if (batch.upserted.length === 0 && batch.removed.length === 0) return;
    // The incremental update below works on complete views.
    this.finishScan();
    const sort = this.sort;
    const incremental =
      sort !== null &&
      batch.upserted.length + batch.removed.length <= Math.max(64, this.byKey.size * REBUILD_SHARE);
    const cmp = incremental ? makeComparator(sort) : null;
    const pred = this.predicate;
    const filtered = this.visible !== this.base;
    const gone: AlarmEntry[] = [];
    const drop = (old: AlarmEntry): void => {
      old.alive = false;
      this.count(old, -1);
      gone.push(old);
    };
    const added: AlarmEntry[] = [];
    const now = Date.now();
    for (const key of batch.removed) {
      const old = this.byKey.get(key);
      if (!old) continue;
      this.byKey.delete(key);
      drop(old);
    }
    for (const alarm of batch.upserted) {
      const key = alarmKeyString(alarm);
      const old = this.byKey.get(key);
      const entry = toEntry(alarm, old ? old.seq : this.nextSeq++, now);
      if (old) drop(old);
      this.byKey.set(key, entry);
      this.count(entry, 1);
      added.push(entry);
    }
    if (cmp) {
      const fresh = added.filter((e) => e.alive).sort(cmp);
      applySorted(this.base, gone, fresh, cmp);
      if (filtered) applySorted(this.visible, gone, pred ? fresh.filter(pred) : fresh, cmp);
    }
    for (const [column, order] of this.orders) {
      if (cmp && sort && column === sort.column) continue;
      order.stale = true;
      for (const e of added) order.added.push(e);
      if (order.added.length > Math.max(1000, this.byKey.size / 4)) this.orders.delete(column);
    }
    if (!cmp) this.sort = null;
    this.version++;
  }

  /** Builds one missing cached order (call when idle); false when none is missing. */
  warmOne(): boolean {
    for (const column of ALARM_COLUMNS) {
      if (!this.orders.has(column)) {
        this.orderOf(column);
        return true;
      }
    }
    return false;
  }

  /** The up-to-date ascending order of every alarm by `column`. */
  private orderOf(column: AlarmColumn): AlarmEntry[] {
    const cmp = makeComparator({ column, direction: 'ascending' });
    let order = this.orders.get(column);
    if (!order) {
      order = { asc: Array.from(this.byKey.values()).sort(cmp), added: [], stale: false };
      this.orders.set(column, order);
    } else if (order.stale) {
      const fresh = order.added.filter((e) => e.alive).sort(cmp);
      order.asc = merge(
        order.asc.filter((e) => e.alive),
        fresh,
        cmp,
      );
      order.added = [];
      order.stale = false;
    }
    return order.asc;
  }

  /**
   * The visible alarms for a view, sorted and filtered. Reuses what it can: a sort already
   * seen comes from its cached order; a new filter over the same sort filters the sorted array
   * already held. The returned array is owned by the index; `apply` changes it in place (query
   * again after it: a change of filter or sort returns another array).
   * With `progressive`, a new filter returns after its first FIRST_MATCHES matches; the rest
   * come with `continueScan` (or `finishScan`), appended to the same array.
   */
  query(view: AlarmView, options: { progressive?: boolean } = {}): readonly AlarmEntry[] {
    const prev = this.sort;
    const next = view.sort;
    const sameSort =
      prev !== null && prev.column === next.column && prev.direction === next.direction;
    if (!sameSort) {
      if (prev) {
        // Keep the exact order just shown for the next time this column is sorted.
        const asc = prev.direction === 'ascending' ? this.base : this.base.slice().reverse();
        this.orders.set(prev.column, { asc, added: [], stale: false });
      }
      const asc = this.orderOf(next.column);
      this.base = next.direction === 'ascending' ? asc : asc.slice().reverse();
      this.sort = { column: next.column, direction: next.direction };
      // The current column's order is now `base`, kept exact by `apply`.
      this.orders.delete(next.column);
    }
    const sameFilter =
      sameSort && this.viewText === view.text && sameSet(this.viewSeverities, view.severities);
    if (!sameFilter) {
      // Typing more of the same filter can only narrow what is shown: filter what is shown.
      const narrowing =
        sameSort &&
        this.predicate !== null &&
        sameSet(this.viewSeverities, view.severities) &&
        view.text.trim().toLowerCase().includes(this.viewText.trim().toLowerCase());
      if (narrowing) this.finishScan();
      const from = narrowing ? this.visible : this.base;
      this.viewText = view.text;
      this.viewSeverities = new Set(view.severities);
      this.predicate = makePredicate(view);
      this.scan = null;
      if (!this.predicate) this.visible = this.base;
      else if (!options.progressive) this.visible = from.filter(this.predicate);
      else {
        this.visible = [];
        this.scan = { source: from, pos: 0 };
        this.advanceScan(FIRST_MATCHES, Infinity);
      }
    }
    return this.visible;
  }

  /** True while a progressive filter has not yet looked at every alarm. */
  get scanning(): boolean {
    return this.scan !== null;
  }

  /**
   * Continues a progressive filter for about `budgetMs`; true once it is complete (the
   * visible array then holds every match and `version` has grown).
   */
  continueScan(budgetMs: number): boolean {
    if (!this.scan) return true;
    this.advanceScan(Infinity, performance.now() + budgetMs);
    if (this.scan !== null) return false;
    this.version++;
    return true;
  }

  /** Completes a progressive filter now. */
  finishScan(): void {
    if (this.scan) this.advanceScan(Infinity, Infinity);
  }

  /** Scans until `matches` more rows matched, `deadline` passed, or the end. */
  private advanceScan(matches: number, deadline: number): void {
    const scan = this.scan;
    const pred = this.predicate;
    if (!scan || !pred) return;
    const { source } = scan;
    const out = this.visible;
    const wanted = out.length + matches;
    let i = scan.pos;
    while (i < source.length && out.length < wanted) {
      const stop = Math.min(source.length, i + SCAN_CHUNK);
      for (; i < stop; i++) {
        const e = source[i]!;
        if (pred(e)) out.push(e);
      }
      if (deadline !== Infinity && performance.now() >= deadline) break;
    }
    scan.pos = i;
    if (i >= source.length) this.scan = null;
  }
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  if (a.size !== b.size) return false;
  for (const v of a) if (!b.has(v)) return false;
  return true;
}
