/**
 * The ticket's life in team mode (issue 14 with issue 13), on the team's PostgreSQL: the same
 * tables as the single console's life-store.ts (followed_tickets, ticket_history, follow_state,
 * change_queue, migration 4), written asynchronously with queries kysely compiles for
 * PostgreSQL. Every write of the holder of the team's life lease (team-life-lease.ts) runs
 * fenced by it: a console that stalled past its lease writes nothing more, and a change it
 * marked "may have been sent" is checked by the next holder before any re-send.
 *
 * Queueing a change is open to every console: the change's id is the primary key, so a clear
 * action two consoles decide at once (the same id, derived from the ticket) is queued once.
 */
import { sql } from 'kysely';
import type { TicketRow } from '../../shared/domain.js';
import {
  followedOf,
  historyKey,
  type FollowedRecord,
  type QueuedChange,
} from '../connector/life-store.js';
import {
  FINAL_OCEANE_STATUSES,
  type TicketHistoryEntry,
  type TicketUpdate,
} from '../connector/ticket-follower.js';
import type { PollState } from '../connector/ticket-poll.js';
import { TICKETS_SPEC } from '../connector/ticket-rows.js';
import type { FollowedTicketsTable } from '../storage/store-schema.js';
import { DB_NOW_US, upsertKeyed } from './postgres-keyed.js';
import type { PostgresStore, PostgresTransaction } from './postgres-store.js';
import { TEAM_CHANNEL, announce } from './team-claims.js';
import { TeamLifeLease } from './team-life-lease.js';

/** The follow_state row of the poll's state (the same name as on a single console). */
const POLL_STATE = 'poll';
/** The NOTIFY payload of a change of the team's ticket life. */
export const LIFE_CHANGED = 'life';

/** A followed ticket with what was done about it (the single console's record). */
export type TeamFollowed = FollowedRecord;

/** The team's ticket-life tables. */
export class TeamLifeStore {
  /** The team's life lease: who follows and sends, and the fence of the holder's writes. */
  readonly lease: TeamLifeLease;

  constructor(
    private readonly store: PostgresStore,
    readonly consoleName: string,
    /** How long the lease lasts without renewal (ms); longer than one call to Oceane. */
    leaseMs: number,
  ) {
    this.lease = new TeamLifeLease(store, consoleName, leaseMs);
  }

  private fenced<T>(fn: (tx: PostgresTransaction) => Promise<T>): Promise<T> {
    return this.lease.fenced(fn);
  }

  private get b() {
    return this.store.builder;
  }

  // ---- followed tickets -------------------------------------------------------------------

  /**
   * Follows every Created ticket of the team not followed yet (the holder, before each poll),
   * moving the poll cursor back to the oldest creation time among them. Returns how many.
   */
  async adopt(): Promise<number> {
    return this.fenced(async (tx) => {
      const query = sql<{ ticket_id: string; followed_at: string }>`INSERT INTO followed_tickets
          (ticket_id, status, status_change_date, status_change_reason, resolution_date,
           last_update, final, followed_at, data)
        SELECT ticket_id, NULL, NULL, NULL, NULL, NULL, 0, min(created_at),
          '{"noteIds":[],"actedOn":false}'
        FROM tickets t WHERE t.status = 'Created' AND t.ticket_id IS NOT NULL AND t.ticket_id <> ''
          AND NOT EXISTS (SELECT 1 FROM followed_tickets f WHERE f.ticket_id = t.ticket_id)
        GROUP BY ticket_id
        ON CONFLICT (ticket_id) DO NOTHING
        RETURNING ticket_id, followed_at`.compile(this.b);
      const added = await tx.raw<{ ticket_id: string; followed_at: string }>(query.sql, [
        ...query.parameters,
      ]);
      const state = await this.readPollState(tx);
      const times = added.map((a) => a.followed_at);
      if (state.cursor === null) {
        // Tickets followed by another console before any poll (see `follow`) count too.
        const first = await tx.first<{ at: string | null }>(
          this.b
            .selectFrom('followed_tickets')
            .select((eb) => eb.fn.min('followed_at').as('at'))
            .where('final', '=', 0)
            .compile(),
        );
        if (first?.at) times.push(first.at);
      }
      const oldest = Math.min(...times.map((t) => Date.parse(t)));
      if (Number.isFinite(oldest) && (state.cursor === null || oldest < Date.parse(state.cursor))) {
        await this.writeState(tx, POLL_STATE, {
          ...state,
          cursor: new Date(oldest).toISOString(),
        });
      }
      return added.length;
    });
  }

  /**
   * Follows a Created ticket of the team at once (any console: a clear or a note that comes
   * before the holder's next turn). The poll cursor is the holder's alone and stays: the
   * answer to the change queued for it brings the ticket's state, and polls follow it after.
   */
  async follow(ticketId: string, followedAt: string): Promise<void> {
    await this.store.run(
      this.b
        .insertInto('followed_tickets')
        .values({
          ticket_id: ticketId,
          status: null,
          status_change_date: null,
          status_change_reason: null,
          resolution_date: null,
          last_update: null,
          final: 0,
          followed_at: followedAt,
          data: JSON.stringify({ noteIds: [], actedOn: false }),
        })
        .onConflict((oc) => oc.column('ticket_id').doNothing())
        .compile(),
    );
  }

  /** The followed ticket, or undefined. */
  async get(
    ticketId: string,
    tx: PostgresTransaction = this.store,
  ): Promise<TeamFollowed | undefined> {
    const row = await tx.first<FollowedTicketsTable>(
      this.b.selectFrom('followed_tickets').selectAll().where('ticket_id', '=', ticketId).compile(),
    );
    return row ? followedOf(row) : undefined;
  }

  /** The followed tickets among `ticketIds`, by id (what a batch of changes needs). */
  async known(ticketIds: readonly string[]): Promise<Map<string, TeamFollowed>> {
    const ids = [...new Set(ticketIds)];
    if (ids.length === 0) return new Map();
    const rows = await this.store.all<FollowedTicketsTable>(
      this.b.selectFrom('followed_tickets').selectAll().where('ticket_id', 'in', ids).compile(),
    );
    return new Map(rows.map((r) => [r.ticket_id, followedOf(r)]));
  }

  /** The team's Tickets rows of a ticket. */
  async ticketRows(ticketId: string, tx: PostgresTransaction = this.store): Promise<TicketRow[]> {
    const rows = await tx.all<{ data: string }>(
      this.b.selectFrom('tickets').select('data').where('ticket_id', '=', ticketId).compile(),
    );
    return rows.map((r) => JSON.parse(r.data) as TicketRow);
  }

  /** The newest Created row of an alarm's own request, or undefined. */
  async createdRowOfAlarm(alarmKey: string): Promise<TicketRow | undefined> {
    const row = await this.store.first<{ data: string }>(
      this.b
        .selectFrom('tickets')
        .select('data')
        .where('alarm_key', '=', alarmKey)
        .where('status', '=', 'Created')
        .orderBy('seq', 'desc')
        .limit(1)
        .compile(),
    );
    return row ? (JSON.parse(row.data) as TicketRow) : undefined;
  }

  /**
   * Stores a batch of updates (and the poll state) in one fenced transaction: the followed
   * tickets (notes seen merged, the clear action mark kept), their history, the Oceane status
   * on the team's Tickets rows; announced to every console. Returns the rows changed.
   */
  async applyUpdates(
    updates: readonly TicketUpdate[],
    state: PollState | null,
  ): Promise<TicketRow[]> {
    return this.fenced((tx) => this.applyIn(tx, updates, state));
  }

  private async applyIn(
    tx: PostgresTransaction,
    updates: readonly TicketUpdate[],
    state: PollState | null,
  ): Promise<TicketRow[]> {
    const changed: TicketRow[] = [];
    for (const update of updates) {
      const t = update.ticket;
      const before = await this.get(t.ticketId, tx);
      if (!before) continue;
      // Only the holder writes these fields; `actedOn` (any console) is left as it is.
      await tx.run(
        this.b
          .updateTable('followed_tickets')
          .set({
            status: t.status,
            status_change_date: t.statusChangeDate,
            status_change_reason: t.statusChangeReason,
            resolution_date: t.resolutionDate,
            last_update: t.lastUpdate,
            final: t.status !== null && FINAL_OCEANE_STATUSES.has(t.status) ? 1 : 0,
            data: sql<string>`jsonb_set(data::jsonb, '{noteIds}', ${JSON.stringify(t.noteIds)}::jsonb)::text`,
          })
          .where('ticket_id', '=', t.ticketId)
          .compile(),
      );
      for (const entry of update.history) {
        await tx.run(
          this.b
            .insertInto('ticket_history')
            .values({
              key: historyKey(entry),
              seq: DB_NOW_US,
              ticket_id: entry.ticketId,
              at: entry.at,
              data: JSON.stringify(entry),
            })
            .onConflict((oc) => oc.column('key').doNothing())
            .compile(),
        );
      }
      if (t.status === null || (t.status === before.status && update.history.length === 0))
        continue;
      for (const row of await this.ticketRows(t.ticketId, tx)) {
        const value: TicketRow = { ...row, oceaneStatus: t.status };
        if (t.lastUpdate !== null) value.oceaneLastUpdate = t.lastUpdate;
        await tx.run(
          upsertKeyed(this.b, 'tickets', row.instance, value, TICKETS_SPEC.columns?.(value)),
        );
        changed.push(value);
      }
    }
    if (state) await this.writeState(tx, POLL_STATE, state);
    if (changed.length > 0 || updates.length > 0) await announce(tx, 'tickets');
    return changed;
  }

  /** The history of a ticket, in arrival order. */
  async history(ticketId: string): Promise<TicketHistoryEntry[]> {
    const rows = await this.store.all<{ data: string }>(
      this.b
        .selectFrom('ticket_history')
        .select('data')
        .where('ticket_id', '=', ticketId)
        .orderBy('seq')
        .compile(),
    );
    return rows.map((r) => JSON.parse(r.data) as TicketHistoryEntry);
  }

  // ---- the poll's state -------------------------------------------------------------------

  /** The cursor and the failures in a row. */
  pollState(): Promise<PollState> {
    return this.readPollState(this.store);
  }

  private async readPollState(tx: PostgresTransaction): Promise<PollState> {
    const row = await tx.first<{ data: string }>(
      this.b.selectFrom('follow_state').select('data').where('name', '=', POLL_STATE).compile(),
    );
    return row ? (JSON.parse(row.data) as PollState) : { cursor: null, failures: 0 };
  }

  private async writeState(tx: PostgresTransaction, name: string, value: unknown): Promise<void> {
    const data = JSON.stringify(value);
    await tx.run(
      this.b
        .insertInto('follow_state')
        .values({ name, data })
        .onConflict((oc) => oc.column('name').doUpdateSet({ data }))
        .compile(),
    );
  }

  // ---- the changes queue ------------------------------------------------------------------

  /**
   * Queues a change for the team (any console). With `clearAction`, only when the ticket has
   * had no clear action yet, and the ticket is marked as acted on in the same transaction.
   * False when nothing was queued: the same id is already queued (another console), or the
   * clear action was already taken.
   */
  async enqueue(change: QueuedChange, clearAction = false): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      if (clearAction) {
        const row = await tx.first<{ data: string }>(
          this.b
            .selectFrom('followed_tickets')
            .select('data')
            .where('ticket_id', '=', change.ticketId)
            .forUpdate()
            .compile(),
        );
        if (!row || (JSON.parse(row.data) as { actedOn?: boolean }).actedOn) return false;
      }
      const inserted = await tx.run(
        this.b
          .insertInto('change_queue')
          .values({
            key: change.id,
            seq: DB_NOW_US,
            ticket_id: change.ticketId,
            kind: change.kind,
            data: JSON.stringify(change),
          })
          .onConflict((oc) => oc.column('key').doNothing())
          .compile(),
      );
      if (inserted !== 1) return false;
      if (clearAction) {
        await tx.run(
          this.b
            .updateTable('followed_tickets')
            .set({ data: sql<string>`jsonb_set(data::jsonb, '{actedOn}', 'true')::text` })
            .where('ticket_id', '=', change.ticketId)
            .compile(),
        );
      }
      await announce(tx, LIFE_CHANGED);
      return true;
    });
  }

  /** The queued changes, oldest first (failed ones included); of one ticket when named. */
  async changes(ticketId?: string): Promise<QueuedChange[]> {
    let query = this.b.selectFrom('change_queue').select('data');
    if (ticketId !== undefined) query = query.where('ticket_id', '=', ticketId);
    const rows = await this.store.all<{ data: string }>(query.orderBy('seq').compile());
    return rows.map((r) => JSON.parse(r.data) as QueuedChange);
  }

  /** Saves a change's new state under the lease (LeaseLost: not saved). */
  async saveChange(change: QueuedChange): Promise<void> {
    await this.fenced(async (tx) => {
      await tx.run(
        this.b
          .updateTable('change_queue')
          .set({ data: JSON.stringify(change) })
          .where('key', '=', change.id)
          .compile(),
      );
      await announce(tx, LIFE_CHANGED);
    });
  }

  /** Removes a settled change and stores what Oceane answered, in one fenced transaction. */
  async settleChange(id: string, updates: readonly TicketUpdate[]): Promise<TicketRow[]> {
    return this.fenced(async (tx) => {
      await tx.run(this.b.deleteFrom('change_queue').where('key', '=', id).compile());
      const rows = await this.applyIn(tx, updates, null);
      await announce(tx, LIFE_CHANGED);
      return rows;
    });
  }

  /**
   * Releases the claims of Created rows whose ticket is done in Oceane (a sweep at the lease's
   * start: a holder that died between its poll and its releases). Returns how many.
   */
  async sweepClaims(doneStatuses: readonly string[]): Promise<number> {
    const released = await this.store.run(
      this.b
        .deleteFrom('alarm_claims')
        .where('request_key', 'in', (db) =>
          db
            .selectFrom('tickets')
            .select('key')
            .where('status', '=', 'Created')
            .where('ticket_id', 'in', (db2) =>
              db2
                .selectFrom('followed_tickets')
                .select('ticket_id')
                .where('status', 'in', [...doneStatuses]),
            ),
        )
        .compile(),
    );
    if (released > 0) await this.store.notify(TEAM_CHANNEL, 'claims');
    return released;
  }
}
