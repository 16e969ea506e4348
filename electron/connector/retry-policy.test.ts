import { describe, expect, it } from 'vitest';
import {
  BACKOFF_CAP_MS,
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

  it('reads Retry-After in seconds', () => {
    expect(parseRetryAfter('7', 0)).toBe(7000);
    expect(parseRetryAfter(' 0 ', 0)).toBe(0);
  });

  it('reads Retry-After as an HTTP date relative to now', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:12 GMT', now)).toBe(12_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
  });

  it('ignores a missing or unreadable Retry-After', () => {
    expect(parseRetryAfter(null, 0)).toBeNull();
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
