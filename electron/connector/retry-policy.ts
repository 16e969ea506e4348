/**
 * When to retry a ticket creation and how long to wait (oceane-api.md section 5). Pure
 * functions, so that the queue's timing is decided in one place and tested without a network.
 */

/** Statuses that are retried; every other 4xx (and 501, 505…) fails at once. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Statuses after which the ticket may exist even though the answer says otherwise: the server
 * failed while (or after) handling the request. Before sending again the alarm is looked up.
 * oceane-api.md §5 counts every 5xx after the request was sent: a 503 may come from a proxy in
 * front of an Oceane that did create the ticket.
 */
export const UNKNOWN_OUTCOME_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/** First delay between attempts, doubled for each further attempt. */
export const BACKOFF_BASE_MS = 1_000;
/**
 * Our own backoff never waits longer than this (oceane-api.md section 5: "capped at 10
 * minutes"). A longer Retry-After from Oceane is honoured: the cap is for our backoff.
 */
export const BACKOFF_CAP_MS = 10 * 60_000;
/**
 * The longest Retry-After honoured (a day). Oceane asking for more is treated as a refusal:
 * the request fails with a sentence saying so, and the operator can Retry later, instead of
 * a request that sits Pending for weeks.
 */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60_000;

/** True when an HTTP status is worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/**
 * Reads a `Retry-After` header: a number of seconds or an HTTP date. Returns the delay in
 * milliseconds from `nowMs` (never negative), or null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds) ? Math.min(seconds * 1000, Number.MAX_SAFE_INTEGER) : null;
  }
  // HTTP dates always name a weekday or month in letters; this refuses odd numeric strings.
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/**
 * Delay before attempt number `nextAttempt` (2 for the first retry): exponential with equal
 * jitter (half fixed, half random) so that many waiting requests do not return in lockstep,
 * capped at BACKOFF_CAP_MS, and at least `retryAfterMs` when the server asked for it (even
 * beyond the cap; the caller refuses one beyond MAX_RETRY_AFTER_MS).
 */
export function retryDelayMs(
  nextAttempt: number,
  random: () => number,
  retryAfterMs: number | null = null,
): number {
  const exponent = Math.max(0, nextAttempt - 2);
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(exponent, 30));
  const r = Math.min(1, Math.max(0, random()));
  const jittered = ceiling / 2 + (ceiling / 2) * r;
  return Math.round(Math.max(Math.min(BACKOFF_CAP_MS, jittered), retryAfterMs ?? 0));
}
