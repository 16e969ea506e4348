/**
 * Rows that hold still: while the operator works in the console (a context menu or dialog
 * open, the pointer over the grid while it has focus, a selection being made), live alarm
 * changes that would move, add or remove rows are kept here instead of being applied, and
 * the console shows how many alarms have changes waiting. Changes that leave a row where it
 * is (an acknowledgement, a new owner or comment, a ticket ID) still show at once. What waits
 * is coalesced per alarm (batches carry whole alarms) and applied as one batch when the
 * operator lets go, or asks.
 */
import type { Alarm, AlarmsChanged } from '../../../shared/domain.js';
import type { AppState } from '../store/store-types.js';
import type { AlarmColumn, AlarmEntry } from './alarm-index.js';

/** True while live changes must not move rows under the operator. */
export function isHolding(s: AppState): boolean {
  return s.menu !== null || s.dialog !== null || s.commentFor !== null || s.holdReasons.size > 0;
}

/** Columns whose value an in-place change may alter, so sorting by them moves rows. */
const STATE_COLUMNS: ReadonlySet<AlarmColumn> = new Set([
  'acknowledged',
  'owner',
  'ticketId',
  'ticketUrl',
]);

/** True when showing `next` instead of `shown` keeps the row where it is. */
export function staysInPlace(shown: AlarmEntry, next: Alarm, sortColumn: AlarmColumn): boolean {
  const a = shown.alarm;
  return (
    !STATE_COLUMNS.has(sortColumn) &&
    a.severity === next.severity &&
    a.time === next.time &&
    a.value === next.value &&
    a.latestAlarmId === next.latestAlarmId &&
    (a.state?.clearedAt ?? null) === (next.state?.clearedAt ?? null)
  );
}

/** Keeps changes while the console holds and applies them when it lets go. */
export class HeldUpdates {
  /** Latest state per alarm key; null: the alarm went. */
  private readonly held = new Map<string, Alarm | null>();

  constructor(
    private readonly getState: () => AppState,
    private readonly setState: (partial: Partial<AppState>) => void,
  ) {}

  /** Number of alarms with changes waiting. */
  get size(): number {
    return this.held.size;
  }

  /** Applies the batches now, or keeps what would move rows when the console holds. */
  deliver(batches: readonly AlarmsChanged[]): void {
    const s = this.getState();
    if (!isHolding(s)) {
      this.apply(batches);
      return;
    }
    const now: AlarmsChanged = { upserted: [], removed: [] };
    for (const b of batches) {
      for (const key of b.removed) this.held.set(key, null);
      for (const alarm of b.upserted) {
        const key = `${alarm.dmaId}/${alarm.alarmId}`;
        const shown = s.alarmIndex.get(key);
        if (!this.held.has(key) && shown && staysInPlace(shown, alarm, s.alarmSort.column)) {
          now.upserted.push(alarm);
        } else this.held.set(key, alarm);
      }
    }
    this.apply(now.upserted.length > 0 ? [now] : []);
  }

  /** Applies what waits (the console let go, or the operator asked). */
  release(): void {
    if (this.held.size === 0) return;
    const batch: AlarmsChanged = { upserted: [], removed: [] };
    for (const [key, alarm] of this.held) {
      if (alarm) batch.upserted.push(alarm);
      else batch.removed.push(key);
    }
    this.held.clear();
    this.apply([batch]);
  }

  private apply(batches: readonly AlarmsChanged[]): void {
    const s = this.getState();
    const index = s.alarmIndex;
    for (const b of batches) index.apply(b);
    if (index.version !== s.alarmsVersion || s.heldChanges !== this.held.size) {
      this.setState({ alarmsVersion: index.version, heldChanges: this.held.size });
    }
  }
}
