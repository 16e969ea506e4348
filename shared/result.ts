/**
 * Expected failures cross the process boundary as data, never as exceptions
 * (design.md "Processes and the one contract"). Bugs still throw.
 */

/** Machine-readable reason of an expected failure. */
export type ErrorCode =
  | 'invalid-payload'
  | 'unknown-channel'
  | 'validation'
  | 'duplicate'
  | 'not-found'
  | 'storage'
  | 'refused'
  | 'open-failed'
  | 'oceane'
  | 'not-configured';

/** An expected failure, with a sentence an operator can act on and optional per-field errors. */
export interface AppError {
  code: ErrorCode;
  message: string;
  fields?: Record<string, string>;
}

/** Outcome of every request channel. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** Wraps a value as a success. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Wraps an expected failure. */
export function fail<T = never>(
  code: ErrorCode,
  message: string,
  fields?: Record<string, string>,
): Result<T> {
  return fields
    ? { ok: false, error: { code, message, fields } }
    : { ok: false, error: { code, message } };
}
