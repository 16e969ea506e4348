/**
 * Team mode's look-ups and Retry (issue 14), on the team queue's tables: which ticket or open
 * request holds an alarm (its claim and the row of the request that holds it, else the
 * alarm's property), and a Failed request queued again with its claim, as the single
 * console's Retry does (looked up first: the failed attempts may have created it after all).
 */
import {
  PROPERTY_TICKET_ID,
  PROPERTY_TICKET_STATUS,
  PROPERTY_TICKET_URL,
  alarmKeyString,
  type AlarmProperties,
  type CreateTicketOutcome,
  type ExistingTicket,
  type SettingsView,
  type TicketRow,
} from '../../shared/domain.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { createTicketRequestSchema } from '../../shared/schemas.js';
import { DONE_OCEANE_STATUSES } from '../../shared/ticket-life.js';
import type { AlarmPropertyPort } from '../connector/ports.js';
import { newRequestState, step, type StepContext } from '../connector/ticket-request-machine.js';
import { requestFromRow, type QueueEntry } from '../connector/ticket-rows.js';
import { safeHttpUrl } from '../connector/ticket-url.js';
import { selectKeyed } from './postgres-keyed.js';
import { claimedSentence } from './team-claims.js';
import type { TeamConsole } from './team-console.js';

type AlarmKey = { dmaId: string; alarmId: string };

/** The ticket an alarm's properties name (not resolved or closed in Oceane), or null. */
export function fromProperty(props: AlarmProperties): ExistingTicket | null {
  const ticketId = props[PROPERTY_TICKET_ID];
  if (!ticketId || DONE_OCEANE_STATUSES.has(props[PROPERTY_TICKET_STATUS] ?? '')) return null;
  const url = props[PROPERTY_TICKET_URL];
  return {
    source: 'property',
    status: 'Created',
    ticketId,
    ticketUrl: url ? safeHttpUrl(url) : null,
    instance: null,
  };
}

/** Each alarm's ticket or open request in the team, in order (null: none). */
export async function teamExisting(
  team: TeamConsole,
  alarms: AlarmPropertyPort,
  keys: readonly AlarmKey[],
): Promise<(ExistingTicket | null)[]> {
  if (keys.length === 0) return [];
  const b = team.store.builder;
  const claims = await team.store.all<{ alarm_key: string; request_key: string }>(
    b
      .selectFrom('alarm_claims')
      .select(['alarm_key', 'request_key'])
      .where('alarm_key', 'in', keys.map(alarmKeyString))
      .compile(),
  );
  const requestKeys = [...new Set(claims.map((c) => c.request_key))];
  const rows =
    requestKeys.length === 0
      ? []
      : await team.store.all<{ key: string; data: string }>(
          b.selectFrom('tickets').select(['key', 'data']).where('key', 'in', requestKeys).compile(),
        );
  const rowOf = new Map(rows.map((r) => [r.key, JSON.parse(r.data) as TicketRow]));
  const claimOf = new Map(claims.map((c) => [c.alarm_key, c.request_key]));
  return keys.map((key) => {
    const instance = claimOf.get(alarmKeyString(key));
    const row = instance === undefined ? undefined : rowOf.get(instance);
    if (row?.status === 'Created') {
      return {
        source: 'table',
        status: 'Created',
        ticketId: row.ticketId,
        ticketUrl: row.ticketUrl || null,
        instance: row.instance,
      };
    }
    if (instance !== undefined) {
      return { source: 'queue', status: 'Pending', ticketId: null, ticketUrl: null, instance };
    }
    return fromProperty(alarms.get(key.dmaId, key.alarmId));
  });
}

/** The request machine's view of now and of the connector's settings. */
export function stepContextOf(settings: SettingsView): StepContext {
  return {
    now: Date.now(),
    baseUrl: settings.api.baseUrl,
    timeoutMs: settings.api.requestTimeoutSeconds * 1000,
    createRetryCount: settings.element.ticketCreationRetryCount,
    jitter: Math.random(),
  };
}

/** Queues the team's Failed request `instance` again; refused when it is not Failed. */
export async function teamRetry(
  team: TeamConsole,
  instance: string,
  context: StepContext,
): Promise<Result<CreateTicketOutcome>> {
  const found = await team.store.first<{ data: string }>(
    selectKeyed(team.store.builder, 'tickets', instance),
  );
  const row = found ? (JSON.parse(found.data) as TicketRow) : undefined;
  if (!row) {
    return fail('not-found', 'This ticket request no longer exists (it may have been pruned)');
  }
  if (row.status === 'Pending') return fail('duplicate', 'This ticket request is already queued');
  if (row.status === 'Created') {
    return fail('duplicate', `This request already created ticket ${row.ticketId}`);
  }
  const request = createTicketRequestSchema.safeParse(requestFromRow(row));
  if (!request.success) return fail('validation', 'The stored request is not valid any more');
  const failed = { ...newRequestState(true), phase: 'failed' as const, sentBefore: true };
  const entry: QueueEntry = {
    instance,
    request: request.data,
    enqueuedAt: new Date(context.now).toISOString(),
    state: step(failed, { type: 'retry-pressed' }, context).state,
  };
  const result = await team.queue.enqueue({ ...row, status: 'Pending' }, entry, [
    alarmKeyString(request.data),
  ]);
  if (!result.ok) {
    const { holder } = result;
    return fail('duplicate', claimedSentence(holder, 'asking again'));
  }
  team.sender.kick();
  return ok({ instance, status: 'Pending' });
}
