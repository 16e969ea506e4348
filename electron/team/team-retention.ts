/**
 * Retention of the team's tables (issue 14), as on a single console (connector/retention.ts,
 * ticket-pruning.ts; design.md "Retention"): the Tickets and Failed Ticket Requests rows older
 * than the Ticket Storage Duration go, then the oldest beyond the Ticket Storage Count Limit;
 * an open request (a Pending row, or a row whose request is queued) never, nor the row of a
 * ticket with a note or status change still on its way (change_queue, not failed). In
 * PostgreSQL, by index, in one transaction: the rows are never read into the console. A
 * pruned ticket releases its alarms' claims in the same statement (the alarm may get a new
 * ticket), and, once no Tickets row names its ticket any more, the ticket's life goes with it
 * in that statement too: followed_tickets, ticket_history and its finished (failed)
 * change_queue rows. The change is NOTIFYed, so every console's tables drop the rows.
 *
 * Consoles prune at start, hourly and after each request they settle. Two at once cannot
 * collide: a transaction-level advisory lock lets one prune, the other skips (the deletes are
 * idempotent anyway).
 */
import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { ageCutoff, type RetentionLimits } from '../connector/retention.js';
import { prunableTicket } from '../connector/ticket-pruning.js';
import type { Logger } from '../connector/ports.js';
import type { StoreSchema } from '../storage/store-schema.js';
import type { PostgresStore, PostgresTransaction } from './postgres-store.js';
import { announce, releaseOrphanClaims } from './team-claims.js';
import { LIFE_CHANGED } from './team-life-store.js';
import { errorText } from './team-mirror.js';

/** The advisory lock key of retention (any constant shared by every console). */
export const RETENTION_LOCK = 0x6f63_7274; // "ocrt"
/** How often a console prunes besides after its settles (as the single console: hourly). */
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/** What one pass removed (null: another console was pruning). */
export interface Pruned {
  tickets: number;
  failed: number;
  claims: number;
  /** Tickets whose life (followed_tickets, history, finished changes) went with their rows. */
  followed: number;
}

/** A change_queue row still on its way (not failed finally). */
const ONGOING = sql`(change_queue.data::jsonb #>> '{state,failed}') IS DISTINCT FROM 'true'`;

const notQueued = prunableTicket(ONGOING);

/**
 * Prunes the team's tables by `limits` now; `sweep` also releases claims left without a row
 * (rows removed by other means). Null when another console holds the retention lock.
 */
export async function pruneTeamTables(
  store: PostgresStore,
  limits: RetentionLimits,
  nowMs: number,
  sweep = false,
): Promise<Pruned | null> {
  const cutoff = new Date(ageCutoff(nowMs, limits.durationDays)).toISOString();
  return store.transaction(async (tx) => {
    const [lock] = await tx.raw<{ locked: boolean }>(
      'SELECT pg_try_advisory_xact_lock($1) AS locked',
      [RETENTION_LOCK],
    );
    if (!lock?.locked) return null;
    const old = await pruneTickets(store, tx, (b) =>
      b
        .selectFrom('tickets')
        .select('key')
        .where('created_at', '<', cutoff)
        .where('status', '!=', 'Pending')
        .where(notQueued),
    );
    const ticketExcess = await excess(store, tx, 'tickets', limits.countLimit);
    const beyond =
      ticketExcess <= 0
        ? { tickets: 0, claims: 0, followed: 0 }
        : await pruneTickets(store, tx, (b) =>
            b
              .selectFrom('tickets')
              .select('key')
              .where('status', '!=', 'Pending')
              .where(notQueued)
              .orderBy('seq')
              .limit(ticketExcess),
          );
    const b = store.builder;
    let failed = await tx.run(
      b.deleteFrom('failed_requests').where('failed_at', '<', cutoff).compile(),
    );
    const failedExcess = await excess(store, tx, 'failed_requests', limits.countLimit);
    if (failedExcess > 0) {
      failed += await tx.run(
        b
          .deleteFrom('failed_requests')
          .where('key', 'in', (db) =>
            db.selectFrom('failed_requests').select('key').orderBy('seq').limit(failedExcess),
          )
          .compile(),
      );
    }
    const swept = sweep ? await releaseOrphanClaims(store, tx) : 0;
    const orphans = sweep ? await dropOrphanLives(store, tx) : 0;
    const pruned = {
      tickets: old.tickets + beyond.tickets,
      failed,
      claims: old.claims + beyond.claims + swept,
      followed: old.followed + beyond.followed + orphans,
    };
    if (pruned.tickets + pruned.failed + pruned.claims + pruned.followed > 0) {
      await announce(tx, 'tickets');
    }
    if (pruned.followed > 0) await announce(tx, LIFE_CHANGED);
    return pruned;
  });
}

/** How many rows `table` holds beyond `countLimit` (0 or more). */
async function excess(
  store: PostgresStore,
  tx: PostgresTransaction,
  table: 'tickets' | 'failed_requests',
  countLimit: number,
): Promise<number> {
  const count = await tx.first<{ n: string | number }>(
    store.builder
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .compile(),
  );
  return Math.max(0, Number(count?.n ?? 0) - countLimit);
}

type TicketKeys = SelectQueryBuilder<StoreSchema, 'tickets', { key: string }>;

/**
 * Deletes the Tickets rows `keys` selects and, in the same statement, their claims and the
 * life of each ticket no other Tickets row names (every CTE reads the rows as they were
 * before the statement: `others` sees the rows `gone` removes, hence the key test).
 */
async function pruneTickets(
  store: PostgresStore,
  tx: PostgresTransaction,
  keys: (b: PostgresStore['builder']) => TicketKeys,
): Promise<{ tickets: number; claims: number; followed: number }> {
  const query = sql`WITH gone AS (
      DELETE FROM tickets WHERE key IN (${keys(store.builder)}) RETURNING key, ticket_id
    ), released AS (
      DELETE FROM alarm_claims WHERE request_key IN (SELECT key FROM gone) RETURNING alarm_key
    ), ended AS (
      SELECT DISTINCT g.ticket_id FROM gone g
      WHERE g.ticket_id IS NOT NULL AND g.ticket_id <> ''
        AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.ticket_id = g.ticket_id
          AND t.key NOT IN (SELECT key FROM gone))
    ), ${lifeDeletes(sql`SELECT ticket_id FROM ended`)}
    SELECT (SELECT count(*) FROM gone) AS tickets, (SELECT count(*) FROM released) AS claims,
      (SELECT count(*) FROM followed) AS followed`.compile(store.builder);
  const [row] = await tx.raw<{
    tickets: string | number;
    claims: string | number;
    followed: string | number;
  }>(query.sql, [...query.parameters]);
  return {
    tickets: Number(row?.tickets ?? 0),
    claims: Number(row?.claims ?? 0),
    followed: Number(row?.followed ?? 0),
  };
}

/**
 * The CTEs that delete the life of the tickets `ids` selects: followed_tickets (as
 * `followed`), ticket_history and the finished changes; a change still on its way stays.
 */
function lifeDeletes(ids: RawBuilder<unknown>) {
  return sql`followed AS (
      DELETE FROM followed_tickets WHERE ticket_id IN (${ids}) RETURNING ticket_id
    ), history AS (
      DELETE FROM ticket_history WHERE ticket_id IN (${ids}) RETURNING key
    ), changes AS (
      DELETE FROM change_queue WHERE ticket_id IN (${ids}) AND NOT ${ONGOING} RETURNING key
    )`;
}

/**
 * The sweep: the life of followed tickets no Tickets row names any more (rows removed before
 * their life went with them) and with no change on its way. Returns how many tickets.
 */
async function dropOrphanLives(store: PostgresStore, tx: PostgresTransaction): Promise<number> {
  const query = sql`WITH ended AS (
      SELECT f.ticket_id FROM followed_tickets f
      WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.ticket_id = f.ticket_id)
        AND NOT EXISTS (SELECT 1 FROM change_queue WHERE change_queue.ticket_id = f.ticket_id
          AND ${ONGOING})
    ), ${lifeDeletes(sql`SELECT ticket_id FROM ended`)}
    SELECT (SELECT count(*) FROM followed) AS followed`.compile(store.builder);
  const [row] = await tx.raw<{ followed: string | number }>(query.sql, [...query.parameters]);
  return Number(row?.followed ?? 0);
}

/**
 * A console's retention: a pass at start, hourly, and after each request it settles (one at
 * a time: a settle during a pass asks for one more after it). A failed pass is logged; the
 * next one makes it good.
 */
export class TeamRetention {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;
  private again: 'quick' | 'sweep' | null = null;
  private stopped = false;

  constructor(
    private readonly store: PostgresStore,
    private readonly limits: () => RetentionLimits,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The first pass (with the claims sweep) now, then one hourly. */
  start(intervalMs = RETENTION_INTERVAL_MS): void {
    this.soon(true);
    this.timer = setInterval(() => this.soon(true), intervalMs);
    this.timer.unref?.();
  }

  /** Asks for a pass (after the one running, if any). */
  soon(sweep = false): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = sweep || this.again === 'sweep' ? 'sweep' : 'quick';
      return;
    }
    this.running = this.pass(sweep).finally(() => {
      this.running = null;
      const next = this.again;
      this.again = null;
      if (next !== null) this.soon(next === 'sweep');
    });
  }

  /** Resolves once no pass is running (tests, close). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops the passes and waits for the one running. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.again = null;
    await this.idle();
  }

  private async pass(sweep: boolean): Promise<void> {
    try {
      const pruned = await pruneTeamTables(this.store, this.limits(), this.now(), sweep);
      if (pruned && pruned.tickets + pruned.failed > 0) {
        this.logger.info('Team mode: pruned old rows', { ...pruned });
      }
    } catch (error) {
      this.logger.warn('Team mode: pruning failed', { error: errorText(error) });
    }
  }
}
