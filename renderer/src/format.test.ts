import { describe, expect, it } from 'vitest';
import type { OceaneError } from '../../shared/domain.js';
import {
  authFailureHint,
  formatAuthResult,
  formatOceaneError,
  formatTime,
  localZoneName,
} from './format.js';
import { zoneSetterForTests } from './time-zone-for-tests.js';

const error = (httpStatus: number | null, appCode = '', message = 'x'): OceaneError => ({
  httpStatus,
  appCode,
  message,
  description: '',
});

describe('the Authenticate result', () => {
  it('points bad credentials at the Client ID and Client Secret, with the codes', () => {
    const text = formatAuthResult({ ok: false, error: error(401, '41', 'Invalid credentials') });

    expect(text).toBe(
      'Authentication failed: HTTP 401, code 41 — Invalid credentials. ' +
        'Check the Client ID and Client Secret in API Settings.',
    );
  });

  it('gives the same advice for missing and expired credentials', () => {
    for (const code of ['40', '41', '42']) {
      expect(authFailureHint(error(401, code), true)).toBe(
        'Check the Client ID and Client Secret in API Settings.',
      );
    }
  });

  it('points a request that got no answer at the Base URL and the network', () => {
    const text = formatAuthResult({ ok: false, error: error(null, '', 'connect ECONNREFUSED') });

    expect(text).toBe(
      'Authentication failed: no HTTP response — connect ECONNREFUSED. ' +
        'Check the Base URL and the network.',
    );
  });

  it('adds nothing when the settings are incomplete: the message names what to set', () => {
    const message = 'Oceane is not configured: set the Client Secret in Settings';

    expect(formatAuthResult({ ok: false, error: error(null, '', message) }, false)).toBe(
      `Authentication failed: no HTTP response — ${message}`,
    );
  });

  it('suggests waiting when Oceane itself is in trouble, and checking the address on a 404', () => {
    expect(authFailureHint(error(503, '5'), true)).toMatch(/try again in a few minutes/);
    expect(authFailureHint(error(404), true)).toMatch(/^Check the Base URL/);
  });

  it('says until when a new token is valid', () => {
    const text = formatAuthResult({
      ok: true,
      validUntil: '2026-01-01T10:00:00.000Z',
      tokenType: 'Bearer',
    });

    expect(text).toMatch(/^Token valid until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+$/);
  });
});

describe('times the operator reads', () => {
  const iso = '2025-03-14T08:02:07.250Z';

  it('say their time zone: UTC, or the short name of the local zone', () => {
    expect(formatTime(iso, 'utc')).toBe('2025-03-14 08:02:07 UTC');
    expect(formatTime('2025-10-10T10:10:10Z', 'utc')).toBe('2025-10-10 10:10:10 UTC');
    expect(formatTime('2025-09-09T09:09:09Z', 'utc')).toBe('2025-09-09 09:09:09 UTC');
    const local = formatTime(iso);
    const d = new Date(iso);
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(local).toBe(
      `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${localZoneName(d)}`,
    );
    expect(localZoneName(d)).not.toBe('');
  });

  it('say when a token is valid until, with the zone', () => {
    expect(formatAuthResult({ ok: true, validUntil: iso, tokenType: 'Bearer' })).toMatch(
      /^Token valid until 2025-03-1\d \d\d:\d\d:07 \S+/,
    );
  });

  describe('on a machine whose local time is not UTC', () => {
    // Where a test cannot change TZ (threads), the mutation run sets it beforehand.
    const setZone = zoneSetterForTests();

    it('show local time with the local zone by default, and UTC only when asked', () => {
      setZone('Europe/Paris');
      expect(localZoneName(new Date(iso), 'en-GB')).toBe('CET');
      expect(localZoneName(new Date('2025-07-14T08:02:07Z'), 'en-GB')).toBe('CEST');
      expect(formatTime(iso, 'local').replace(/ \S+$/, '')).toBe('2025-03-14 09:02:07');
      expect(formatTime(iso).replace(/ \S+$/, '')).toBe('2025-03-14 09:02:07');
      expect(formatTime(iso, 'utc')).toBe('2025-03-14 08:02:07 UTC');
    });
  });

  it('show what cannot be read as it is, and nothing for no time', () => {
    expect(formatTime('soon', 'utc')).toBe('soon');
    expect(formatTime(null)).toBe('');
  });
});

describe('the hint after a failed Authenticate, status by status', () => {
  it.each([
    [401, '', 'Check the Client ID and Client Secret in API Settings.'],
    [400, '41', 'Check the Client ID and Client Secret in API Settings.'],
    [null, '', 'Check the Base URL and the network.'],
    [403, '', 'Ask the Oceane administrators whether this Client ID may use the API.'],
    [404, '', 'Check the Base URL: no Oceane token service answers at this address.'],
    [405, '', 'Check the Base URL: no Oceane token service answers at this address.'],
    [408, '', 'Oceane is not answering normally: try again in a few minutes.'],
    [429, '', 'Oceane is not answering normally: try again in a few minutes.'],
    [500, '', 'Oceane is not answering normally: try again in a few minutes.'],
    [599, '', 'Oceane is not answering normally: try again in a few minutes.'],
    [400, '24', ''],
    [409, '', ''],
    [499, '', ''],
  ])('HTTP %s, code "%s"', (status, code, hint) => {
    expect(authFailureHint(error(status, code), true)).toBe(hint);
  });
});

describe('Oceane errors and times as shown', () => {
  it('joins the codes, the message and the description, leaving out empty parts', () => {
    expect(
      formatOceaneError({
        httpStatus: 400,
        appCode: '24',
        message: 'Invalid',
        description: 'severity',
      }),
    ).toBe('HTTP 400, code 24 — Invalid — severity');
    expect(
      formatOceaneError({ httpStatus: 502, appCode: '', message: 'Bad Gateway', description: '' }),
    ).toBe('HTTP 502 — Bad Gateway');
  });

  it('adds a full stop before the hint only when the sentence has none at its end', () => {
    expect(formatAuthResult({ ok: false, error: error(503, '', 'Down, e.g. maintenance') })).toBe(
      'Authentication failed: HTTP 503 — Down, e.g. maintenance. ' +
        'Oceane is not answering normally: try again in a few minutes.',
    );
    expect(formatAuthResult({ ok: false, error: error(503, '', 'Down!') })).toBe(
      'Authentication failed: HTTP 503 — Down! Oceane is not answering normally: try again in a few minutes.',
    );
    expect(formatAuthResult({ ok: false, error: error(409, '', 'Conflict') })).toBe(
      'Authentication failed: HTTP 409 — Conflict',
    );
  });

  it('writes a time as local YYYY-MM-DD HH:mm:ss and its zone, nothing for no time, and an unreadable one as it is', () => {
    const d = new Date(2026, 0, 2, 3, 4, 5);
    expect(formatTime(d.toISOString())).toBe(`2026-01-02 03:04:05 ${localZoneName(d)}`);
    const e = new Date(2026, 10, 12, 13, 14, 15);
    expect(formatTime(e.toISOString())).toBe(`2026-11-12 13:14:15 ${localZoneName(e)}`);
    expect(formatTime('')).toBe('');
    expect(formatTime(null)).toBe('');
    expect(formatTime(undefined)).toBe('');
    expect(formatTime('not a time')).toBe('not a time');
  });
});
