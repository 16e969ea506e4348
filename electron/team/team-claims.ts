/**
 * The claims of the team's alarms (issue 14): one `alarm_claims` row per alarm of an open
 * request or Created ticket, whose primary key refuses a second one whichever console asks.
 * Here what claims beyond queueing and settling: who holds an alarm, the Retry of a Failed
 * request (a new claim), and the releases (a ticket closed or resolved in Oceane, rows removed
 * by retention). TeamQueue exposes them as its methods.
 */
import { alarmKeyString, type TicketRow } from '../../shared/domain.js';
import { newRequestState, step } from '../connector/ticket-request-machine.js';
import {
  QUEUE_SPEC,
  TICKETS_SPEC,
  requestFromRow,
  type QueueEntry,
} from '../connector/ticket-rows.js';
import { upsertKeyed } from './postgres-keyed.js';
import type { PostgresStore, PostgresTransaction } from './postgres-store.js';

/** The NOTIFY channel of the team's changes. */
export const TEAM_CHANNEL = 'oceane_team';

/** PostgreSQL's SQLSTATE of a unique violation. */
export const UNIQUE_VIOLATION = '23505';

/** Who holds an alarm's claim: the request (or ticket) already asked for it. */
export interface ClaimHolder {
  alarmKey: string;
  requestKey: string;
  console: string;
  claimedAt: string;
}

/** Why a Failed request was not queued again. */
/** The operator's sentence for an alarm another request or ticket holds. */
export function claimedSentence(holder: ClaimHolder, instead: 'asking again' | 'retrying'): string {
  return `A ticket was already asked for this alarm by ${holder.console} at ${holder.claimedAt} (request ${holder.requestKey}). Open that ticket instead of ${instead}.`;
}

export type RetryRefusal =
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'not-failed'; row: TicketRow }
  | { ok: false; reason: 'claimed'; holder: ClaimHolder };

/** The alarms a request covers: its own and a group's others (issue 11). */
export function claimKeys(row: Pick<TicketRow, 'dmaId' | 'alarmId' | 'otherAlarms'>): string[] {
  return [alarmKeyString(row), ...(row.otherAlarms ?? []).map((a) => alarmKeyString(a))];
}

/** Announces a change at commit, to every listening console (not at all on rollback). */
export async function announce(tx: PostgresTransaction, what: string): Promise<void> {
  await tx.raw('SELECT pg_notify($1, $2)', [TEAM_CHANNEL, what]);
}

/** Claims `alarmKeys` for `requestKey` (a unique violation when one is held). */
export async function insertClaims(
  store: PostgresStore,
  tx: PostgresTransaction,
  alarmKeys: readonly string[],
  requestKey: string,
  consoleName: string,
  claimedAt: string,
): Promise<void> {
  await tx.run(
    store.builder
      .insertInto('alarm_claims')
      .values(
        alarmKeys.map((alarmKey) => ({
          alarm_key: alarmKey,
          request_key: requestKey,
          console: consoleName,
          claimed_at: claimedAt,
        })),
      )
      .compile(),
  );
}

/** True for PostgreSQL's refusal of a second claim. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === UNIQUE_VIOLATION;
}

/** The first claim held on one of `alarmKeys`, or null. */
export async function holderOf(
  store: PostgresStore,
  alarmKeys: readonly string[],
): Promise<ClaimHolder | null> {
  if (alarmKeys.length === 0) return null;
  const found = await store.first<{
    alarm_key: string;
    request_key: string;
    console: string;
    claimed_at: string;
  }>(
    store.builder
      .selectFrom('alarm_claims')
      .selectAll()
      .where('alarm_key', 'in', [...alarmKeys])
      .orderBy('alarm_key')
      .limit(1)
      .compile(),
  );
  if (!found) return null;
  return {
    alarmKey: found.alarm_key,
    requestKey: found.request_key,
    console: found.console,
    claimedAt: found.claimed_at,
  };
}

/** See TeamQueue.retryFailed. */
export async function retryFailed(
  store: PostgresStore,
  instance: string,
  consoleName: string,
): Promise<{ ok: true; entry: QueueEntry } | RetryRefusal> {
  const b = store.builder;
  let keys: string[] = [];
  try {
    return await store.transaction(async (tx) => {
      const found = await tx.first<{ data: string }>(
        b.selectFrom('tickets').select('data').where('key', '=', instance).forUpdate().compile(),
      );
      if (!found) return { ok: false, reason: 'not-found' } as const;
      const row = JSON.parse(found.data) as TicketRow;
      if (row.status !== 'Failed') return { ok: false, reason: 'not-failed', row } as const;
      keys = claimKeys(row);
      const claimedAt = new Date().toISOString();
      await insertClaims(store, tx, keys, instance, consoleName, claimedAt);
      // The failed attempts may have created the ticket: as on a single console, the request
      // is looked up before any create. The retry-pressed step reads none of the settings.
      const failed = { ...newRequestState(true), phase: 'failed' as const, sentBefore: true };
      const context = { now: Date.now(), baseUrl: '', timeoutMs: 0, createRetryCount: 0 };
      const entry: QueueEntry = {
        instance,
        request: requestFromRow(row),
        enqueuedAt: claimedAt,
        state: step(failed, { type: 'retry-pressed' }, { ...context, jitter: 0 }).state,
      };
      const pending: TicketRow = { ...row, status: 'Pending' };
      await tx.run(upsertKeyed(b, 'tickets', instance, pending, TICKETS_SPEC.columns?.(pending)));
      await tx.run(upsertKeyed(b, 'queue', instance, entry, QUEUE_SPEC.columns?.(entry)));
      await announce(tx, 'queued');
      return { ok: true, entry } as const;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const holder = await holderOf(store, keys);
    // Released between the refusal and the read: ask again.
    if (!holder) return retryFailed(store, instance, consoleName);
    return { ok: false, reason: 'claimed', holder };
  }
}

/** See TeamQueue.releaseClaims. */
export async function releaseClaims(store: PostgresStore, ticketId: string): Promise<number> {
  if (ticketId === '') return 0;
  return store.transaction(async (tx) => {
    const released = await tx.run(
      store.builder
        .deleteFrom('alarm_claims')
        .where('request_key', 'in', (db) =>
          db
            .selectFrom('tickets')
            .select('key')
            .where('ticket_id', '=', ticketId)
            .where('status', '=', 'Created'),
        )
        .compile(),
    );
    if (released > 0) await announce(tx, 'claims');
    return released;
  });
}

/** See TeamQueue.pruneTickets. */
export async function pruneTickets(
  store: PostgresStore,
  instances: readonly string[],
): Promise<string[]> {
  const b = store.builder;
  return store.transaction(async (tx) => {
    const removed =
      instances.length === 0
        ? []
        : await tx.all<{ key: string }>(
            b
              .deleteFrom('tickets')
              .where('key', 'in', [...instances])
              .where('key', 'not in', (db) => db.selectFrom('queue').select('key'))
              .returning('key')
              .compile(),
          );
    // Every claim whose request has neither a row nor a queue line any more.
    const released = await tx.run(
      b
        .deleteFrom('alarm_claims')
        .where((eb) =>
          eb.and([
            eb.not(
              eb.exists(
                eb
                  .selectFrom('tickets')
                  .select('tickets.key')
                  .whereRef('tickets.key', '=', 'alarm_claims.request_key'),
              ),
            ),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('queue')
                  .select('queue.key')
                  .whereRef('queue.key', '=', 'alarm_claims.request_key'),
              ),
            ),
          ]),
        )
        .compile(),
    );
    if (removed.length > 0 || released > 0) await announce(tx, 'tickets');
    return removed.map((r) => r.key);
  });
}
