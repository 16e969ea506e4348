/**
 * Bounds and defaults of the settings (the seed's Element Settings and API Settings), kept in
 * one place so that the connector, the Settings view and the schemas agree.
 */

/** Defaults of the seed's Element Settings, plus the API settings of design.md. */
export const SETTINGS_DEFAULTS = {
  ticketStorageDurationDays: 90,
  ticketStorageCountLimit: 1000,
  ticketCreationRetryCount: 1,
  displayDebugPage: false,
  desktopNotifications: true,
  ticketStatusPollSeconds: 60,
  clearAction: 'nothing',
  eventListenerUrl: '',
  baseUrl: '',
  clientId: '',
  userId: '',
  ticketUrlTemplate: '{base}/ticket/{id}',
  requestTimeoutSeconds: 30,
} as const;

/** Inclusive bounds of the numeric settings. */
export const SETTINGS_BOUNDS = {
  ticketStorageDurationDays: { min: 1, max: 3650 },
  ticketStorageCountLimit: { min: 1, max: 1_000_000 },
  ticketCreationRetryCount: { min: 0, max: 10 },
  requestTimeoutSeconds: { min: 1, max: 300 },
  ticketStatusPollSeconds: { min: 10, max: 3600 },
} as const;

/** What happens to an open ticket when its alarms clear (issue 13). */
export const CLEAR_ACTION_CHOICES = ['nothing', 'note', 'resolve'] as const;

/**
 * Checks the address the console listens on for Oceane's events (7.5): empty (no events), or
 * http(s)://host:port with nothing after the port but an optional path.
 */
export function eventListenerUrlProblem(value: string): string | null {
  if (value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a full address such as http://10.0.0.5:47900, or leave it empty for no events';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'The listener address must start with http:// or https://';
  }
  if (url.port === '') return 'The listener address needs a port, such as :47900';
  if (url.username || url.password || url.search || url.hash) {
    return 'The listener address cannot carry a user, a password, a query or a fragment';
  }
  return null;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True when `host` names this machine (plain http is allowed only there). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Checks a Base URL: http(s) only, plain http only for loopback hosts, no credentials, query or
 * fragment. Returns a sentence for the operator, or null when the URL is acceptable.
 * The empty string means "not configured" and is accepted.
 */
export function baseUrlProblem(value: string): string | null {
  if (value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a full URL such as https://oceane.example.com';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return 'The Base URL must start with https:// (or http:// for this machine only)';
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return 'Plain http is allowed only for this machine (localhost); use https:// for a remote Oceane';
  }
  if (url.username || url.password) return 'Do not put credentials in the Base URL';
  if (url.search || url.hash) return 'The Base URL cannot have a query (?) or fragment (#)';
  return null;
}

/** The Base URL without trailing slashes, so that `https://h/` and `https://h` are one base. */
export function normalizeBaseUrl(value: string): string {
  return value.replace(/\/+$/, '');
}

/**
 * Checks the address of a team's DataMiner process (`npm run dataminer`): http(s), a host and
 * a port, nothing else. Returns a sentence for the operator, or null; empty means "the
 * built-in DataMiner". Plain http is accepted: the DataMiner serves a team's own network.
 */
export function dataMinerUrlProblem(value: string): string | null {
  if (value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter the DataMiner address such as http://127.0.0.1:47830, or leave it empty';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'The DataMiner address must start with http:// or https://';
  }
  if (url.username || url.password) return 'Do not put credentials in the DataMiner address';
  if (url.pathname !== '/' || url.search || url.hash) {
    return 'The DataMiner address is only a host and a port, such as http://127.0.0.1:47830';
  }
  return null;
}
