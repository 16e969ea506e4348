/**
 * The claims of the team's alarms (issue 14): one `alarm_claims` row per alarm of an open
 * request or Created ticket, whose primary key refuses a second one whichever console asks.
 * Here what claims beyond queueing and settling: who holds an alarm, the Retry of a Failed
 * request (a new claim), and the releases (a ticket closed or resolved in Oceane, rows removed
 * by retention). TeamQueue exposes them as its methods.
 */
import { alarmKeyString, type TicketRow } from '../../shared/domain.js';
import { createTicketRequestSchema } from '../../shared/schemas.js';
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

/**
 * The operator's sentence for an alarm another request or ticket holds (`group`: the request
 * covers several alarms, so the sentence names the one held).
 */
export function claimedSentence(
  holder: ClaimHolder,
  instead: 'asking again' | 'retrying',
  group = false,
): string {
  const which = group ? `alarm ${holder.alarmKey} of the selection` : 'this alarm';
  return `A ticket was already asked for ${which} by ${holder.console} at ${holder.claimedAt} (request ${holder.requestKey}). Open that ticket instead of ${instead}.`;
}

/** Why a Failed request was not queued again. */

export type RetryRefusal =
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'not-failed'; row: TicketRow }
  | { ok: false; reason: 'claimed'; holder: ClaimHolder; group: boolean };

/** The alarms a request covers: its own and a group's others (issue 11). */
export function claimKeys(row: Pick<TicketRow, 'dmaId' | 'alarmId' | 'otherAlarms'>): string[] {
  return [alarmKeyString(row), ...(row.otherAlarms ?? []).map((a) => alarmKeyString(a))];
}

/**
 * The alarms of a group (issue 11) the operator chose to include although they have a ticket:
 * their claim, held by that Created ticket, passes to the new request (never one held by an
 * open request).
 */
export function takeableKeys(row: Pick<TicketRow, 'otherAlarms'>): Set<string> {
  return new Set(
    (row.otherAlarms ?? []).filter((a) => a.includeTicketed).map((a) => alarmKeyString(a)),
  );
}

/**
 * Claims every alarm of `alarmKeys` for `requestKey` in `tx`: a fresh claim each, except the
 * alarms of `row` included with their ticket, whose claim is taken from the Created ticket
 * that holds it. A unique violation (the whole transaction refused) when an alarm is held by
 * an open request, or by a ticket it may not take.
 */
export async function claimRequest(
  store: PostgresStore,
  tx: PostgresTransaction,
  row: Pick<TicketRow, 'otherAlarms'>,
  alarmKeys: readonly string[],
  requestKey: string,
  consoleName: string,
  claimedAt: string,
): Promise<void> {
  const takeable = takeableKeys(row);
  const fresh = alarmKeys.filter((k) => !takeable.has(k));
  const taken = alarmKeys.filter((k) => takeable.has(k));
  if (fresh.length > 0) {
    await insertClaims(store, tx, fresh, requestKey, consoleName, claimedAt);
  }
  if (taken.length === 0) return;
  const b = store.builder;
  const claimed = await tx.all<{ alarm_key: string }>(
    b
      .insertInto('alarm_claims')
      .values(
        taken.map((alarmKey) => ({
          alarm_key: alarmKey,
          request_key: requestKey,
          console: consoleName,
          claimed_at: claimedAt,
        })),
      )
      .onConflict((oc) =>
        oc
          .column('alarm_key')
          .doUpdateSet((eb) => ({
            request_key: eb.ref('excluded.request_key'),
            console: eb.ref('excluded.console'),
            claimed_at: eb.ref('excluded.claimed_at'),
          }))
          .where('alarm_claims.request_key', 'in', createdNotQueued(store)),
      )
      .returning('alarm_key')
      .compile(),
  );
  if (claimed.length < taken.length) {
    throw Object.assign(new Error('An alarm of the group is held by an open request'), {
      code: UNIQUE_VIOLATION,
    });
  }
}

/** The requests whose claim a group may take: Created tickets no longer queued. */
function createdNotQueued(store: PostgresStore) {
  return store.builder
    .selectFrom('tickets')
    .select('tickets.key')
    .where('tickets.status', '=', 'Created')
    .where('tickets.key', 'not in', (db) => db.selectFrom('queue').select('queue.key'));
}

/**
 * The claim that refused `alarmKeys` for `row` (see claimRequest): the first held on a fresh
 * alarm, else the first on an included alarm held by what may not be taken. Null: none now.
 */
export async function blockerOf(
  store: PostgresStore,
  row: Pick<TicketRow, 'otherAlarms'>,
  alarmKeys: readonly string[],
): Promise<ClaimHolder | null> {
  const takeable = takeableKeys(row);
  const fresh = alarmKeys.filter((k) => !takeable.has(k));
  const held = await holderOf(store, fresh);
  if (held || takeable.size === 0) return held;
  const found = await store.first<ClaimRow>(
    store.builder
      .selectFrom('alarm_claims')
      .selectAll()
      .where('alarm_key', 'in', [...takeable])
      .where('request_key', 'not in', createdNotQueued(store))
      .orderBy('alarm_key')
      .limit(1)
      .compile(),
  );
  return found ? holderFromRow(found) : null;
}

interface ClaimRow {
  alarm_key: string;
  request_key: string;
  console: string;
  claimed_at: string;
}

function holderFromRow(found: ClaimRow): ClaimHolder {
  return {
    alarmKey: found.alarm_key,
    requestKey: found.request_key,
    console: found.console,
    claimedAt: found.claimed_at,
  };
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
  const found = await store.first<ClaimRow>(
    store.builder
      .selectFrom('alarm_claims')
      .selectAll()
      .where('alarm_key', 'in', [...alarmKeys])
      .orderBy('alarm_key')
      .limit(1)
      .compile(),
  );
  return found ? holderFromRow(found) : null;
}

/** See TeamQueue.retryFailed. */
export async function retryFailed(
  store: PostgresStore,
  instance: string,
  consoleName: string,
): Promise<{ ok: true; entry: QueueEntry } | RetryRefusal> {
  const b = store.builder;
  let keys: string[] = [];
  let claimed: Pick<TicketRow, 'otherAlarms'> = {};
  try {
    return await store.transaction(async (tx) => {
      const found = await tx.first<{ data: string }>(
        b.selectFrom('tickets').select('data').where('key', '=', instance).forUpdate().compile(),
      );
      if (!found) return { ok: false, reason: 'not-found' } as const;
      const row = JSON.parse(found.data) as TicketRow;
      if (row.status !== 'Failed') return { ok: false, reason: 'not-failed', row } as const;
      const request = createTicketRequestSchema.safeParse(requestFromRow(row));
      if (!request.success) return { ok: false, reason: 'invalid' } as const;
      keys = claimKeys(row);
      claimed = row;
      const claimedAt = new Date().toISOString();
      await claimRequest(store, tx, row, keys, instance, consoleName, claimedAt);
      // The failed attempts may have created the ticket: as on a single console, the request
      // is looked up before any create. The retry-pressed step reads none of the settings.
      const failed = { ...newRequestState(true), phase: 'failed' as const, sentBefore: true };
      const context = { now: Date.now(), baseUrl: '', timeoutMs: 0, createRetryCount: 0 };
      const entry: QueueEntry = {
        instance,
        request: request.data,
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
    const holder = await blockerOf(store, claimed, keys);
    // Released between the refusal and the read: ask again.
    if (!holder) return retryFailed(store, instance, consoleName);
    return { ok: false, reason: 'claimed', holder, group: keys.length > 1 };
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
    const released = await releaseOrphanClaims(store, tx);
    if (removed.length > 0 || released > 0) await announce(tx, 'tickets');
    return removed.map((r) => r.key);
  });
}

/** Releases every claim whose request has neither a Tickets row nor a queue line any more. */
export function releaseOrphanClaims(
  store: PostgresStore,
  tx: PostgresTransaction,
): Promise<number> {
  const b = store.builder;
  return tx.run(
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
}
