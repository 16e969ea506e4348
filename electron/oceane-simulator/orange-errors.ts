/**
 * The error vocabulary of the simulator: Orange application codes (oceane-api.md section 4)
 * and the bodies of scripted error statuses (Orange, TMF630, a proxy's HTML page, plain text).
 */
import { STATUS_CODES } from 'node:http';
import type { FaultBodyShape } from './types.js';

/**
 * Orange application codes the simulator answers with. The 2x codes follow Orange's
 * "invalid parameter / body / field / header" family; the connector treats all of 20-28 alike.
 */
export const ORANGE_CODES = {
  internalError: 1,
  serviceUnavailable: 5,
  /** A query-string parameter has a value the API cannot use. */
  invalidQueryParameter: 20,
  /** The body is missing, not JSON, not an object, or too large. */
  invalidBody: 21,
  /** A body field has a value outside the profile (e.g. a priority not in the table). */
  invalidBodyField: 24,
  /** A required body field is absent. */
  missingBodyField: 25,
  /** A header is missing or has a value the API does not accept (e.g. Content-Type). */
  invalidHeader: 26,
  missingCredentials: 40,
  invalidCredentials: 41,
  expiredCredentials: 42,
  accessDenied: 50,
  tooManyRequests: 53,
  notFound: 60,
} as const;

/** The Orange error body: `{ code, message, description }`. */
export interface OrangeErrorBody {
  code: number | string;
  message: string;
  description: string;
}

/** An error answer before it is written: status, Orange body and extra headers. */
export interface ErrorAnswer {
  status: number;
  body: OrangeErrorBody;
  headers?: Record<string, string>;
}

/** Builds an Orange error answer. */
export function orangeError(
  status: number,
  code: number,
  message: string,
  description: string,
  headers?: Record<string, string>,
): ErrorAnswer {
  return headers
    ? { status, body: { code, message, description }, headers }
    : { status, body: { code, message, description } };
}

/** The reason phrase of a status, or a generic one for codes Node does not know. */
export function statusText(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'Server Error' : 'Error');
}

const DEFAULT_CODES: Record<number, number> = {
  400: ORANGE_CODES.invalidBodyField,
  401: ORANGE_CODES.expiredCredentials,
  403: ORANGE_CODES.accessDenied,
  404: ORANGE_CODES.notFound,
  429: ORANGE_CODES.tooManyRequests,
  500: ORANGE_CODES.internalError,
  503: ORANGE_CODES.serviceUnavailable,
};

/** The Orange code that usually goes with an HTTP status (section 4's table). */
export function defaultOrangeCode(status: number): number {
  return DEFAULT_CODES[status] ?? (status >= 500 ? ORANGE_CODES.internalError : 20);
}

/** A rendered body with its content type (null: no body at all). */
export interface RenderedBody {
  contentType: string | null;
  text: string;
}

/** Options of a scripted `status` fault that shape its body. */
export interface StatusFaultBody {
  status: number;
  body?: FaultBodyShape;
  code?: number | string;
  message?: string;
  description?: string;
}

/** Renders the body of a scripted error status in the requested shape. */
export function renderFaultBody(fault: StatusFaultBody): RenderedBody {
  const reason = statusText(fault.status);
  const code = fault.code ?? defaultOrangeCode(fault.status);
  switch (fault.body ?? 'orange') {
    case 'orange':
      return {
        contentType: 'application/json; charset=utf-8',
        text: JSON.stringify({
          code,
          message: fault.message ?? reason,
          description: fault.description ?? `Simulated ${fault.status} ${reason}`,
        }),
      };
    case 'tmf630':
      return {
        contentType: 'application/json; charset=utf-8',
        text: JSON.stringify({
          code: String(code),
          reason: fault.message ?? reason,
          message: fault.description ?? `Simulated ${fault.status} ${reason}`,
          status: String(fault.status),
        }),
      };
    case 'html':
      // What a reverse proxy in front of Oceane typically answers (nginx's default page).
      return {
        contentType: 'text/html',
        text:
          `<html>\r\n<head><title>${fault.status} ${reason}</title></head>\r\n<body>\r\n` +
          `<center><h1>${fault.status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n` +
          `</body>\r\n</html>\r\n`,
      };
    case 'text':
      return {
        contentType: 'text/plain; charset=utf-8',
        text: fault.message ?? `${fault.status} ${reason}`,
      };
    case 'empty':
      return { contentType: null, text: '' };
  }
}
