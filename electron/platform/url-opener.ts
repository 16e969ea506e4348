/**
 * Opens ticket links in the user's browser (checklist item 15). The services check every URL
 * against the configured Oceane origin first (electron/ticket-url-policy.ts); this opener is
 * the last gate before `shell.openExternal` and refuses, whatever the caller, anything that
 * is not a plain http(s) URL without credentials. Refusals are logged and rejected.
 */
import type { Logger } from '../connector/ports.js';

/** Why `url` may never reach `shell.openExternal`, or null when it may. */
export function externalUrlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'Not a valid URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    return `Refused to open a ${u.protocol} URL`;
  }
  if (u.username || u.password) return 'Refused a URL that carries credentials';
  if (u.hostname === '') return 'Refused a URL without a host';
  return null;
}

/** Options of the URL opener. */
export interface UrlOpenerOptions {
  /** `shell.openExternal`. */
  openExternal: (url: string) => Promise<void>;
  logger: Logger;
  /** An extra policy (e.g. the Oceane origin check); returns why a URL is refused, or null. */
  policy?: (url: string) => string | null;
}

/** Builds the `openExternal` function given to the services. */
export function createUrlOpener(options: UrlOpenerOptions): (url: string) => Promise<void> {
  return async (url) => {
    const problem = externalUrlProblem(url) ?? options.policy?.(url) ?? null;
    if (problem !== null) {
      options.logger.warn('Refused to open a URL', { url: url.slice(0, 500), problem });
      throw new Error(problem);
    }
    options.logger.info('Opening a ticket URL in the browser', { url: url.slice(0, 500) });
    await options.openExternal(url);
  };
}
