/**
 * The ticket's life after creation in the SQL store (issue 13, migration 4): followed tickets
 * and their status fields, each ticket's history, the poll cursor, the durable queue of notes
 * and status changes. Every read a poll makes is by ticket id (a key or an index), so it costs
 * what changed, not what is followed; the same kysely queries serve SQLite and PostgreSQL.
 */
import { sql } from 'kysely';
import type { OceaneTicketStatus, TicketRow } from '../../shared/domain.js';
import type { SqliteDatabase } from '../storage/sqlite-database.js';
import {
  filled,
  mark,
  template,
  type SqlTable,
  type TableOp,
  type Template,
} from '../storage/sql-table.js';
import {
  FINAL_OCEANE_STATUSES,
  type FollowedTicket,
  type TicketHistoryEntry,
  type TicketUpdate,
} from './ticket-follower.js';
import type { FollowedTicketsTable } from '../storage/store-schema.js';
import type { PollState } from './ticket-poll.js';
import type { NoteInput, StatusChangeInput } from './tmf621-mapping.js';

/** A followed ticket with what the console did about it. */
export interface FollowedRecord extends FollowedTicket {
  /** The clear action (note or resolution) was queued for this ticket. */
  actedOn: boolean;
  followedAt: string;
}

/** Where a queued change is in its life (the create queue's rules, in small). */
export interface ChangeState {
  attempts: number;
  /** Sent at least once without a definite answer: checked with a GET before a re-send. */
  maybeSent: boolean;
  /** Not before this time (ms since the epoch). */
  nextAt: number;
  lastError: string | null;
  /** Given up (refused, or out of retries); kept for the history, never sent again. */
  failed: boolean;
}

/** A note or a status change waiting to reach Oceane. */
export type QueuedChange = {
  /** The change's own id (the note id, or the status change's request id). */
  id: string;
  ticketId: string;
  queuedAt: string;
  state: ChangeState;
} & ({ kind: 'note'; note: NoteInput } | { kind: 'status'; change: StatusChangeInput });

/** The poll's stored state. */
const POLL_STATE = 'poll';
/** The follow_state row of the events subscription. */
const EVENTS_HUB = 'events-hub';

/** A history entry's key: the same change seen twice is stored once (both stores). */
export function historyKey(entry: TicketHistoryEntry): string {
  return entry.kind === 'note'
    ? `${entry.ticketId}|note|${entry.noteId}`
    : `${entry.ticketId}|status|${entry.at}|${entry.to}`;
}

/** A followed_tickets row as the console uses it (both stores). */
export function followedOf(row: FollowedTicketsTable): FollowedRecord {
  const data = JSON.parse(row.data) as { noteIds?: string[]; actedOn?: boolean };
  return {
    ticketId: row.ticket_id,
    status: row.status as OceaneTicketStatus | null,
    statusChangeDate: row.status_change_date,
    statusChangeReason: row.status_change_reason,
    resolutionDate: row.resolution_date,
    lastUpdate: row.last_update,
    noteIds: data.noteIds ?? [],
    actedOn: data.actedOn ?? false,
    followedAt: row.followed_at,
  };
}

function isFinal(status: OceaneTicketStatus | null): boolean {
  return status !== null && FINAL_OCEANE_STATUSES.has(status);
}

/** The life-cycle tables of one database. */
export class LifeStore {
  private historySeq: number;
  private changeSeq: number;
  /** Compiled once: each Created ticket runs them (compiling cost more than running). */
  private readonly followInsert: Template;
  private readonly stateSelect: Template;

  constructor(
    readonly database: SqliteDatabase,
    private readonly tickets: SqlTable<TicketRow>,
  ) {
    const b = database.builder;
    const max = (table: 'ticket_history' | 'change_queue'): number =>
      Number(
        database.first<{ s: number | null }>(
          b
            .selectFrom(table)
            .select((eb) => eb.fn.max('seq').as('s'))
            .compile(),
        )?.s ?? 0,
      );
    this.historySeq = max('ticket_history') + 1;
    this.changeSeq = max('change_queue') + 1;
    this.followInsert = template(
      b
        .insertInto('followed_tickets')
        .values({
          ticket_id: mark('ticketId'),
          // Unnamed in `follow`: null.
          status: mark('status'),
          status_change_date: mark('statusChangeDate'),
          status_change_reason: mark('statusChangeReason'),
          resolution_date: mark('resolutionDate'),
          last_update: mark('lastUpdate'),
          final: mark('final') as never,
          followed_at: mark('createdAt'),
          data: mark('data'),
        })
        .onConflict((oc) => oc.column('ticket_id').doNothing())
        .compile(),
    );
    this.stateSelect = template(
      b.selectFrom('follow_state').select('data').where('name', '=', mark('name')).compile(),
    );
  }

  private get b() {
    return this.database.builder;
  }

  // ---- followed tickets -------------------------------------------------------------------

  /**
   * Follows a ticket from its creation (inside the caller's transaction: the one that records
   * the Created row). The cursor moves back to the creation time when it is later, so that the
   * next poll reads the ticket's first state (repeats change nothing).
   */
  follow(ticketId: string, createdAt: string): void {
    this.database.run(
      filled(this.followInsert, {
        ticketId,
        final: 0,
        createdAt,
        data: JSON.stringify({ noteIds: [], actedOn: false }),
      }),
    );
    const state = this.pollState();
    if (state.cursor === null || Date.parse(createdAt) < Date.parse(state.cursor)) {
      this.setPollState({ ...state, cursor: new Date(Date.parse(createdAt)).toISOString() });
    }
  }

  /** The followed ticket, or undefined. */
  get(ticketId: string): FollowedRecord | undefined {
    const row = this.database.first<FollowedTicketsTable>(
      this.b.selectFrom('followed_tickets').selectAll().where('ticket_id', '=', ticketId).compile(),
    );
    if (!row) return undefined;
    return followedOf(row);
  }

  /** The known tickets as a map that reads each one from SQL when asked (only those). */
  knownTickets(): ReadonlyMap<string, FollowedTicket> {
    return new StoredFollowed(this);
  }

  /** How many tickets are followed and not final. */
  followedCount(): number {
    const row = this.database.first<{ n: number }>(
      this.b
        .selectFrom('followed_tickets')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('final', '=', 0)
        .compile(),
    );
    return Number(row?.n ?? 0);
  }

  private writeFollowed(record: FollowedRecord): void {
    this.database.run(
      this.b
        .updateTable('followed_tickets')
        .set({
          status: record.status,
          status_change_date: record.statusChangeDate,
          status_change_reason: record.statusChangeReason,
          resolution_date: record.resolutionDate,
          last_update: record.lastUpdate,
          final: isFinal(record.status) ? 1 : 0,
          data: JSON.stringify({ noteIds: record.noteIds, actedOn: record.actedOn }),
        })
        .where('ticket_id', '=', record.ticketId)
        .compile(),
    );
  }

  /** Marks the clear action as taken for the ticket (inside the caller's transaction). */
  markActedOn(ticketId: string): void {
    const record = this.get(ticketId);
    if (record) this.writeFollowed({ ...record, actedOn: true });
  }

  /** The Tickets rows of a ticket (one per request that created or found it). */
  ticketRows(ticketId: string): TicketRow[] {
    // `!= ''`: the term of the partial ticket id index (migration 9); `ticketId` is never empty.
    const query = this.b.selectFrom('tickets').select('data').where('ticket_id', '=', ticketId);
    return this.database
      .all<{ data: string }>(query.where('ticket_id', '!=', sql.lit('')).compile())
      .map((r) => JSON.parse(r.data) as TicketRow);
  }

  /**
   * Stores a batch of updates and the poll state in one transaction: the followed tickets,
   * their history, and the Oceane status on their Tickets rows. Returns the rows changed.
   */
  applyUpdates(updates: readonly TicketUpdate[], state: PollState | null): TicketRow[] {
    const rowOps: TableOp<TicketRow>[] = [];
    try {
      this.database.transaction(false, () => {
        for (const update of updates) {
          const before = this.get(update.ticket.ticketId);
          if (!before) continue;
          this.writeFollowed({ ...before, ...update.ticket });
          for (const entry of update.history) this.addHistory(entry);
          const status = update.ticket.status;
          if (status === null || (status === before.status && update.history.length === 0)) {
            continue;
          }
          // The rows carry the status, and the time of the last change (a new note too), so
          // that the views hear of it with the row.
          const at = update.ticket.lastUpdate ?? undefined;
          for (const row of this.ticketRows(update.ticket.ticketId)) {
            const value: TicketRow = { ...row, oceaneStatus: status };
            if (at !== undefined) value.oceaneLastUpdate = at;
            rowOps.push({ key: row.instance, value });
          }
        }
        this.tickets.apply(rowOps);
        if (state) this.setPollState(state);
      });
    } catch (error) {
      this.tickets.discard();
      throw error;
    }
    this.tickets.committed(rowOps);
    return rowOps.map((op) => ('value' in op ? op.value : null)).filter((r) => r !== null);
  }

  private addHistory(entry: TicketHistoryEntry): void {
    this.database.run(
      this.b
        .insertInto('ticket_history')
        .values({
          key: historyKey(entry),
          seq: this.historySeq++,
          ticket_id: entry.ticketId,
          at: entry.at,
          data: JSON.stringify(entry),
        })
        .onConflict((oc) => oc.column('key').doNothing())
        .compile(),
    );
  }

  /** The history of a ticket, in arrival order. */
  history(ticketId: string): TicketHistoryEntry[] {
    return this.database
      .all<{ data: string }>(
        this.b
          .selectFrom('ticket_history')
          .select('data')
          .where('ticket_id', '=', ticketId)
          .orderBy('seq')
          .compile(),
      )
      .map((r) => JSON.parse(r.data) as TicketHistoryEntry);
  }

  // ---- the poll's state -------------------------------------------------------------------

  /** The cursor and the failures in a row. */
  pollState(): PollState {
    return this.readState<PollState>(POLL_STATE) ?? { cursor: null, failures: 0 };
  }

  /** Stores the poll state (inside a transaction, or in its own). */
  setPollState(state: PollState): void {
    this.writeState(POLL_STATE, state);
  }

  /** The id of the events subscription (7.5) made and not yet ended, or null. */
  eventsHub(): string | null {
    return this.readState<{ hubId: string | null }>(EVENTS_HUB)?.hubId ?? null;
  }

  /** Records the events subscription made (or, null, ended), so that a crash cannot lose it. */
  setEventsHub(hubId: string | null): void {
    this.writeState(EVENTS_HUB, { hubId });
  }

  private readState<T>(name: string): T | undefined {
    const row = this.database.first<{ data: string }>(filled(this.stateSelect, { name }));
    return row ? (JSON.parse(row.data) as T) : undefined;
  }

  private writeState(name: string, value: unknown): void {
    const data = JSON.stringify(value);
    this.database.run(
      this.b
        .insertInto('follow_state')
        .values({ name, data })
        .onConflict((oc) => oc.column('name').doUpdateSet({ data }))
        .compile(),
    );
  }

  // ---- the changes queue ------------------------------------------------------------------

  /** Queues changes durably (synced before it returns), with `alsoDo` in the same transaction. */
  enqueueChanges(changes: readonly QueuedChange[], alsoDo: () => void = () => {}): void {
    this.database.transaction(true, () => {
      for (const change of changes) {
        this.database.run(
          this.b
            .insertInto('change_queue')
            .values({
              key: change.id,
              seq: this.changeSeq++,
              ticket_id: change.ticketId,
              kind: change.kind,
              data: JSON.stringify(change),
            })
            .onConflict((oc) => oc.column('key').doNothing())
            .compile(),
        );
      }
      alsoDo();
    });
  }

  /** Saves a change's new state (durable: a "may have been sent" mark must survive a crash). */
  saveChange(change: QueuedChange): void {
    this.database.transaction(true, () => {
      this.database.run(
        this.b
          .updateTable('change_queue')
          .set({ data: JSON.stringify(change) })
          .where('key', '=', change.id)
          .compile(),
      );
    });
  }

  /** Removes a settled change, storing what Oceane answered in the same transaction. */
  settleChange(id: string, updates: readonly TicketUpdate[]): TicketRow[] {
    let rows: TicketRow[] = [];
    this.database.transaction(false, () => {
      this.database.run(this.b.deleteFrom('change_queue').where('key', '=', id).compile());
      rows = this.applyUpdates(updates, null);
    });
    return rows;
  }

  /** The queued changes, oldest first (failed ones included). */
  changes(): QueuedChange[] {
    return this.database
      .all<{ data: string }>(
        this.b.selectFrom('change_queue').select('data').orderBy('seq').compile(),
      )
      .map((r) => JSON.parse(r.data) as QueuedChange);
  }
}

/** A read-through map of the followed tickets: `get` reads one ticket by its key. */
class StoredFollowed extends Map<string, FollowedTicket> {
  constructor(private readonly store: LifeStore) {
    super();
  }

  override get(ticketId: string): FollowedTicket | undefined {
    if (!super.has(ticketId)) {
      const record = this.store.get(ticketId);
      if (!record) return undefined;
      super.set(ticketId, record);
    }
    return super.get(ticketId);
  }

  override has(ticketId: string): boolean {
    return this.get(ticketId) !== undefined;
  }
}
