/**
 * Which ticket URLs the app may open in the user's browser ("Go To Ticket"): only http(s)
 * URLs whose origin is the configured Oceane origin. Everything else is refused, so neither a
 * hostile answer from Oceane nor a compromised renderer can make the app open an arbitrary
 * URL or scheme.
 */
import { normalizeBaseUrl } from '../shared/settings-rules.js';

/** Why `url` may not be opened with Base URL `baseUrl`, or null when it may. */
export function ticketUrlProblem(url: string, baseUrl: string): string | null {
  if (baseUrl === '') return 'No Oceane Base URL is configured';
  let target: URL;
  let base: URL;
  try {
    target = new URL(url);
  } catch {
    return 'Not a valid URL';
  }
  try {
    base = new URL(normalizeBaseUrl(baseUrl));
  } catch {
    return 'The configured Base URL is not valid';
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    return `Refused to open a ${target.protocol} URL: only http(s) ticket links are opened`;
  }
  if (target.username || target.password) return 'Refused a URL that carries credentials';
  if (target.origin !== base.origin) {
    return `Refused to open ${target.origin}: ticket links must be on the Oceane server ${base.origin}`;
  }
  return null;
}
