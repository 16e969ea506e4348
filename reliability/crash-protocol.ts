/**
 * What the crash harness and its child process (connector-process.ts) agree on: how the
 * secret is passed, the request sent for each alarm, and the progress lines the child prints.
 * Kept apart from the child so that importing it never starts a connector.
 */
import type { CreateTicketRequest } from '../shared/domain.js';

/** Environment variable that carries the Client Secret to the child. */
export const SECRET_ENV = 'OCEANE_CLIENT_SECRET';

/** The DMA ID of every alarm of the crash test. */
export const CRASH_DMA_ID = '321';

/**
 * The other alarms of request `alarmId` (issue 11): every 5th request is one ticket for 2 to
 * 4 alarms; the others get Alarm IDs from 10000 up, which no single request uses.
 */
export function crashGroupOthers(alarmId: number): number[] {
  if (alarmId % 5 !== 0) return [];
  const others = 1 + ((alarmId / 5) % 3);
  return Array.from({ length: others }, (_, j) => 10_000 + alarmId * 10 + j + 1);
}

/** The request the child sends for alarm `alarmId` of DMA `dmaId` (with its group's alarms). */
export function crashTestRequest(dmaId: string, alarmId: number): CreateTicketRequest {
  const others = crashGroupOthers(alarmId).map((id) => ({
    dmaId,
    elementId: String(100 + (id % 7)),
    alarmId: String(id),
    elementName: `CRASH-RTR-${String(id).padStart(3, '0')}`,
  }));
  return {
    ...(others.length > 0 ? { otherAlarms: others } : {}),
    dmaId,
    elementId: String(100 + (alarmId % 7)),
    alarmId: String(alarmId),
    elementName: `CRASH-RTR-${String(alarmId).padStart(3, '0')}`,
    alarmValue: `Link down ${alarmId}`,
    rootTime: '2025-03-01T10:00:00Z',
    priority: 'High',
    urgency: 'Medium',
    technicalImpact: 'Major',
  };
}

/**
 * One line of the child's stdout:
 * - `opening` before the stores are opened; `ready <queued> <rows>` once the connector runs;
 * - `queued <alarmId> <instance> [sent]` once createTicket answered Pending (the request is
 *   durable); `sent`: the idle queue sent it at once, its create left before the answer;
 * - `known <alarmId>` when the app already had a ticket or a request for the alarm;
 * - `refused <alarmId> <code>` when createTicket refused for another reason;
 * - `enqueued` once every alarm was asked for;
 * - `created <alarmId> <ticketId>` and `failed <alarmId>` as rows settle;
 * - `note <alarmId> <noteId>` once a note on the alarm's ticket is queued durably, and
 *   `resolving <alarmId>` once its resolution is (issue 13);
 * - `idle` when the queue is empty and the connector closed, just before a clean exit.
 */
export type ChildLine =
  | { kind: 'opening' }
  | { kind: 'ready'; queued: number; rows: number }
  | { kind: 'queued'; alarmId: string; instance: string; sent: boolean }
  | { kind: 'known'; alarmId: string }
  | { kind: 'refused'; alarmId: string; code: string }
  | { kind: 'enqueued' }
  | { kind: 'created'; alarmId: string; ticketId: string }
  | { kind: 'failed'; alarmId: string }
  | { kind: 'note'; alarmId: string; noteId: string }
  | { kind: 'resolving'; alarmId: string }
  | { kind: 'idle' };

/** Reads one line of the child's stdout; null for anything else (a torn last line). */
export function parseChildLine(line: string): ChildLine | null {
  const [kind, a = '', b = '', c = ''] = line.trim().split(' ');
  switch (kind) {
    case 'opening':
    case 'enqueued':
    case 'idle':
      return { kind };
    case 'ready':
      return { kind, queued: Number(a), rows: Number(b) };
    case 'queued':
      return a && b ? { kind, alarmId: a, instance: b, sent: c === 'sent' } : null;
    case 'known':
    case 'failed':
    case 'resolving':
      return a ? { kind, alarmId: a } : null;
    case 'note':
      return a && b ? { kind, alarmId: a, noteId: b } : null;
    case 'refused':
      return a ? { kind, alarmId: a, code: b } : null;
    case 'created':
      return a && b ? { kind, alarmId: a, ticketId: b } : null;
    default:
      return null;
  }
}
