/**
 * The ticket list of oceane-api.md sections 3 and 7.1: filters (`externalIdentifier.id`,
 * `externalIdentifier.owner`, `lastUpdate.gt`), `sort`, `offset` and `limit` paging (at most
 * 100) and `fields` trimming, with the TMF630 counts. Pure: tickets and query in, answer out.
 */
import { errorAnswer, json, type Answer } from './http-answers.js';
import { ORANGE_CODES, orangeError } from './orange-errors.js';
import type { TroubleTicket } from './types.js';

/** Largest page the list serves (7.1). */
export const MAX_PAGE_SIZE = 100;

const SORT_KEYS = ['lastUpdate', 'creationDate', 'id'] as const;
type SortKey = (typeof SORT_KEYS)[number];

function badParameter(name: string, why: string): Answer {
  return errorAnswer(
    orangeError(
      400,
      ORANGE_CODES.invalidQueryParameter,
      'Invalid query parameter',
      `Invalid query parameter '${name}': ${why}`,
    ),
  );
}

function wholeNumber(text: string | null): number | null {
  return text !== null && /^\d{1,9}$/.test(text) ? Number(text) : null;
}

/** Keeps only the asked fields of a ticket; `id` and `@type` always stay. */
function trim(ticket: TroubleTicket, fields: string[] | null): Record<string, unknown> {
  if (fields === null) return ticket;
  const kept: Record<string, unknown> = { '@type': ticket['@type'], id: ticket.id };
  const all = ticket as Record<string, unknown>;
  for (const field of fields) {
    if (all[field] !== undefined) kept[field] = all[field];
  }
  return kept;
}

/** Where the list reads tickets from. */
export interface TicketSource {
  /** Every ticket, in creation order. */
  tickets: readonly TroubleTicket[];
  /** The tickets changed after a moment (ms), oldest change first. */
  changedAfter(ms: number): TroubleTicket[];
}

/**
 * Answers a list query over the tickets (creation order unless sorted). With `lastUpdate.gt`
 * it reads only what changed since, so a poll costs what changed (7.1).
 */
export function listTickets(source: TicketSource, params: URLSearchParams): Answer {
  const since = params.get('lastUpdate.gt');
  const sinceMs = since === null ? Number.NaN : Date.parse(since);
  if (since !== null && Number.isNaN(sinceMs)) {
    return badParameter('lastUpdate.gt', 'expected an ISO 8601 date-time');
  }
  let found = since === null ? [...source.tickets] : source.changedAfter(sinceMs);
  const alarm = params.get('externalIdentifier.id');
  if (alarm !== null) {
    found = found.filter((t) => t.externalIdentifier.some((x) => x.id === alarm));
  }
  const owner = params.get('externalIdentifier.owner');
  if (owner !== null) {
    found = found.filter((t) => t.externalIdentifier.some((x) => x.owner === owner));
  }
  const sort = params.get('sort');
  if (sort !== null) {
    const descending = sort.startsWith('-');
    const key = (descending ? sort.slice(1) : sort) as SortKey;
    if (!SORT_KEYS.includes(key)) {
      return badParameter('sort', `expected one of ${SORT_KEYS.join(', ')}, optionally after '-'`);
    }
    const value = (t: TroubleTicket): string | number => (key === 'id' ? t.id : Date.parse(t[key]));
    // Ties are ordered by id, so that paging through equal time stamps is stable.
    found.sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      const order = va < vb ? -1 : va > vb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
      return descending ? -order : order;
    });
  }
  const offsetText = params.get('offset');
  const offset = offsetText === null ? 0 : wholeNumber(offsetText);
  if (offset === null) return badParameter('offset', 'expected a whole number');
  const limitText = params.get('limit');
  const limit = limitText === null ? Number.POSITIVE_INFINITY : wholeNumber(limitText);
  if (limit === null || (limitText !== null && (limit < 1 || limit > MAX_PAGE_SIZE))) {
    return badParameter('limit', `expected a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  const fieldsText = params.get('fields');
  const fields = fieldsText === null ? null : fieldsText.split(',').map((f) => f.trim());
  const page = found.slice(offset, offset + limit).map((t) => trim(t, fields));
  return json(200, page, {
    'X-Total-Count': String(found.length),
    'X-Result-Count': String(page.length),
  });
}
