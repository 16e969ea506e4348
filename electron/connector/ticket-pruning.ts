/**
 * Retention in the SQL store (Ticket Storage Duration and Count Limits, a pending request never
 * pruned): which Tickets and Failed Ticket Requests rows go, by index. The queries are compiled
 * once: a store at its count limit prunes a row after every ticket, and building four kysely
 * queries each time cost more than running them.
 *
 * As in team mode (team/team-retention.ts), the row of a ticket with a note or status change
 * still on its way stays (it goes at a later pass, once the change settles), and a ticket
 * whose last Tickets row goes takes its life with it, in the same transaction: its
 * followed_tickets row, its history and its finished (failed) changes (`LifeDeletes`). The
 * lives of rows pruned by earlier versions are swept once per data folder, at the first prune.
 */
import { sql, type CompiledQuery, type ExpressionBuilder, type RawBuilder } from 'kysely';
import type { SqliteDatabase } from '../storage/sqlite-database.js';
import { withParameters } from '../storage/sql-table.js';
import type { StoreSchema } from '../storage/store-schema.js';

/** The keys beyond the limits in each table. */
export interface PruneKeys {
  ticketKeys: string[];
  failedKeys: string[];
  /** The ticket ids the removed Tickets rows name (each once; none for rows without one). */
  ticketIds: string[];
}

/** A change_queue row still on its way (not failed finally): SQLite's JSON reads `true` as 1. */
const ONGOING = "json_extract(change_queue.data, '$.state.failed') IS NOT 1";

/**
 * A Tickets row retention may remove, in either dialect (`ongoing`: the dialect's test of a
 * change_queue row still on its way): not queued (a correlated look-up by the queue's key, one
 * statement whatever the queue), and no note or status change of its ticket on its way (its row
 * and life stay until that change settles).
 */
export function prunableTicket(ongoing: RawBuilder<unknown>) {
  return (eb: ExpressionBuilder<StoreSchema, 'tickets'>) =>
    eb.and([
      eb.not(
        eb.exists(
          eb.selectFrom('queue').select('queue.key').whereRef('queue.key', '=', 'tickets.key'),
        ),
      ),
      eb.not(
        eb.exists(
          eb
            .selectFrom('change_queue')
            .select('change_queue.key')
            .whereRef('change_queue.ticket_id', '=', 'tickets.ticket_id')
            .where(sql<boolean>`${ongoing}`),
        ),
      ),
    ]);
}

/** The follow_state row that says the orphaned lives of earlier versions were swept. */
const ORPHANS_SWEPT = 'retention-orphans-swept';

interface KeyRow {
  key: string;
  ticket_id?: string;
}

/** The compiled retention queries of one database. */
export class PruneQueries {
  private readonly oldTickets: CompiledQuery;
  private readonly oldestTickets: CompiledQuery;
  private readonly oldFailed: CompiledQuery;
  private readonly oldestFailed: CompiledQuery;

  constructor(private readonly database: SqliteDatabase) {
    const b = database.builder;
    const notQueued = prunableTicket(sql.raw(ONGOING));
    this.oldTickets = b
      .selectFrom('tickets')
      .select(['key', 'ticket_id'])
      .where('created_at', '<', '')
      .where('status', '!=', 'Pending')
      .where(notQueued)
      // By the time index (a range: what is removed), not the seq index (every row).
      .orderBy('created_at')
      .compile();
    this.oldestTickets = b
      .selectFrom('tickets')
      .select(['key', 'ticket_id'])
      .where('status', '!=', 'Pending')
      .where(notQueued)
      .orderBy('seq')
      .limit(1)
      .compile();
    this.oldFailed = b
      .selectFrom('failed_requests')
      .select('key')
      .where('failed_at', '<', '')
      .orderBy('failed_at')
      .compile();
    this.oldestFailed = b
      .selectFrom('failed_requests')
      .select('key')
      .orderBy('seq')
      .limit(1)
      .compile();
  }

  /**
   * The rows to remove: first those older than `cutoff` (ISO time), then the oldest beyond
   * `countLimit` of those left, given the tables' sizes.
   */
  keys(cutoff: string, countLimit: number, sizes: { tickets: number; failed: number }): PruneKeys {
    const ids = new Set<string>();
    const ticketKeys = this.withBeyondCount(
      this.keysOf(withParameters(this.oldTickets, [cutoff, 'Pending']), ids),
      sizes.tickets,
      countLimit,
      (limit) => withParameters(this.oldestTickets, ['Pending', limit]),
      ids,
    );
    const failedKeys = this.withBeyondCount(
      this.keysOf(withParameters(this.oldFailed, [cutoff])),
      sizes.failed,
      countLimit,
      (limit) => withParameters(this.oldestFailed, [limit]),
    );
    return { ticketKeys, failedKeys, ticketIds: [...ids] };
  }

  /** The keys a query selects; the ticket ids they name added to `ids` (when given). */
  private keysOf(query: CompiledQuery, ids?: Set<string>): string[] {
    return this.database.all<KeyRow>(query).map((r) => {
      if (ids && r.ticket_id) ids.add(r.ticket_id);
      return r.key;
    });
  }

  /**
   * `old` and the oldest rows beyond the count limit once `old` is gone (the old rows may be
   * among the oldest, so as many more are read). Walks the `seq` index from its oldest end:
   * the cost is what is removed, not the size of the table. Arrays are joined, not spread
   * into a call: a limit lowered under a long history removes more rows than a call takes.
   */
  private withBeyondCount(
    old: string[],
    size: number,
    countLimit: number,
    oldest: (limit: number) => CompiledQuery,
    ids?: Set<string>,
  ): string[] {
    const excess = size - old.length - countLimit;
    if (excess <= 0) return old;
    const skip = new Set(old);
    const rows = this.database
      .all<KeyRow>(oldest(excess + old.length))
      .filter((r) => !skip.has(r.key))
      .slice(0, excess);
    for (const r of rows) if (ids && r.ticket_id) ids.add(r.ticket_id);
    return old.concat(rows.map((r) => r.key));
  }
}

/**
 * The deletes of a pruned ticket's life, compiled once (one ticket goes after every request
 * at the count limit). Each is by index: the Tickets rows and the changes by `ticket_id`, the
 * followed ticket by its key, the history by `history_by_ticket`.
 */
export class LifeDeletes {
  private readonly namedByRow: CompiledQuery;
  private readonly changeOnItsWay: CompiledQuery;
  private readonly followed: CompiledQuery;
  private readonly history: CompiledQuery;
  private readonly finishedChanges: CompiledQuery;
  private readonly orphans: CompiledQuery;
  private readonly sweptMark: CompiledQuery;
  private readonly markSwept: CompiledQuery;

  constructor(private readonly database: SqliteDatabase) {
    const b = database.builder;
    // `!= ''`: the term of the ticket id index, which leaves out the rows without one.
    this.namedByRow = b
      .selectFrom('tickets')
      .select('key')
      .where('ticket_id', '=', '')
      .where('ticket_id', '!=', sql.lit(''))
      .limit(1)
      .compile();
    this.changeOnItsWay = b
      .selectFrom('change_queue')
      .select('key')
      .where('ticket_id', '=', '')
      .where(sql<boolean>`${sql.raw(ONGOING)}`)
      .limit(1)
      .compile();
    this.followed = b.deleteFrom('followed_tickets').where('ticket_id', '=', '').compile();
    this.history = b.deleteFrom('ticket_history').where('ticket_id', '=', '').compile();
    this.finishedChanges = b
      .deleteFrom('change_queue')
      .where('ticket_id', '=', '')
      .where(sql<boolean>`NOT (${sql.raw(ONGOING)})`)
      .compile();
    this.orphans = b
      .selectFrom('followed_tickets')
      .select('ticket_id')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('tickets')
              .select('tickets.key')
              .whereRef('tickets.ticket_id', '=', 'followed_tickets.ticket_id')
              .where('tickets.ticket_id', '!=', sql.lit('')),
          ),
        ),
      )
      .compile();
    this.sweptMark = b
      .selectFrom('follow_state')
      .select('name')
      .where('name', '=', ORPHANS_SWEPT)
      .compile();
    this.markSwept = b
      .insertInto('follow_state')
      .values({ name: ORPHANS_SWEPT, data: '{}' })
      .onConflict((oc) => oc.column('name').doNothing())
      .compile();
  }

  /**
   * Once per data folder (inside a prune's transaction): the life of the tickets whose rows
   * an earlier version pruned without it. One pass over the followed tickets, each checked by
   * the `ticket_id` index; a mark in follow_state, once none is left, keeps later starts
   * from doing it again.
   */
  sweepOnce(): number {
    if (this.database.first(this.sweptMark)) return 0;
    const ids = this.database.all<{ ticket_id: string }>(this.orphans).map((r) => r.ticket_id);
    const dropped = this.drop(ids);
    // A ticket with a change on its way keeps its life: the next start looks again.
    if (dropped === ids.length) this.database.run(this.markSwept);
    return dropped;
  }

  /**
   * Inside the transaction that removed the Tickets rows: deletes the life of each ticket of
   * `ticketIds` that no Tickets row names any more and that has no change on its way. Returns
   * how many tickets lost their life.
   */
  drop(ticketIds: readonly string[]): number {
    let dropped = 0;
    for (const id of ticketIds) {
      const one = (query: CompiledQuery) => withParameters(query, [id]);
      // A group ticket, or one found again by a look-up, is named by more than one row.
      if (this.database.first(one(this.namedByRow))) continue;
      if (this.database.first(one(this.changeOnItsWay))) continue;
      dropped += Math.min(1, this.database.run(one(this.followed)));
      this.database.run(one(this.history));
      this.database.run(one(this.finishedChanges));
    }
    return dropped;
  }
}
