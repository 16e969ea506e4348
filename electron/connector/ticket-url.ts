/**
 * The human page of a ticket ("Oceane Ticket URL"), built from the template of the settings.
 * Only an absolute http(s) URL is ever returned: nothing else may reach an alarm property or
 * be opened.
 */
import { normalizeBaseUrl } from '../../shared/settings-rules.js';

/**
 * Fills `{base}` (the Base URL without trailing slash) and `{id}` (URL-encoded) into the
 * template. Returns null when the result is not an absolute http(s) URL.
 */
export function buildTicketUrl(template: string, baseUrl: string, ticketId: string): string | null {
  const filled = template
    .split('{base}')
    .join(normalizeBaseUrl(baseUrl))
    .split('{id}')
    .join(encodeURIComponent(ticketId));
  return safeHttpUrl(filled);
}

/** The URL itself when it is absolute http(s) without credentials, otherwise null. */
export function safeHttpUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  return url.href;
}

/** Why a template cannot produce safe ticket URLs, or null (checked with a sample id). */
export function ticketUrlTemplateProblem(template: string, baseUrl: string): string | null {
  if (!template.includes('{id}')) return 'The ticket URL template must contain {id}';
  const base = baseUrl === '' ? 'https://oceane.example.com' : baseUrl;
  if (buildTicketUrl(template, base, 'TT-1') === null) {
    return 'The ticket URL template must give an http(s) address, such as {base}/ticket/{id}';
  }
  return null;
}
