/**
 * The simulator's tickets and every change to them (oceane-api.md sections 2 and 7): creation,
 * status changes with their history, notes by id. Each change moves `lastUpdate` strictly
 * forward, saves the ledger (when there is a file) and tells the listener which TMF621 events
 * it raises, so the hub can deliver them (7.5).
 */
import { saveLedger } from './ledger-file.js';
import type {
  TicketLifecycleStatus,
  TicketNote,
  TroubleTicket,
  TroubleTicketBody,
} from './types.js';

/** The final statuses of section 7.2: nothing changes a ticket in one of them (7.4). */
export const FINAL_STATUSES: ReadonlySet<TicketLifecycleStatus> = new Set([
  'closed',
  'cancelled',
  'rejected',
]);

/** The TMF621 event types the simulator raises. */
export type TicketEventType =
  | 'TroubleTicketCreateEvent'
  | 'TroubleTicketStatusChangeEvent'
  | 'TroubleTicketResolvedEvent'
  | 'TroubleTicketAttributeValueChangeEvent';

/** Called after each change with the ticket as it now is. */
export type ChangeListener = (ticket: TroubleTicket, eventTypes: TicketEventType[]) => void;

/** What a status change asks for. */
export interface StatusChangeInput {
  status: TicketLifecycleStatus;
  reason?: string;
  resolutionDate?: string;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Orders tickets by lastUpdate, then id. */
function byUpdate(a: TroubleTicket, b: TroubleTicket): number {
  const order = Date.parse(a.lastUpdate) - Date.parse(b.lastUpdate);
  return order !== 0 ? order : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The tickets, in creation order, and the same tickets ordered by lastUpdate, so that the
 * changes since a moment (7.1) cost what changed, not how many tickets exist.
 */
export class TicketBook {
  private nextNumber: number;
  private listener: ChangeListener = () => undefined;
  private readonly byUpdate: TroubleTicket[];

  constructor(
    readonly tickets: TroubleTicket[],
    private readonly now: () => number,
    private readonly ledgerFile: string | undefined,
  ) {
    this.nextNumber =
      1 + Math.max(0, ...tickets.map((t) => Number(/^OCE-(\d+)$/.exec(t.id)?.[1] ?? 0)));
    this.byUpdate = [...tickets].sort(byUpdate);
  }

  /** The tickets changed after `ms`, by lastUpdate then id (a binary search, then a slice). */
  changedAfter(ms: number): TroubleTicket[] {
    return this.byUpdate.slice(this.firstAfter(ms));
  }

  /** Index of the first ticket of byUpdate whose lastUpdate is after `ms`. */
  private firstAfter(ms: number): number {
    let low = 0;
    let high = this.byUpdate.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (Date.parse(this.byUpdate[mid]!.lastUpdate) > ms) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  /** Puts a ticket at its place in byUpdate (after its lastUpdate changed, or when new). */
  private place(ticket: TroubleTicket, previous: string | null): void {
    if (previous !== null) {
      const ms = Date.parse(previous);
      for (let i = this.firstAfter(ms - 1); i < this.byUpdate.length; i += 1) {
        if (this.byUpdate[i] === ticket) {
          this.byUpdate.splice(i, 1);
          break;
        }
      }
    }
    let index = this.byUpdate.length;
    while (index > 0 && byUpdate(this.byUpdate[index - 1]!, ticket) > 0) index -= 1;
    this.byUpdate.splice(index, 0, ticket);
  }

  /** Sets the one listener of changes (the event hub). */
  onChange(listener: ChangeListener): void {
    this.listener = listener;
  }

  get(id: string | undefined): TroubleTicket | undefined {
    return this.tickets.find((t) => t.id === id);
  }

  /** Records a validated create body as a new `acknowledged` ticket. */
  create(body: TroubleTicketBody, hrefOf: (id: string) => string): TroubleTicket {
    const id = `OCE-${String(this.nextNumber).padStart(6, '0')}`;
    const at = iso(this.now());
    const ticket: TroubleTicket = {
      id,
      href: hrefOf(id),
      ...body,
      status: 'acknowledged',
      creationDate: at,
      lastUpdate: at,
    };
    this.tickets.push(ticket);
    this.place(ticket, null);
    this.nextNumber += 1;
    this.changed(ticket, ['TroubleTicketCreateEvent']);
    return ticket;
  }

  /**
   * Moves the ticket to `status` (no check of 7.4: the caller checks). The same status again
   * changes nothing and returns false.
   */
  changeStatus(ticket: TroubleTicket, change: StatusChangeInput): boolean {
    if (ticket.status === change.status) return false;
    const at = this.stamp(ticket);
    ticket.status = change.status;
    ticket.statusChangeDate = at;
    const reason = change.reason ?? `Status set to ${change.status}`;
    ticket.statusChangeReason = reason;
    if (change.status === 'resolved') ticket.resolutionDate = change.resolutionDate ?? at;
    ticket.statusChange = [
      ...(ticket.statusChange ?? []),
      { '@type': 'StatusChange', status: change.status, changeDate: at, changeReason: reason },
    ];
    const events: TicketEventType[] = ['TroubleTicketStatusChangeEvent'];
    if (change.status === 'resolved') events.push('TroubleTicketResolvedEvent');
    this.changed(ticket, events);
    return true;
  }

  /** Adds a note; a note whose id the ticket already has changes nothing (returns false). */
  addNote(ticket: TroubleTicket, note: TicketNote): boolean {
    if (ticket.note?.some((n) => n.id === note.id)) return false;
    this.stamp(ticket);
    ticket.note = [...(ticket.note ?? []), note];
    this.changed(ticket, ['TroubleTicketAttributeValueChangeEvent']);
    return true;
  }

  /** Moves lastUpdate to now, and always forward (two changes in one ms stay ordered). */
  private stamp(ticket: TroubleTicket): string {
    const before = ticket.lastUpdate;
    const previous = Date.parse(before);
    const at = iso(Math.max(this.now(), Number.isNaN(previous) ? 0 : previous + 1));
    ticket.lastUpdate = at;
    this.place(ticket, before);
    return at;
  }

  private changed(ticket: TroubleTicket, events: TicketEventType[]): void {
    if (this.ledgerFile) saveLedger(this.ledgerFile, this.tickets);
    this.listener(ticket, events);
  }
}
