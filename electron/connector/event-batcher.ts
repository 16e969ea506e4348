/**
 * Coalesces the connector's changes into few events (design.md "The renderer hears every
 * change as an event"): changes made in the same turn of the event loop leave as one
 * `tickets:changed` (latest state per row), one `failed:changed`, one `queue:changed` and one
 * `settings:changed`. Payloads carry only what changed, never whole tables, and nothing is
 * built while nobody listens. A settled request's row leaves at once (`flushRows`), with the
 * rows the turn collected until then: the operator waits for it.
 */
import type {
  FailedRequestRow,
  Notice,
  QueueStatus,
  SettingsView,
  TicketRow,
} from '../../shared/domain.js';
import type { EventMap } from '../../shared/ipc-contract.js';
import type { Logger } from './ports.js';

/** The channels the connector emits. */
export type ConnectorChannel =
  'tickets:changed' | 'failed:changed' | 'queue:changed' | 'settings:changed' | 'notice';

type Listener<C extends ConnectorChannel> = (payload: EventMap[C]) => void;

/** Collects changes and emits them once per tick. */
export class EventBatcher {
  private readonly listeners = new Map<ConnectorChannel, Set<(payload: never) => void>>();
  private tickets = new Map<string, TicketRow | null>();
  private failed = new Map<string, FailedRequestRow | null>();
  private queueDirty = false;
  private settingsDirty = false;
  private notices: Notice[] = [];
  private scheduled = false;

  constructor(
    private readonly sources: { queueStatus: () => QueueStatus; settings: () => SettingsView },
    private readonly logger: Logger,
  ) {}

  /** Subscribes; returns the function that unsubscribes. */
  on<C extends ConnectorChannel>(channel: C, listener: Listener<C>): () => void {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  private listening(channel: ConnectorChannel): boolean {
    return (this.listeners.get(channel)?.size ?? 0) > 0;
  }

  /** A ticket row was inserted or changed. */
  ticketUpserted(row: TicketRow): void {
    if (!this.listening('tickets:changed')) return;
    this.tickets.set(row.instance, row);
    this.schedule();
  }

  /** A ticket row was removed (retention). */
  ticketRemoved(instance: string): void {
    if (!this.listening('tickets:changed')) return;
    this.tickets.set(instance, null);
    this.schedule();
  }

  /** A failed-request row was inserted. */
  failedUpserted(row: FailedRequestRow): void {
    if (!this.listening('failed:changed')) return;
    this.failed.set(row.instance, row);
    this.schedule();
  }

  /** A failed-request row was removed (retention). */
  failedRemoved(instance: string): void {
    if (!this.listening('failed:changed')) return;
    this.failed.set(instance, null);
    this.schedule();
  }

  /** The queue or its lock changed. */
  queueChanged(): void {
    if (!this.listening('queue:changed')) return;
    this.queueDirty = true;
    this.schedule();
  }

  /** The settings changed. */
  settingsChanged(): void {
    if (!this.listening('settings:changed')) return;
    this.settingsDirty = true;
    this.schedule();
  }

  /** Something the operator should be told. */
  notice(notice: Notice): void {
    if (!this.listening('notice')) return;
    this.notices.push(notice);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /**
   * Emits the rows collected so far, now (a settled request's: the operator waits for them);
   * the queue's status, the settings and the notices leave at the end of the turn.
   */
  flushRows(): void {
    if (this.tickets.size > 0) {
      const changes = this.tickets;
      this.tickets = new Map();
      this.emit('tickets:changed', split(changes));
    }
    if (this.failed.size > 0) {
      const changes = this.failed;
      this.failed = new Map();
      this.emit('failed:changed', split(changes));
    }
  }

  /** Emits what has been collected (also called at close). */
  flush(): void {
    this.scheduled = false;
    this.flushRows();
    if (this.queueDirty) {
      this.queueDirty = false;
      this.emit('queue:changed', this.sources.queueStatus());
    }
    if (this.settingsDirty) {
      this.settingsDirty = false;
      this.emit('settings:changed', this.sources.settings());
    }
    const notices = this.notices;
    this.notices = [];
    for (const notice of notices) this.emit('notice', notice);
  }

  private emit<C extends ConnectorChannel>(channel: C, payload: EventMap[C]): void {
    for (const listener of this.listeners.get(channel) ?? []) {
      try {
        (listener as Listener<C>)(payload);
      } catch (error) {
        this.logger.error('An event listener failed', {
          channel,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
}

function split<T>(changes: Map<string, T | null>): { upserted: T[]; removed: string[] } {
  const upserted: T[] = [];
  const removed: string[] = [];
  for (const [key, row] of changes) {
    if (row === null) removed.push(key);
    else upserted.push(row);
  }
  return { upserted, removed };
}
