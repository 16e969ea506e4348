/**
 * The team's Pending Ticket Creation Queue on PostgreSQL (issue 14): one queue, one pair of
 * tables and one claim per alarm for every console of the team.
 *
 * - **One ticket per alarm**: a request is queued in one transaction with one `alarm_claims`
 *   row per alarm it covers (a group request: several). The claims' primary key refuses a
 *   second open request or ticket for an alarm, whichever console asks: the loser is shown
 *   the holder (request, console, time). A claim lasts while the request is queued and once its
 *   ticket is Created; it is released when the request fails finally (the operator may ask
 *   again; `retryFailed` claims anew), when its ticket is closed or resolved in Oceane
 *   (`releaseClaims`) and when retention removes its row (`pruneTickets`): see team-claims.ts.
 * - **Leases**: a console takes the oldest free request with `FOR UPDATE SKIP LOCKED` and
 *   writes itself in `lease_owner` until `lease_until` (the database's clock). Exactly one
 *   console works on a request at a time; one that dies loses it when the lease runs out, and
 *   the next console to take it is told it was taken over (`takenOver`): its driver then
 *   feeds the request machine a `restarted` event, so a request that may have been sent is
 *   looked up in Oceane before anything is sent again. A waiting request (retry delay) is
 *   released with `lease_until` as its "not before".
 * - Every change is announced with NOTIFY on TEAM_CHANNEL (payload: the table changed).
 */
import { sql } from 'kysely';
import {
  PROPERTY_TICKET_ID,
  PROPERTY_TICKET_URL,
  type AlarmProperties,
  type FailedRequestRow,
  type QueueStatus,
  type TicketRow,
} from '../../shared/domain.js';
import {
  FAILED_SPEC,
  QUEUE_SPEC,
  TICKETS_SPEC,
  type QueueEntry,
} from '../connector/ticket-rows.js';
import type { PostgresStore, PostgresTransaction } from './postgres-store.js';
import {
  announce,
  blockerOf,
  claimRequest,
  holderOf,
  isUniqueViolation,
  pruneTickets,
  releaseClaims,
  retryFailed,
  type ClaimHolder,
  type RetryRefusal,
  TEAM_CHANNEL,
} from './team-claims.js';

import {
  DB_NOW_MS,
  DB_NOW_US,
  parseRows,
  selectAllKeyed,
  upsertKeyed,
  upsertKeyedQuery,
} from './postgres-keyed.js';

export { TEAM_CHANNEL, claimKeys, type ClaimHolder, type RetryRefusal } from './team-claims.js';

/** A request leased by this console. */
export interface Lease {
  entry: QueueEntry;
  /** An earlier lease ran out without being released: its holder died or stalled. */
  takenOver: boolean;
  /** The console whose lease ran out (takenOver), else null. */
  previousOwner: string | null;
}

/** A lease held by a console (the Debug page's processing lock). */
export interface LeaseView {
  instance: string;
  console: string;
  until: number;
}

/** The team's queue and tables on PostgreSQL. */
export class TeamQueue {
  constructor(
    private readonly store: PostgresStore,
    /** This console's name in the team (claims and leases carry it). */
    readonly consoleName: string,
    /** How long a lease lasts without renewal (ms); longer than one call to Oceane. */
    readonly leaseMs: number,
  ) {}

  private get b() {
    return this.store.builder;
  }

  private announce(tx: PostgresTransaction, what: string): Promise<void> {
    return announce(tx, what);
  }

  /**
   * Queues a request: its Pending row, its queue row and one claim per alarm of `alarmKeys`,
   * in one transaction. Refused (nothing written) when an alarm is already claimed.
   */
  async enqueue(
    row: TicketRow,
    entry: QueueEntry,
    alarmKeys: readonly string[],
  ): Promise<{ ok: true } | { ok: false; holder: ClaimHolder }> {
    const claimedAt = new Date().toISOString();
    try {
      await this.store.transaction(async (tx) => {
        const { instance } = entry;
        await claimRequest(this.store, tx, row, alarmKeys, instance, this.consoleName, claimedAt);
        await tx.run(
          upsertKeyed(this.b, 'tickets', row.instance, row, TICKETS_SPEC.columns?.(row)),
        );
        await tx.run(
          upsertKeyed(this.b, 'queue', entry.instance, entry, QUEUE_SPEC.columns?.(entry)),
        );
        await this.announce(tx, 'queued');
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const holder = await blockerOf(this.store, row, alarmKeys);
      // Released between the refusal and the read (failed meanwhile): ask again.
      if (!holder) return this.enqueue(row, entry, alarmKeys);
      return { ok: false, holder };
    }
    return { ok: true };
  }

  /** The first claim held on one of `alarmKeys`, or null. */
  holderOf(alarmKeys: readonly string[]): Promise<ClaimHolder | null> {
    return holderOf(this.store, alarmKeys);
  }

  /** Leases the oldest request that is free and due, or returns null. */
  async lease(): Promise<Lease | null> {
    const next = this.b
      .with('next', (db) =>
        db
          .selectFrom('queue')
          .select(['key', 'lease_owner as previous'])
          .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', DB_NOW_MS)]))
          .orderBy('seq')
          .limit(1)
          .forUpdate()
          .skipLocked(),
      )
      .updateTable('queue')
      .from('next')
      .set({
        lease_owner: this.consoleName,
        lease_until: sql<number>`${DB_NOW_MS} + ${this.leaseMs}`,
      })
      .whereRef('queue.key', '=', 'next.key')
      .returning(['queue.data', 'next.previous'])
      .compile();
    const row = await this.store.first<{ data: string; previous: string | null }>(next);
    if (!row) return null;
    return {
      entry: JSON.parse(row.data) as QueueEntry,
      takenOver: row.previous !== null,
      previousOwner: row.previous,
    };
  }

  /** Extends this console's lease of `instance`; false when it no longer holds it. */
  async renew(instance: string): Promise<boolean> {
    const changed = await this.store.run(
      this.b
        .updateTable('queue')
        .set({ lease_until: sql<number>`${DB_NOW_MS} + ${this.leaseMs}` })
        .where('key', '=', instance)
        .where('lease_owner', '=', this.consoleName)
        .compile(),
    );
    return changed === 1;
  }

  /**
   * Saves the request's state (before a create leaves) and renews the lease (the send fence
   * counts from it); false when the lease was lost.
   */
  async persist(entry: QueueEntry): Promise<boolean> {
    const changed = await this.store.run(
      this.b
        .updateTable('queue')
        .set({
          data: JSON.stringify(entry),
          lease_until: sql<number>`${DB_NOW_MS} + ${this.leaseMs}`,
        })
        .where('key', '=', entry.instance)
        .where('lease_owner', '=', this.consoleName)
        .compile(),
    );
    return changed === 1;
  }

  /** Releases the lease; the request is not taken again before `waitMs` from now. */
  async release(entry: QueueEntry, waitMs: number): Promise<void> {
    await this.store.transaction(async (tx) => {
      await tx.run(
        this.b
          .updateTable('queue')
          .set({
            data: JSON.stringify(entry),
            lease_owner: null,
            lease_until: sql<number>`${DB_NOW_MS} + ${Math.max(0, Math.round(waitMs))}`,
          })
          .where('key', '=', entry.instance)
          .where('lease_owner', '=', this.consoleName)
          .compile(),
      );
      await this.announce(tx, 'queue');
    });
  }

  /**
   * Records a ticket: the Created row, the alarm properties, the request out of the queue (the
   * claim stays: the alarm has its ticket). Done whoever holds the lease: a console that took
   * the request over looks it up and finds this very ticket. One statement (its own
   * transaction, one round trip): the properties are merged into those the alarm has.
   */
  async settleCreated(entry: QueueEntry, row: TicketRow): Promise<void> {
    const { request } = entry;
    const properties = JSON.stringify({
      [PROPERTY_TICKET_ID]: row.ticketId,
      [PROPERTY_TICKET_URL]: row.ticketUrl,
    } satisfies AlarmProperties);
    // Every alarm of a group (issue 11), the request's own first.
    const alarms = [request, ...(request.otherAlarms ?? [])].map(
      (a) => sql`(${`${a.dmaId}/${a.alarmId}`}, ${DB_NOW_US}, ${properties})`,
    );
    const ticket = upsertKeyedQuery(
      this.b,
      'tickets',
      row.instance,
      row,
      TICKETS_SPEC.columns?.(row),
    );
    const out = this.b.deleteFrom('queue').where('key', '=', entry.instance);
    const query = sql`WITH properties AS (
        INSERT INTO alarm_properties (key, seq, data)
        VALUES ${sql.join(alarms)}
        ON CONFLICT (key) DO UPDATE
        SET data = (alarm_properties.data::jsonb || excluded.data::jsonb)::text
      ), ticket AS (${ticket}), settled AS (${out})
      SELECT pg_notify(${TEAM_CHANNEL}, 'tickets')`.compile(this.b);
    await this.store.raw(query.sql, [...query.parameters]);
  }

  /**
   * Records a final failure: the Failed Ticket Requests row, the Failed row, the request out
   * of the queue, and its claims released (the operator may ask again). Refused, with nothing
   * written (false), when another console holds the request's lease now: this console's lease
   * ran out and the other may be sending its create (the failure seen here is not final for
   * it, and releasing the claims would let the alarm get a second ticket).
   */
  async settleFailed(
    entry: QueueEntry,
    row: TicketRow,
    failed: FailedRequestRow,
  ): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const out = await tx.all<{ key: string }>(
        this.b
          .deleteFrom('queue')
          .where('key', '=', entry.instance)
          .where((eb) =>
            eb.or([eb('lease_owner', '=', this.consoleName), eb('lease_owner', 'is', null)]),
          )
          .returning('key')
          .compile(),
      );
      if (out.length === 0) return false;
      await tx.run(
        upsertKeyed(
          this.b,
          'failed_requests',
          failed.instance,
          failed,
          FAILED_SPEC.columns?.(failed),
        ),
      );
      await tx.run(upsertKeyed(this.b, 'tickets', row.instance, row, TICKETS_SPEC.columns?.(row)));
      await tx.run(
        this.b.deleteFrom('alarm_claims').where('request_key', '=', entry.instance).compile(),
      );
      await this.announce(tx, 'tickets');
      return true;
    });
  }

  /**
   * The Retry of a Failed request: its row Pending again and the request back in the queue
   * (same instance), with a new claim on its alarms held by `consoleName`, in one transaction.
   * The failed attempts may have created the ticket after all, so the request is looked up in
   * Oceane before any create (the machine's `retry-pressed`). Refused, with nothing written,
   * when the row is gone or not Failed (another console retried it first), or when another open
   * request or ticket holds one of its alarms now.
   */
  retryFailed(
    instance: string,
    consoleName: string = this.consoleName,
  ): Promise<{ ok: true; entry: QueueEntry } | RetryRefusal> {
    return retryFailed(this.store, instance, consoleName);
  }

  /**
   * Releases the claims of the Created ticket `ticketId` (closed or resolved in Oceane): its
   * alarms may have a new ticket. An open request's claims are never released here. Returns
   * how many claims were released.
   */
  releaseClaims(ticketId: string): Promise<number> {
    return releaseClaims(this.store, ticketId);
  }

  /**
   * Removes Tickets rows (retention) with their claims, in one transaction; a row whose request
   * is still queued is kept. Claims whose request has neither a row nor a queue line any more
   * (removed by other means) are released too. Returns the instances removed.
   */
  pruneTickets(instances: readonly string[]): Promise<string[]> {
    return pruneTickets(this.store, instances);
  }

  /** The Tickets row `instance`, or undefined. */
  async ticket(instance: string): Promise<TicketRow | undefined> {
    const found = await this.store.first<{ data: string }>(
      this.b.selectFrom('tickets').select('data').where('key', '=', instance).compile(),
    );
    return found ? (JSON.parse(found.data) as TicketRow) : undefined;
  }

  /** The Tickets table, in creation order. */
  async tickets(): Promise<TicketRow[]> {
    return parseRows<TicketRow>(await this.store.all(selectAllKeyed(this.b, 'tickets')));
  }

  /** The Failed Ticket Requests table, in order. */
  async failedRequests(): Promise<FailedRequestRow[]> {
    return parseRows<FailedRequestRow>(
      await this.store.all(selectAllKeyed(this.b, 'failed_requests')),
    );
  }

  /** Every alarm's properties, keyed `dmaId/alarmId`. */
  async alarmProperties(): Promise<Map<string, AlarmProperties>> {
    const rows = await this.store.all<{ key: string; data: string }>(
      selectAllKeyed(this.b, 'alarm_properties'),
    );
    return new Map(rows.map((r) => [r.key, JSON.parse(r.data) as AlarmProperties]));
  }

  /** The queued requests, in order. */
  async pending(): Promise<QueueEntry[]> {
    return parseRows<QueueEntry>(await this.store.all(selectAllKeyed(this.b, 'queue')));
  }

  /** The leases in force (the processing lock of each request being worked on). */
  async leases(): Promise<LeaseView[]> {
    const rows = await this.store.all<{ key: string; lease_owner: string; lease_until: string }>(
      this.b
        .selectFrom('queue')
        .select(['key', 'lease_owner', 'lease_until'])
        .where('lease_owner', 'is not', null)
        .where('lease_until', '>', DB_NOW_MS)
        .orderBy('seq')
        .compile(),
    );
    return rows.map((r) => ({
      instance: r.key,
      console: r.lease_owner,
      until: Number(r.lease_until),
    }));
  }

  /** The Debug page's view: the processing lock (with its console) and the queue. */
  async status(): Promise<QueueStatus> {
    const [entries, leases] = await Promise.all([this.pending(), this.leases()]);
    const first = leases[0];
    return {
      locked: first !== undefined,
      lockedBy: first ? `${first.console} (request ${first.instance})` : null,
      pending: entries.map((entry) => ({
        instance: entry.instance,
        dmaId: entry.request.dmaId,
        alarmId: entry.request.alarmId,
        elementName: entry.request.elementName,
        enqueuedAt: entry.enqueuedAt,
        attempts: entry.state.createAttempts + entry.state.lookupFailures,
        nextAttemptAt:
          entry.state.nextAt === null ? null : new Date(entry.state.nextAt).toISOString(),
        lastError: entry.state.lastError === null ? null : entry.state.lastError.message,
      })),
    };
  }
}
