/** How the views write times and Oceane results for a person. */
import type { AuthResult, OceaneError } from '../../shared/domain.js';

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Where times are shown: the operator's time zone, or UTC. */
export type TimeZoneChoice = 'local' | 'utc';

/** Short zone names already worked out, by locale and the zone's offset and long name. */
const zoneNames = new Map<string, string>();
const ZONE_NAMES_MAX = 64;

/**
 * The short name of the local time zone at `d` ("CET", "GMT+2"), as the operator reads it.
 * Making an Intl.DateTimeFormat costs about half a millisecond, and every time cell of every
 * rendered row asks: the name is kept per locale and per what `Date#toString` ends with (the
 * offset and the zone's long name, e.g. "GMT+0100 (Central European Standard Time)"), which
 * tells summer time from winter time and one zone from another.
 */
export function localZoneName(d: Date, locale?: string): string {
  const text = d.toString();
  const key = `${locale ?? ''}|${text.slice(text.indexOf('GMT'))}`;
  let name = zoneNames.get(key);
  if (name === undefined) {
    const part = new Intl.DateTimeFormat(locale, { timeZoneName: 'short' })
      .formatToParts(d)
      .find((p) => p.type === 'timeZoneName');
    name = part?.value ?? 'local time';
    if (zoneNames.size >= ZONE_NAMES_MAX) zoneNames.clear();
    zoneNames.set(key, name);
  }
  return name;
}

/**
 * An ISO time as `YYYY-MM-DD HH:mm:ss <zone>`, in local time (with the zone's short name) or
 * in UTC, so the operator always knows which clock a time is on. Anything unparsable is shown
 * as it is.
 */
export function formatTime(iso: string | null | undefined, zone: TimeZoneChoice = 'local'): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const utc = zone === 'utc';
  const [y, mo, day, h, mi, s] = utc
    ? [
        d.getUTCFullYear(),
        d.getUTCMonth(),
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
      ]
    : [d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
  return `${y}-${pad(mo + 1)}-${pad(day)} ${pad(h)}:${pad(mi)}:${pad(s)} ${utc ? 'UTC' : localZoneName(d)}`;
}

/** "HTTP 401, code 41 — Invalid credentials — description", parts left out when empty. */
export function formatOceaneError(error: OceaneError): string {
  const codes = [
    error.httpStatus === null ? 'no HTTP response' : `HTTP ${error.httpStatus}`,
    error.appCode ? `code ${error.appCode}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return [codes, error.message, error.description].filter(Boolean).join(' — ');
}

/** Oceane's application codes for missing, invalid and expired credentials (oceane-api.md §4). */
const CREDENTIAL_CODES = new Set(['40', '41', '42']);

/**
 * What the operator should check after a failed Authenticate, or '' when the message already
 * says it. `configured` is false while the Base URL, Client ID or Client Secret is missing:
 * main's message then names what to set.
 */
export function authFailureHint(error: OceaneError, configured: boolean): string {
  if (!configured) return '';
  const status = error.httpStatus;
  if (status === 401 || CREDENTIAL_CODES.has(error.appCode)) {
    return 'Check the Client ID and Client Secret in API Settings.';
  }
  if (status === null) return 'Check the Base URL and the network.';
  if (status === 403) {
    return 'Ask the Oceane administrators whether this Client ID may use the API.';
  }
  if (status === 404 || status === 405) {
    return 'Check the Base URL: no Oceane token service answers at this address.';
  }
  if (status === 408 || status === 429 || status >= 500) {
    return 'Oceane is not answering normally: try again in a few minutes.';
  }
  return '';
}

/** A sentence, then a hint after it (with a full stop in between when needed). */
function withHint(sentence: string, hint: string): string {
  if (!hint) return sentence;
  return `${sentence}${/[.!?]$/.test(sentence) ? '' : '.'} ${hint}`;
}

/** The sentence the Settings view shows after Authenticate, with what to check on failure. */
export function formatAuthResult(result: AuthResult, configured = true): string {
  return result.ok
    ? `Token valid until ${formatTime(result.validUntil)}`
    : withHint(
        `Authentication failed: ${formatOceaneError(result.error)}`,
        authFailureHint(result.error, configured),
      );
}
