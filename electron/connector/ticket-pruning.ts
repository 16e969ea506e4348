/**
 * Retention in the SQL store (Ticket Storage Duration and Count Limits, a pending request never
 * pruned): which Tickets and Failed Ticket Requests rows go, by index. The queries are compiled
 * once: a store at its count limit prunes a row after every ticket, and building four kysely
 * queries each time cost more than running them.
 */
import type { CompiledQuery, ExpressionBuilder } from 'kysely';
import type { SqliteDatabase } from '../storage/sqlite-database.js';
import { withParameters } from '../storage/sql-table.js';
import type { StoreSchema } from '../storage/store-schema.js';

/** The keys beyond the limits in each table. */
export interface PruneKeys {
  ticketKeys: string[];
  failedKeys: string[];
}

/** The compiled retention queries of one database. */
export class PruneQueries {
  private readonly oldTickets: CompiledQuery;
  private readonly oldestTickets: CompiledQuery;
  private readonly oldFailed: CompiledQuery;
  private readonly oldestFailed: CompiledQuery;

  constructor(private readonly database: SqliteDatabase) {
    const b = database.builder;
    // Not queued: a correlated look-up by the queue's key (one statement whatever the queue).
    const notQueued = (eb: ExpressionBuilder<StoreSchema, 'tickets'>) =>
      eb.not(
        eb.exists(
          eb.selectFrom('queue').select('queue.key').whereRef('queue.key', '=', 'tickets.key'),
        ),
      );
    this.oldTickets = b
      .selectFrom('tickets')
      .select('key')
      .where('created_at', '<', '')
      .where('status', '!=', 'Pending')
      .where(notQueued)
      // By the time index (a range: what is removed), not the seq index (every row).
      .orderBy('created_at')
      .compile();
    this.oldestTickets = b
      .selectFrom('tickets')
      .select('key')
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
    const ticketKeys = this.withBeyondCount(
      this.keysOf(withParameters(this.oldTickets, [cutoff, 'Pending'])),
      sizes.tickets,
      countLimit,
      (limit) => withParameters(this.oldestTickets, ['Pending', limit]),
    );
    const failedKeys = this.withBeyondCount(
      this.keysOf(withParameters(this.oldFailed, [cutoff])),
      sizes.failed,
      countLimit,
      (limit) => withParameters(this.oldestFailed, [limit]),
    );
    return { ticketKeys, failedKeys };
  }

  private keysOf(query: CompiledQuery): string[] {
    return this.database.all<{ key: string }>(query).map((r) => r.key);
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
  ): string[] {
    const excess = size - old.length - countLimit;
    if (excess <= 0) return old;
    const skip = new Set(old);
    const beyond = this.keysOf(oldest(excess + old.length))
      .filter((key) => !skip.has(key))
      .slice(0, excess);
    return old.concat(beyond);
  }
}
