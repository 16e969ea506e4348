/**
 * Reading Oceane's answers of section 7 without trusting them: a page of changes (7.1), a
 * ticket after a GET or a PATCH (7.3, 7.4), a hub (7.5) and an event POSTed to the listener.
 * A ticket that cannot be read is left out of its page with the reason, so one bad ticket
 * never stops the others; an answer that cannot be read at all becomes an error whose
 * description says, in a sentence, what was wrong and what the console does about it.
 */
import type { OceaneError } from '../../shared/domain.js';
import { isRecord } from '../../shared/guards.js';
import {
  bodyProblem,
  invalidAnswer,
  parseJson,
  ticketIdProblem,
  type Answer,
} from './oceane-responses.js';
import { isOceaneStatus, type SeenNote, type TicketChange } from './ticket-follower.js';

/** Longest text kept from a reason or a note. */
const MAX_TEXT = 4000;

/** A ticket of an answer that could not be used, and why. */
export interface SkippedTicket {
  ticketId: string | null;
  problem: string;
}

/** A page of changes that could be read (7.1). */
export interface ChangesPage {
  ok: true;
  changes: TicketChange[];
  skipped: SkippedTicket[];
  /** `X-Total-Count`, or null when absent or not a number. */
  total: number | null;
  /** How many tickets the page held (read or skipped). */
  count: number;
}

/** A page of changes (7.1), or why it could not be read. */
export type ParsedChangesPage = ChangesPage | { ok: false; error: OceaneError };

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.slice(0, MAX_TEXT) : null;
}

function date(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function notesOf(value: unknown): SeenNote[] {
  if (!Array.isArray(value)) return [];
  const notes: SeenNote[] = [];
  for (const item of value) {
    if (!isRecord(item) || ticketIdProblem(item.id) !== null) continue;
    notes.push({
      id: item.id as string,
      author: text(item.author),
      date: date(item.date),
      text: text(item.text) ?? '',
    });
  }
  return notes;
}

/** Reads one ticket of section 7 into a change, or says why it cannot be used. */
export function readTicketChange(value: unknown): TicketChange | SkippedTicket {
  if (!isRecord(value)) return { ticketId: null, problem: 'a ticket is not a JSON object' };
  const idProblem = ticketIdProblem(value.id);
  if (idProblem) return { ticketId: null, problem: idProblem };
  const ticketId = value.id as string;
  if (!isOceaneStatus(value.status)) {
    const shown = typeof value.status === 'string' ? `"${value.status.slice(0, 40)}"` : 'missing';
    return { ticketId, problem: `the status is ${shown}, not a status of TMF621` };
  }
  const lastUpdate = date(value.lastUpdate);
  if (lastUpdate === null) return { ticketId, problem: 'lastUpdate is not a date' };
  const alarmIds = Array.isArray(value.externalIdentifier)
    ? value.externalIdentifier
        .filter((x) => isRecord(x) && x.owner === 'DataMiner' && typeof x.id === 'string')
        .map((x) => (x as { id: string }).id)
    : [];
  return {
    ticketId,
    status: value.status,
    statusChangeDate: date(value.statusChangeDate),
    statusChangeReason: text(value.statusChangeReason),
    resolutionDate: date(value.resolutionDate),
    lastUpdate,
    alarmIds,
    notes: notesOf(value.note),
  };
}

function isSkipped(value: TicketChange | SkippedTicket): value is SkippedTicket {
  return 'problem' in value;
}

function countHeader(answer: Answer, name: string): number | null {
  const raw = answer.headers.get(name);
  return raw !== null && /^\d{1,9}$/.test(raw.trim()) ? Number(raw) : null;
}

/** Reads a 200 answer to the list of changes (7.1). */
export function parseChangesPage(answer: Answer): ParsedChangesPage {
  const unusable = (problem: string): ParsedChangesPage => ({
    ok: false,
    error: invalidAnswer(
      answer,
      `Oceane answered the list of changed tickets, but ${problem}. The console keeps the statuses it has and asks again at the next poll.`,
    ),
  });
  const problem = bodyProblem(answer);
  if (problem) return unusable(problem);
  const json = parseJson(answer.body);
  if (!Array.isArray(json)) return unusable('the body is not a JSON array');
  const changes: TicketChange[] = [];
  const skipped: SkippedTicket[] = [];
  for (const item of json) {
    const read = readTicketChange(item);
    if (isSkipped(read)) skipped.push(read);
    else changes.push(read);
  }
  return {
    ok: true,
    changes,
    skipped,
    total: countHeader(answer, 'x-total-count'),
    count: json.length,
  };
}

/** Reads the TroubleTicket of a GET or PATCH answer (7.3, 7.4). */
export function parseTicketAnswer(
  answer: Answer,
): { ok: true; ticket: TicketChange } | { ok: false; error: OceaneError } {
  const unusable = (problem: string) => ({
    ok: false as const,
    error: invalidAnswer(
      answer,
      `Oceane answered with a ticket the console cannot read: ${problem}. The console will check the ticket again before it sends anything more.`,
    ),
  });
  const problem = bodyProblem(answer);
  if (problem) return unusable(problem);
  const read = readTicketChange(parseJson(answer.body));
  return isSkipped(read) ? unusable(read.problem) : { ok: true, ticket: read };
}

/** Reads the 201 answer of a subscription (7.5): the hub's id. */
export function parseHubAnswer(
  answer: Answer,
): { ok: true; hubId: string } | { ok: false; error: OceaneError } {
  const problem = bodyProblem(answer);
  const json = problem ? undefined : parseJson(answer.body);
  const why =
    problem ?? (isRecord(json) ? ticketIdProblem(json.id) : 'the body is not a JSON object');
  if (why !== null || !isRecord(json)) {
    return {
      ok: false,
      error: invalidAnswer(
        answer,
        `Oceane answered the subscription to ticket events, but ${why?.replace('ticket id', 'hub id') ?? 'the answer is unusable'}. The console goes on polling for changes.`,
      ),
    };
  }
  return { ok: true, hubId: json.id as string };
}

/** An event POSTed to the listener (7.5), read. */
export type ParsedTicketEvent =
  | { ok: true; eventId: string; eventType: string; change: TicketChange }
  | { ok: false; problem: string };

/** Reads an event body; `problem` is a sentence for the log (the listener answers 400). */
export function parseTicketEvent(body: unknown): ParsedTicketEvent {
  if (!isRecord(body)) return { ok: false, problem: 'The event is not a JSON object.' };
  const eventId = text(body.eventId);
  const eventType = text(body.eventType);
  if (eventId === null || eventType === null) {
    return { ok: false, problem: 'The event has no eventId or eventType.' };
  }
  const ticket = isRecord(body.event) ? body.event.troubleTicket : undefined;
  const read = readTicketChange(ticket);
  if (isSkipped(read)) {
    return {
      ok: false,
      problem: `The ticket of event ${eventId.slice(0, 80)} cannot be read: ${read.problem}.`,
    };
  }
  return { ok: true, eventId, eventType, change: read };
}
