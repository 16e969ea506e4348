/**
 * Reading Oceane's answers without trusting them: error bodies mapped to the columns of the
 * Failed Ticket Requests table (oceane-api.md section 4), created tickets and search results
 * checked before anything is taken from them. Pure functions over the data of an exchange.
 */
import type { OceaneError } from '../../shared/domain.js';
import { isRecord } from '../../shared/guards.js';
import { DONE_OCEANE_STATUSES } from '../../shared/ticket-life.js';
import type { HttpOutcome } from './http-exchange.js';

/** Longest ticket id accepted from Oceane. */
export const MAX_TICKET_ID_LENGTH = 128;
/** How much of a body that is not JSON goes into Error Description. */
export const BODY_EXCERPT_CHARS = 200;

/** An exchange that got an HTTP answer. */
export type Answer = Extract<HttpOutcome, { kind: 'answer' }>;

/** The failure row of an exchange that got no HTTP answer: empty HTTP code, the cause named. */
export function noAnswerError(message: string): OceaneError {
  return { httpStatus: null, appCode: '', message, description: '' };
}

/** The parsed JSON of a text, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function short(value: unknown, max = 500): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/** True when the content type says JSON (application/json or a +json type). */
export function isJsonContentType(contentType: string): boolean {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

/**
 * Maps an error answer to the Failed Ticket Requests columns: an Orange body
 * (`code` number, `message`, `description`), a TMF630 body (`code` string, `reason`,
 * `message`), or anything else (status text and the first 200 characters of the body).
 */
export function errorFromAnswer(answer: Answer): OceaneError {
  const json = answer.truncated ? undefined : parseJson(answer.body);
  if (isRecord(json)) {
    const { code } = json;
    const codeText =
      typeof code === 'number' && Number.isFinite(code)
        ? String(code)
        : typeof code === 'string'
          ? code.slice(0, 50)
          : null;
    if (codeText !== null && typeof json.reason === 'string') {
      return {
        httpStatus: answer.status,
        appCode: codeText,
        message: short(json.reason),
        description: short(json.message, 2000),
      };
    }
    if (codeText !== null && typeof json.message === 'string') {
      return {
        httpStatus: answer.status,
        appCode: codeText,
        message: short(json.message),
        description: short(json.description, 2000),
      };
    }
  }
  return {
    httpStatus: answer.status,
    appCode: '',
    message: answer.statusText,
    description: answer.body.slice(0, BODY_EXCERPT_CHARS),
  };
}

/** Why a ticket id from Oceane is unacceptable, or null when it is fine. */
export function ticketIdProblem(id: unknown): string | null {
  if (typeof id !== 'string')
    return `the ticket id is ${id === undefined ? 'missing' : 'not a string'}`;
  if (id.length === 0) return 'the ticket id is empty';
  if (id.length > MAX_TICKET_ID_LENGTH)
    return `the ticket id is longer than ${MAX_TICKET_ID_LENGTH} characters`;
  // Control characters and white space never belong in an id and could spoof a display.
  if (/[\s\p{Cc}\p{Cf}]/u.test(id)) return 'the ticket id contains spaces or control characters';
  return null;
}

/** A ticket read from an answer, or the reason it could not be read. */
export type ParsedTicket = { ok: true; id: string } | { ok: false; error: OceaneError };

/** The error of an answer Oceane sent that cannot be used: `problem` says why. */
export function invalidAnswer(answer: Answer, problem: string): OceaneError {
  return {
    httpStatus: answer.status,
    appCode: '',
    message: 'Invalid answer from Oceane',
    description: problem,
  };
}

/** Why the body of an answer cannot be read as JSON, or null when it can. */
export function bodyProblem(answer: Answer): string | null {
  if (answer.truncated) return 'the answer is larger than 1 MB';
  if (!isJsonContentType(answer.contentType)) {
    return `the answer is not JSON (content type "${answer.contentType.slice(0, 100) || 'none'}")`;
  }
  return null;
}

/** Reads the TroubleTicket of a 201 (or 200) answer: JSON object with a sane string `id`. */
export function parseCreatedTicket(answer: Answer): ParsedTicket {
  const problem = bodyProblem(answer);
  if (problem) return { ok: false, error: invalidAnswer(answer, problem) };
  const json = parseJson(answer.body);
  if (!isRecord(json)) {
    return {
      ok: false,
      error: invalidAnswer(
        answer,
        json === undefined ? 'the body is not valid JSON' : 'the body is not a JSON object',
      ),
    };
  }
  const idProblem = ticketIdProblem(json.id);
  if (idProblem) return { ok: false, error: invalidAnswer(answer, idProblem) };
  return { ok: true, id: json.id as string };
}

/** The result of a search by alarm: the ticket found, none, or the reason it failed. */
export type ParsedSearch = { ok: true; id: string | null } | { ok: false; error: OceaneError };

/**
 * Reads the answer of `GET troubleTicket?externalIdentifier.id=…` (section 3) and returns the
 * oldest ticket that really carries the alarm's external identifier (the server's filter is
 * checked, not trusted). Tickets with unusable ids are ignored.
 */
export function parseSearchResult(answer: Answer, externalId: string): ParsedSearch {
  const problem = bodyProblem(answer);
  if (problem) return { ok: false, error: invalidAnswer(answer, problem) };
  const json = parseJson(answer.body);
  if (!Array.isArray(json)) {
    return { ok: false, error: invalidAnswer(answer, 'the body is not a JSON array') };
  }
  let best: { id: string; created: number } | null = null;
  for (const item of json) {
    if (!isRecord(item) || ticketIdProblem(item.id) !== null) continue;
    const ids = Array.isArray(item.externalIdentifier) ? item.externalIdentifier : [];
    const matches = ids.some((e) => isRecord(e) && e.id === externalId);
    if (!matches) continue;
    // A ticket resolved or closed in Oceane is done (issue 13): the alarm may get a new one.
    if (typeof item.status === 'string' && DONE_OCEANE_STATUSES.has(item.status)) continue;
    // Compared as instants, not as text: dates may carry different offsets. A ticket without
    // a readable date (NaN) never replaces one, nor is it replaced: the first one found stays.
    const created = typeof item.creationDate === 'string' ? Date.parse(item.creationDate) : NaN;
    if (best === null || created < best.created) {
      best = { id: item.id as string, created };
    }
  }
  return { ok: true, id: best?.id ?? null };
}

/** Reads the token answer of section 1. */
export type ParsedToken =
  | { ok: true; accessToken: string; tokenType: string; expiresInSeconds: number }
  | { ok: false; error: OceaneError };

/** Checks a 200 token answer: a non-empty `access_token` and a positive `expires_in`. */
export function parseTokenAnswer(answer: Answer): ParsedToken {
  const problem = bodyProblem(answer);
  if (problem) return { ok: false, error: invalidAnswer(answer, problem) };
  const json = parseJson(answer.body);
  if (!isRecord(json))
    return { ok: false, error: invalidAnswer(answer, 'the body is not a JSON object') };
  const token = json.access_token;
  if (
    typeof token !== 'string' ||
    token.length === 0 ||
    token.length > 8192 ||
    /[\s\p{Cc}]/u.test(token)
  ) {
    return { ok: false, error: invalidAnswer(answer, 'the answer has no usable access_token') };
  }
  const type = typeof json.token_type === 'string' ? json.token_type : 'Bearer';
  if (type.toLowerCase() !== 'bearer') {
    return {
      ok: false,
      error: invalidAnswer(answer, `unsupported token type "${type.slice(0, 40)}"`),
    };
  }
  const expires = json.expires_in;
  const seconds =
    typeof expires === 'number' ? expires : typeof expires === 'string' ? Number(expires) : NaN;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    return { ok: false, error: invalidAnswer(answer, 'the answer has no positive expires_in') };
  }
  return { ok: true, accessToken: token, tokenType: 'Bearer', expiresInSeconds: seconds };
}

/** Reads the Orange app code of a 401, to tell a stale token (40, 41, 42) from others. */
export function isTokenRejection(answer: Answer): boolean {
  if (answer.status !== 401) return false;
  const error = errorFromAnswer(answer);
  return error.appCode === '' || ['40', '41', '42'].includes(error.appCode);
}
