/**
 * Team mode's look-ups (issue 14), on the team queue's tables: which ticket or open request
 * holds an alarm (its claim and the row of the request that holds it, else the alarm's
 * property). The Retry of a Failed request is the queue's (TeamQueue.retryFailed, through
 * TeamConsole.retryTicket).
 */
import {
  PROPERTY_TICKET_ID,
  PROPERTY_TICKET_STATUS,
  PROPERTY_TICKET_URL,
  alarmKeyString,
  type AlarmProperties,
  type ExistingTicket,
  type TicketRow,
} from '../../shared/domain.js';
import { DONE_OCEANE_STATUSES } from '../../shared/ticket-life.js';
import type { AlarmPropertyPort } from '../connector/ports.js';
import { safeHttpUrl } from '../connector/ticket-url.js';
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
