import { describe, expect, it } from 'vitest';
import {
  BACKOFF_CAP_MS,
  MAX_RETRY_AFTER_MS,
  UNKNOWN_OUTCOME_STATUSES,
  isRetryableStatus,
  parseRetryAfter,
  retryDelayMs,
} from './retry-policy.js';

describe('retry policy', () => {
  it('retries exactly the statuses of the API profile', () => {
    for (const s of [408, 429, 500, 502, 503, 504]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [400, 401, 403, 404, 409, 422, 501, 505])
      expect(isRetryableStatus(s)).toBe(false);
  });

  it('looks the alarm up before sending again after every retried 5xx, not after 408 or 429', () => {
    expect([...UNKNOWN_OUTCOME_STATUSES].sort()).toEqual([500, 502, 503, 504]);
    for (const s of UNKNOWN_OUTCOME_STATUSES) expect(isRetryableStatus(s)).toBe(true);
  });

  it('honours a Retry-After of at most a day', () => {
    expect(MAX_RETRY_AFTER_MS).toBe(86_400_000);
  });

  it('reads Retry-After in seconds', () => {
    expect(parseRetryAfter('7', 0)).toBe(7000);
    expect(parseRetryAfter(' 0 ', 0)).toBe(0);
    expect(parseRetryAfter('120', 0)).toBe(120_000);
  });

  it('reads Retry-After as an HTTP date relative to now', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:12 GMT', now)).toBe(12_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    // A date that starts with digits is still a date, not a number of seconds.
    expect(parseRetryAfter('01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
  });

  it('ignores a missing or unreadable Retry-After', () => {
    expect(parseRetryAfter(null, 0)).toBeNull();
    expect(parseRetryAfter(undefined, 0)).toBeNull();
    expect(parseRetryAfter('   ', 0)).toBeNull();
    expect(parseRetryAfter('12abc', 0)).toBeNull();
    expect(parseRetryAfter('', 0)).toBeNull();
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter('-5', 0)).toBeNull();
    expect(parseRetryAfter('1.5', 0)).toBeNull();
  });

  it('doubles the delay per attempt with jitter between half and the whole', () => {
    expect(retryDelayMs(2, () => 0)).toBe(500);
    expect(retryDelayMs(2, () => 1)).toBe(1000);
    expect(retryDelayMs(3, () => 1)).toBe(2000);
    expect(retryDelayMs(4, () => 0.5)).toBe(3000);
  });

  it('waits at least the Retry-After; its own backoff never more than ten minutes', () => {
    expect(retryDelayMs(2, () => 0, 5000)).toBe(5000);
    expect(retryDelayMs(2, () => 1, 1)).toBe(1000);
    expect(retryDelayMs(40, () => 1)).toBe(BACKOFF_CAP_MS);
  });

  it('honours a Retry-After beyond the ten-minute cap of the backoff', () => {
    expect(retryDelayMs(2, () => 0, 3_600_000)).toBe(3_600_000);
    expect(retryDelayMs(40, () => 1, 20 * 60_000)).toBe(20 * 60_000);
  });
});
