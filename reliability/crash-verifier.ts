/**
 * The verdict of a crash run (issue 5): after the last restart, every alarm the app
 * acknowledged has exactly one ticket in Oceane's ledger, its Tickets row and its alarm
 * properties name that ticket with the URL of the template, and nothing is left in the queue.
 * A pure function over the evidence, so that its own ability to fail is unit tested.
 */
import {
  PROPERTY_TICKET_ID,
  PROPERTY_TICKET_URL,
  alarmKeyString,
  type AlarmProperties,
  type TicketRow,
} from '../shared/domain.js';

/** A ticket of the simulator's ledger, as far as the verdict needs it. */
export interface LedgerTicket {
  id: string;
  externalIdentifier: { id: string }[];
}

/** What a crash run leaves behind. */
export interface CrashEvidence {
  /** Alarm keys (`dmaId/alarmId`) whose request the app acknowledged (queued or known). */
  requested: readonly string[];
  /**
   * Acknowledged alarm keys that the app no longer knew after a restart (asked again, it
   * queued a new request instead of answering that one exists): each is a lost request, even
   * if the new one got a ticket.
   */
  forgotten?: readonly string[];
  /** Every ticket Oceane created, in creation order. */
  ledger: readonly LedgerTicket[];
  /** The Tickets table read back from disk. */
  tickets: readonly TicketRow[];
  /** The alarm properties read back from disk, keyed `dmaId/alarmId`. */
  properties: ReadonlyMap<string, AlarmProperties>;
  /** Requests still in the queue. */
  pending: number;
  /** The URL the template gives for a ticket id (null: unsafe). */
  ticketUrl: (ticketId: string) => string | null;
  /**
   * The other alarm keys of a requested alarm's ticket (issue 11: one ticket for several
   * alarms); none when absent. Its ticket must list them, and each must carry its ID and URL.
   */
  groupOf?: (key: string) => readonly string[];
}

/** The counts of the final line, and every disagreement found, in words. */
export interface CrashVerdict {
  /** Tickets in the ledger. */
  tickets: number;
  /** Tickets beyond the first, summed over alarms. */
  duplicates: number;
  /** Acknowledged alarms forgotten after a restart, without a ticket or a Created row. */
  lost: number;
  /** Every disagreement (duplicates and lost ones included), one sentence each. */
  problems: string[];
}

/** The alarm key a ledger ticket was created for. */
function alarmOf(ticket: LedgerTicket): string {
  return ticket.externalIdentifier[0]?.id ?? '(none)';
}

/** Checks the evidence of a crash run. */
export function verifyCrashRun(evidence: CrashEvidence): CrashVerdict {
  const problems: string[] = [];
  const ledgerByAlarm = new Map<string, string[]>();
  for (const ticket of evidence.ledger) {
    const key = alarmOf(ticket);
    ledgerByAlarm.set(key, [...(ledgerByAlarm.get(key) ?? []), ticket.id]);
  }
  const createdByAlarm = new Map<string, TicketRow[]>();
  for (const row of evidence.tickets) {
    if (row.status === 'Failed') problems.push(`${alarmKeyString(row)}: a Failed row`);
    if (row.status === 'Pending') problems.push(`${alarmKeyString(row)}: a Pending row`);
    if (row.status !== 'Created') continue;
    const key = alarmKeyString(row);
    createdByAlarm.set(key, [...(createdByAlarm.get(key) ?? []), row]);
  }

  let duplicates = 0;
  for (const [key, ids] of ledgerByAlarm) {
    if (ids.length > 1) {
      duplicates += ids.length - 1;
      problems.push(`${key}: ${ids.length} tickets in Oceane (${ids.join(', ')})`);
    }
  }

  const requested = new Set(evidence.requested);
  let lost = 0;
  for (const key of evidence.forgotten ?? []) {
    lost++;
    problems.push(`${key}: acknowledged, then forgotten by the app after a restart`);
  }
  for (const key of requested) {
    const ids = ledgerByAlarm.get(key) ?? [];
    const rows = createdByAlarm.get(key) ?? [];
    if (ids.length === 0 || rows.length === 0) {
      lost++;
      problems.push(
        `${key}: lost (${ids.length} ticket(s) in Oceane, ${rows.length} Created row(s))`,
      );
      continue;
    }
    const ticketId = ids[0] ?? '';
    const url = evidence.ticketUrl(ticketId);
    if (rows.length > 1) problems.push(`${key}: ${rows.length} Created rows`);
    for (const row of rows) {
      if (row.ticketId !== ticketId)
        problems.push(`${key}: row says ${row.ticketId}, Oceane ${ticketId}`);
      if (row.ticketUrl !== url) problems.push(`${key}: row URL ${row.ticketUrl}, expected ${url}`);
    }
    const group = evidence.groupOf?.(key) ?? [];
    const listed = evidence.ledger.find((t) => t.id === ticketId)?.externalIdentifier ?? [];
    const expected = [key, ...group].join(', ');
    if (listed.map((x) => x.id).join(', ') !== expected)
      problems.push(`${key}: ticket ${ticketId} lists ${listed.map((x) => x.id).join(', ')}`);
    // Every alarm of the ticket carries its ID and URL (the requested one and its group's).
    for (const alarm of [key, ...group]) {
      const props = evidence.properties.get(alarm) ?? {};
      if (props[PROPERTY_TICKET_ID] !== ticketId) {
        problems.push(
          `${alarm}: property ID ${props[PROPERTY_TICKET_ID] ?? '(none)'}, Oceane ${ticketId}`,
        );
      }
      if (props[PROPERTY_TICKET_URL] !== url) {
        problems.push(
          `${alarm}: property URL ${props[PROPERTY_TICKET_URL] ?? '(none)'}, expected ${url}`,
        );
      }
    }
  }
  for (const key of ledgerByAlarm.keys()) {
    if (!requested.has(key)) problems.push(`${key}: a ticket for an alarm nobody was told about`);
  }
  for (const key of createdByAlarm.keys()) {
    if (!ledgerByAlarm.has(key)) problems.push(`${key}: a Created row without a ticket in Oceane`);
  }
  if (evidence.pending > 0) problems.push(`${evidence.pending} request(s) left in the queue`);
  return { tickets: evidence.ledger.length, duplicates, lost, problems };
}

/** The one final line of a crash run: `kills: 137, tickets: 60, duplicates: 0, lost: 0`. */
export function crashLine(kills: number, verdict: CrashVerdict): string {
  return `kills: ${kills}, tickets: ${verdict.tickets}, duplicates: ${verdict.duplicates}, lost: ${verdict.lost}`;
}
