/**
 * What an operator's console does with the team's ticket life (issue 14 with issue 13): "Add
 * note to ticket…" and the clear action queue a change in the team's change_queue (sent by the
 * holder of the life lease, team-life.ts), and the ticket's history is read from the team's
 * tables. Any console may queue: the change's id is the primary key, and a clear action's id
 * is derived from its ticket, so two consoles that both see the alarms clear queue it once
 * (the ticket is marked as acted on in the same transaction).
 */
import { createHash, randomUUID } from 'node:crypto';
import { alarmKeyString, type TicketRow } from '../../shared/domain.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { TicketHistory } from '../../shared/ticket-life.js';
import { historyOf } from '../connector/ticket-life.js';
import {
  decideOnClear,
  type ClearActionSetting,
  type ClearDecision,
} from '../connector/clear-action.js';
import type { QueuedChange } from '../connector/life-store.js';
import { userIdRefusal } from '../connector/ticket-preconditions.js';
import type { TeamLifeStore } from './team-life-store.js';

const NEW_STATE = { attempts: 0, maybeSent: false, nextAt: 0, lastError: null, failed: false };

/** The id of a ticket's clear action: the same on every console (a UUID's shape). */
export function clearActionId(ticketId: string): string {
  const h = createHash('sha256').update(`oceane-clear-action|${ticketId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Queues a note for the team (7.3). */
export async function addTeamNote(
  store: TeamLifeStore,
  ticketId: string,
  text: string,
  userId: string,
): Promise<Result<{ id: string }>> {
  const refused = userIdRefusal(userId);
  if (refused) return refused;
  if (!(await followedNow(store, ticketId))) {
    return fail(
      'not-found',
      `Ticket ${ticketId} is not one of the team's tickets, so no note can be added from here; add it in Oceane.`,
    );
  }
  const now = new Date().toISOString();
  const id = randomUUID();
  const change: QueuedChange = {
    id,
    ticketId,
    queuedAt: now,
    kind: 'note',
    note: { id, author: userId, date: now, text },
    state: { ...NEW_STATE },
  };
  await store.enqueue(change);
  return ok({ id });
}

/**
 * The followed ticket; a Created ticket of the team the holder has not adopted yet is followed
 * now. Undefined when the ticket is not the team's.
 */
async function followedNow(store: TeamLifeStore, ticketId: string) {
  const followed = await store.get(ticketId);
  if (followed) return followed;
  const created = (await store.ticketRows(ticketId)).find((r) => r.status === 'Created');
  if (!created) return undefined;
  await store.follow(ticketId, created.createdAt);
  return store.get(ticketId);
}

/** The ticket's history: Oceane's changes and notes, then the team's changes on their way. */
export async function teamHistory(
  store: TeamLifeStore,
  ticketId: string,
): Promise<Result<TicketHistory>> {
  const followed = await store.get(ticketId);
  if (!followed) return fail('not-found', `Ticket ${ticketId} is not followed by the team`);
  return ok(historyOf(followed, await store.history(ticketId), await store.changes(ticketId)));
}

/** What the clear action needs of the console. */
export interface TeamClearInput {
  setting: ClearActionSetting;
  userId: string;
  alarmKey: string;
  clearedAt: string;
  /** The Ticket ID property of the alarm (an alarm of a ticket for several alarms). */
  ticketIdOfAlarm: string | undefined;
  /** When another alarm cleared (null while active). */
  clearTimeOf: (alarmKey: string) => string | null;
}

/**
 * An alarm cleared: with the setting, its team ticket gets a note or is resolved once all its
 * alarms have cleared. The change is queued once for the team whichever consoles see the clear.
 * Returns the decision, with `queued` false when another console queued it first.
 */
export async function teamAlarmCleared(
  store: TeamLifeStore,
  input: TeamClearInput,
): Promise<(ClearDecision & { queued: boolean }) | null> {
  if (input.setting === 'nothing') return null;
  const row = await createdRowOf(store, input.alarmKey, input.ticketIdOfAlarm);
  if (!row?.ticketId) return null;
  const ticketId = row.ticketId;
  const followed = await followedNow(store, ticketId);
  if (!followed) return null;
  const rows = await store.ticketRows(ticketId);
  const alarmKeys = [
    ...new Set(
      rows
        .filter((r) => r.status === 'Created')
        .flatMap((r) => [r, ...(r.otherAlarms ?? [])].map((a) => alarmKeyString(a))),
    ),
  ];
  const cleared = new Map<string, string>();
  for (const key of alarmKeys) {
    const at = key === input.alarmKey ? input.clearedAt : input.clearTimeOf(key);
    if (at !== null) cleared.set(key, at);
  }
  const decision = decideOnClear(
    input.setting,
    { ticketId, status: followed.status, alarmKeys, actedOn: followed.actedOn },
    cleared,
  );
  if (decision.kind === 'nothing') return { ...decision, queued: false };
  const id = clearActionId(ticketId);
  const now = new Date().toISOString();
  const change: QueuedChange =
    decision.kind === 'note'
      ? {
          id,
          ticketId,
          queuedAt: now,
          kind: 'note',
          note: { id, author: input.userId, date: now, text: decision.text },
          state: { ...NEW_STATE },
        }
      : {
          id,
          ticketId,
          queuedAt: now,
          kind: 'status',
          change: decision.change,
          state: { ...NEW_STATE },
        };
  const queued = await store.enqueue(change, true);
  return { ...decision, queued };
}

async function createdRowOf(
  store: TeamLifeStore,
  alarmKey: string,
  ticketIdOfAlarm: string | undefined,
): Promise<TicketRow | undefined> {
  const own = await store.createdRowOfAlarm(alarmKey);
  if (own) return own;
  if (!ticketIdOfAlarm) return undefined;
  return (await store.ticketRows(ticketIdOfAlarm)).find(
    (r) =>
      r.status === 'Created' && (r.otherAlarms ?? []).some((a) => alarmKeyString(a) === alarmKey),
  );
}
