/**
 * The renderer's only way to the main process: `window.oceane`, typed by the shared contract.
 * Kept behind a function so that nothing reads it before the preload has run.
 */
import type { OceaneApi } from '../../shared/ipc-contract.js';
import type { AppError, Result } from '../../shared/result.js';

/** The bridge to main. */
export function oceane(): OceaneApi {
  return window.oceane;
}

/**
 * The call itself failed: main threw (a bug there) or the bridge broke. Expected failures come
 * back as an `AppError`; this one stands for everything else, so that no UI action is left
 * with a rejected promise.
 */
export interface CallFailure {
  code: 'call-failed';
  message: string;
  fields?: undefined;
}

/** The outcome of `callMain`: main's Result, or the failure of the call itself. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: AppError | CallFailure };

// Electron wraps what a handler threw as "Error invoking remote method '<channel>': Error: …".
const IPC_WRAPPER = /^Error invoking remote method '[^']*':\s*(?:[A-Za-z]*Error:\s*)?/;

/** The readable reason of an error thrown across the bridge. */
export function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const reason = text.replace(IPC_WRAPPER, '').trim();
  return reason === '' ? 'no reason given' : reason;
}

/**
 * Calls main and never rejects: a rejected promise becomes a `call-failed` result whose
 * message says that the app's background service failed, why, and what to do.
 */
export async function callMain<T>(
  call: (api: OceaneApi) => Promise<Result<T>>,
): Promise<CallResult<T>> {
  try {
    return await call(oceane());
  } catch (error) {
    return {
      ok: false,
      error: {
        code: 'call-failed',
        message:
          `The app's background service failed (${reasonOf(error)}). ` +
          'Try again; if it keeps failing, restart the app.',
      },
    };
  }
}
