/**
 * What the mock DataMiner tells its listeners: coalesced batches for the console
 * (`ChangeBatch`) and one life-cycle event per change for whoever reacts to alarms changing
 * (the ticket life cycle will).
 */
import type { Alarm, AlarmsChanged } from '../../shared/domain.js';

/** One change in an alarm's life, as it happens. `key` is DMA ID/root Alarm ID. */
export interface AlarmEvent {
  kind: 'raised' | 'updated' | 'cleared' | 'removed' | 'state';
  key: string;
  /** The alarm after the change (for `removed`: as it was when it went). */
  alarm: Alarm;
  /** The alarm before the change; null for `raised`. */
  previous: Alarm | null;
}

/** Collects changes per key so a batch carries each alarm once, in its latest state. */
export class ChangeBatch {
  private readonly upserted = new Map<string, Alarm>();
  private readonly removed = new Set<string>();

  /** True when nothing waits. */
  get empty(): boolean {
    return this.upserted.size === 0 && this.removed.size === 0;
  }

  /** Notes the latest state of an alarm. */
  upsert(key: string, alarm: Alarm): void {
    this.removed.delete(key);
    this.upserted.set(key, alarm);
  }

  /** Notes that an alarm went. */
  remove(key: string): void {
    this.upserted.delete(key);
    this.removed.add(key);
  }

  /** The batch so far, and a fresh start. */
  take(): AlarmsChanged {
    const change = { upserted: [...this.upserted.values()], removed: [...this.removed] };
    this.upserted.clear();
    this.removed.clear();
    return change;
  }
}

/**
 * Hands a batch to every listener. A throwing listener is a bug: the others still hear the
 * batch, then the first error is thrown.
 */
export function notifyAll(
  listeners: ReadonlySet<(change: AlarmsChanged) => void>,
  change: AlarmsChanged,
): void {
  let failure: unknown = null;
  for (const listener of [...listeners]) {
    try {
      listener(change);
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure instanceof Error) throw failure;
  if (failure !== null) throw new Error('An alarm change listener threw a non-Error value');
}

/** Cleared alarms by the time they go, earliest first. */
export class ClearQueue {
  private readonly items: { key: string; at: number }[] = [];

  /** When the next alarm goes (clock ms), or null when none waits. */
  get next(): number | null {
    return this.items[0]?.at ?? null;
  }

  /** Notes that `key` goes at `at`; usually the latest, so this is an append. */
  add(key: string, at: number): void {
    let i = this.items.length;
    while (i > 0 && this.items[i - 1]!.at > at) i--;
    this.items.splice(i, 0, { key, at });
  }

  /** The keys due at `now`, taken off the queue. */
  takeDue(now: number): string[] {
    let n = 0;
    while (n < this.items.length && this.items[n]!.at <= now) n++;
    return this.items.splice(0, n).map((x) => x.key);
  }
}

/** Adds a listener to a set and returns its unsubscribe. */
export function subscribe<T>(listeners: Set<T>, listener: T): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
