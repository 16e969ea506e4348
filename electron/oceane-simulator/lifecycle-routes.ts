/**
 * The PATCH of a ticket (oceane-api.md sections 7.3 and 7.4): a JSON Patch that adds notes
 * (`application/json-patch+json`, a note already there by id changes nothing), or a merge
 * patch that changes the status (`application/merge-patch+json`), refused from a final status
 * or to a value outside 7.2. Any other content type answers 415.
 */
import { isRecord } from '../../shared/guards.js';
import {
  errorAnswer,
  invalidField,
  json,
  mediaType,
  missingField,
  parseJsonBody,
  type Answer,
} from './http-answers.js';
import { ORANGE_CODES, orangeError } from './orange-errors.js';
import { FINAL_STATUSES, type TicketBook } from './ticket-book.js';
import {
  TICKET_LIFECYCLE_STATUSES,
  type TicketLifecycleStatus,
  type TicketNote,
  type TroubleTicket,
} from './types.js';

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
/** Longest note id and text accepted. */
const MAX_NOTE_ID = 128;
const MAX_NOTE_TEXT = 10_000;
const MERGE_FIELDS = ['@type', 'status', 'statusChangeReason', 'resolutionDate'];

/** True for a value of section 7.2. */
export function isLifecycleStatus(value: unknown): value is TicketLifecycleStatus {
  return (TICKET_LIFECYCLE_STATUSES as readonly unknown[]).includes(value);
}

function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

/** A note of a patch operation, or the answer refusing it. */
function readNote(value: unknown, path: string): TicketNote | Answer {
  if (!isRecord(value)) return invalidField(`Invalid body field '${path}': expected a Note object`);
  if (value['@type'] === undefined) return missingField(`${path}.@type`);
  if (value['@type'] !== 'Note')
    return invalidField(`Invalid body field '${path}.@type': must be 'Note'`);
  const { id, text, author, date } = value;
  if (id === undefined) return missingField(`${path}.id`);
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_NOTE_ID || /\s/.test(id)) {
    return invalidField(
      `Invalid body field '${path}.id': expected an id of 1 to ${MAX_NOTE_ID} characters without spaces`,
    );
  }
  if (text === undefined) return missingField(`${path}.text`);
  if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_NOTE_TEXT) {
    return invalidField(
      `Invalid body field '${path}.text': expected a text of 1 to ${MAX_NOTE_TEXT} characters`,
    );
  }
  if (author !== undefined && (typeof author !== 'string' || author === '')) {
    return invalidField(`Invalid body field '${path}.author': expected a non-empty string`);
  }
  if (date !== undefined && !isIsoDate(date)) {
    return invalidField(`Invalid body field '${path}.date': expected an ISO 8601 date-time`);
  }
  const note: TicketNote = { '@type': 'Note', id, text };
  if (author !== undefined) note.author = author;
  if (date !== undefined) note.date = date;
  return note;
}

function addNotes(book: TicketBook, ticket: TroubleTicket, body: unknown): Answer {
  if (!Array.isArray(body) || body.length === 0) {
    return invalidField("Invalid body field 'body': expected a non-empty JSON Patch array");
  }
  const notes: TicketNote[] = [];
  for (const [i, operation] of body.entries()) {
    const path = `[${i}]`;
    if (!isRecord(operation) || operation.op !== 'add' || operation.path !== '/note/-') {
      return invalidField(
        `Invalid body field '${path}': only { "op": "add", "path": "/note/-" } is supported`,
      );
    }
    const note = readNote(operation.value, `${path}.value`);
    if ('status' in note) return note;
    notes.push(note);
  }
  for (const note of notes) book.addNote(ticket, note);
  return json(200, ticket);
}

function changeStatus(book: TicketBook, ticket: TroubleTicket, body: unknown): Answer {
  if (!isRecord(body)) return invalidField("Invalid body field 'body': expected a JSON object");
  const unknown = Object.keys(body).find((key) => !MERGE_FIELDS.includes(key));
  if (unknown !== undefined) {
    return invalidField(
      `Invalid body field '${unknown}': this Oceane changes only ${MERGE_FIELDS.slice(1).join(', ')}`,
    );
  }
  if (body['@type'] === undefined) return missingField('@type');
  if (body['@type'] !== 'TroubleTicket')
    return invalidField("Invalid body field '@type': must be 'TroubleTicket'");
  const { status, statusChangeReason: reason, resolutionDate } = body;
  if (status === undefined) return missingField('status');
  if (!isLifecycleStatus(status)) {
    return invalidField(
      `Invalid body field 'status': must be one of ${TICKET_LIFECYCLE_STATUSES.join(', ')}`,
    );
  }
  if (reason !== undefined && (typeof reason !== 'string' || reason.trim() === '')) {
    return invalidField("Invalid body field 'statusChangeReason': expected a non-empty string");
  }
  if (resolutionDate !== undefined && !isIsoDate(resolutionDate)) {
    return invalidField("Invalid body field 'resolutionDate': expected an ISO 8601 date-time");
  }
  if (ticket.status === status) return json(200, ticket);
  if (FINAL_STATUSES.has(ticket.status)) {
    return invalidField(
      `Invalid body field 'status': the ticket is ${ticket.status}, a final status that does not change`,
    );
  }
  book.changeStatus(ticket, {
    status,
    ...(reason !== undefined ? { reason } : {}),
    ...(resolutionDate !== undefined ? { resolutionDate } : {}),
  });
  return json(200, ticket);
}

/** Serves `PATCH .../troubleTicket/{id}` for a known ticket. */
export function patchTicket(
  book: TicketBook,
  ticket: TroubleTicket,
  contentType: string | undefined,
  body: Buffer,
): Answer {
  const type = mediaType(contentType);
  if (type !== JSON_PATCH && type !== MERGE_PATCH) {
    return errorAnswer(
      orangeError(
        415,
        ORANGE_CODES.invalidHeader,
        'Unsupported media type',
        `Content-Type must be '${JSON_PATCH}' (notes) or '${MERGE_PATCH}' (status)`,
      ),
    );
  }
  const parsed = parseJsonBody(body);
  if (!parsed.ok) return parsed.answer;
  return type === JSON_PATCH
    ? addNotes(book, ticket, parsed.value)
    : changeStatus(book, ticket, parsed.value);
}
