/**
 * The simulator's answers before they are written, and the small helpers every route family
 * shares to build them: JSON, Orange errors, 204, 404 and 405, and JSON bodies read safely.
 */
import { ORANGE_CODES, orangeError, type ErrorAnswer } from './orange-errors.js';

/** A response before it is written. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** A JSON answer. */
export function json(status: number, value: unknown, headers: Record<string, string> = {}): Answer {
  return {
    status,
    headers: { 'Content-Type': JSON_TYPE, ...headers },
    body: JSON.stringify(value),
  };
}

/** The answer of an Orange error. */
export function errorAnswer(error: ErrorAnswer): Answer {
  return json(error.status, error.body, error.headers);
}

/** 204 without a body. */
export const NO_CONTENT: Answer = { status: 204, headers: {}, body: '' };

/** 405 code 61 with the Allow header. */
export function methodNotAllowed(allow: string): Answer {
  return errorAnswer(
    orangeError(405, 61, 'Method not allowed', `Allowed methods: ${allow}`, { Allow: allow }),
  );
}

/** 404 code 60. */
export function notFound(description = 'No such resource'): Answer {
  return errorAnswer(orangeError(404, ORANGE_CODES.notFound, 'Resource not found', description));
}

/** 404 code 60 for an unknown ticket id. */
export function unknownTicket(id: string | undefined): Answer {
  return notFound(`No trouble ticket has the id ${JSON.stringify(id)}`);
}

/** 400 code 24 naming the field and why. */
export function invalidField(description: string): Answer {
  return errorAnswer(
    orangeError(400, ORANGE_CODES.invalidBodyField, 'Invalid body field', description),
  );
}

/** 400 code 25 naming the missing field. */
export function missingField(field: string): Answer {
  return errorAnswer(
    orangeError(
      400,
      ORANGE_CODES.missingBodyField,
      'Missing body field',
      `Missing body field '${field}'`,
    ),
  );
}

/** The media type of a Content-Type header, lower case, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** A body parsed as JSON, or the 400 code 21 answer to send. */
export function parseJsonBody(
  body: Buffer,
): { ok: true; value: unknown } | { ok: false; answer: Answer } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    const detail = body.length === 0 ? 'The body is empty' : 'The body is not valid JSON';
    return {
      ok: false,
      answer: errorAnswer(orangeError(400, ORANGE_CODES.invalidBody, 'Invalid body', detail)),
    };
  }
}
