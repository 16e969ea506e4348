/** How the views write times and Oceane results for a person. */
import type { AuthResult, OceaneError } from '../../shared/domain.js';

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** An ISO time as local `YYYY-MM-DD HH:mm:ss`; anything unparsable is shown as it is. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
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

/** The sentence the Settings view shows after Authenticate. */
export function formatAuthResult(result: AuthResult): string {
  return result.ok
    ? `Token valid until ${formatTime(result.validUntil)}`
    : `Authentication failed: ${formatOceaneError(result.error)}`;
}
