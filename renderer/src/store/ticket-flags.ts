/**
 * Which alarms show "Pending" or "Failed" in the console's Oceane Ticket ID cell, kept up to
 * date from each `tickets:changed` batch. The work per batch is proportional to the rows in
 * the batch (and the few rows of the alarms they touch), never to the whole Tickets table,
 * which may hold a million rows. Mutable on purpose, like AlarmIndex: `version` grows when a
 * flag changes, and each alarm row selects only its own flag.
 */
import { alarmKeyString, type TicketRow, type TicketStatus } from '../../../shared/domain.js';

/** What an alarm row shows about its ticket requests. */
export type AlarmTicketFlag = 'pending' | 'failed' | null;

/** The part of a ticket row that decides the flags. */
interface TicketMark {
  readonly instance: string;
  readonly alarmKey: string;
  readonly status: TicketStatus;
  readonly createdAt: string;
}

/** True when `a` is the later request of the two (creation time, then Instance). */
function isLater(a: TicketMark, b: TicketMark): boolean {
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt;
  return a.instance > b.instance;
}

/**
 * The flag of every alarm: "pending" while it has a Pending ticket row (or a request the
 * operator just queued whose row has not arrived yet); "failed" when its latest ticket row is
 * Failed. The console shows either only where the alarm has no ticket ID.
 */
export class AlarmTicketFlags {
  /** Instance -> one mark per alarm of its row (several for a ticket for several alarms). */
  private readonly byInstance = new Map<string, TicketMark[]>();
  private readonly byAlarm = new Map<string, TicketMark[]>();
  private readonly flags = new Map<string, 'pending' | 'failed'>();
  /** Alarm key -> Instance of a request queued here whose row has not arrived yet. */
  private readonly queuedHere = new Map<string, string>();
  /** Grows whenever a flag changes. */
  version = 0;

  /** The flag of an alarm, by `dmaId/alarmId`. */
  flagOf(alarmKey: string): AlarmTicketFlag {
    return this.flags.get(alarmKey) ?? null;
  }

  /**
   * The status of a ticket row known here: every Pending or Failed row of the initial load,
   * and every row changed since; undefined for others (Created before, or pruned).
   */
  statusOf(instance: string): TicketStatus | undefined {
    return this.byInstance.get(instance)?.[0]?.status;
  }

  /** Replaces every row (the initial list). Returns true when a flag changed. */
  replaceAll(rows: Iterable<TicketRow>): boolean {
    const before = new Map(this.flags);
    this.byInstance.clear();
    this.byAlarm.clear();
    this.flags.clear();
    const touched = new Set<string>(this.queuedHere.keys());
    for (const row of rows) for (const key of this.put(row)) touched.add(key);
    for (const key of touched) this.recompute(key);
    let changed = before.size !== this.flags.size;
    for (const [key, flag] of this.flags) if (before.get(key) !== flag) changed = true;
    if (changed) this.version++;
    return changed;
  }

  /** Applies one `tickets:changed` batch. Returns true when a flag changed. */
  apply(change: { upserted: readonly TicketRow[]; removed: readonly string[] }): boolean {
    const touched = new Set<string>();
    const dropInstance = (instance: string): void => {
      for (const old of this.byInstance.get(instance) ?? []) {
        this.drop(old);
        touched.add(old.alarmKey);
      }
      this.byInstance.delete(instance);
    };
    for (const instance of change.removed) dropInstance(instance);
    for (const row of change.upserted) {
      dropInstance(row.instance);
      for (const key of this.put(row)) touched.add(key);
    }
    return this.recomputeAll(touched);
  }

  /**
   * Marks an alarm pending as soon as its request is queued, before its row arrives. The mark
   * goes when the row with that Instance arrives (the row then tells the truth).
   */
  markQueued(alarmKey: string, instance: string): boolean {
    if (this.byInstance.has(instance)) return false;
    this.queuedHere.set(alarmKey, instance);
    return this.recomputeAll([alarmKey]);
  }

  /** Records a row's marks, one per alarm (issue 11); returns the alarm keys. */
  private put(row: TicketRow): string[] {
    const keys = [row, ...(row.otherAlarms ?? [])].map((a) => alarmKeyString(a));
    const marks: TicketMark[] = [];
    for (const alarmKey of keys) {
      const mark: TicketMark = {
        instance: row.instance,
        alarmKey,
        status: row.status,
        createdAt: row.createdAt,
      };
      marks.push(mark);
      const list = this.byAlarm.get(alarmKey);
      if (list) list.push(mark);
      else this.byAlarm.set(alarmKey, [mark]);
      if (this.queuedHere.get(alarmKey) === row.instance) this.queuedHere.delete(alarmKey);
    }
    this.byInstance.set(row.instance, marks);
    return keys;
  }

  private drop(mark: TicketMark): void {
    const list = this.byAlarm.get(mark.alarmKey);
    if (!list) return;
    const i = list.indexOf(mark);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.byAlarm.delete(mark.alarmKey);
  }

  private recomputeAll(keys: Iterable<string>): boolean {
    let changed = false;
    for (const key of keys) if (this.recompute(key)) changed = true;
    if (changed) this.version++;
    return changed;
  }

  /** Sets the flag of one alarm from its rows; true when it changed. */
  private recompute(alarmKey: string): boolean {
    const before = this.flags.get(alarmKey);
    let pending = this.queuedHere.has(alarmKey);
    let latest: TicketMark | null = null;
    for (const mark of this.byAlarm.get(alarmKey) ?? []) {
      if (mark.status === 'Pending') pending = true;
      if (!latest || isLater(mark, latest)) latest = mark;
    }
    const flag = pending ? 'pending' : latest?.status === 'Failed' ? 'failed' : undefined;
    if (flag === before) return false;
    if (flag) this.flags.set(alarmKey, flag);
    else this.flags.delete(alarmKey);
    return true;
  }
}
