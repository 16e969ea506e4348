/**
 * Which route a request addresses: method, path and (for the ticket list) query mapped to a
 * route of the profile, the human ticket page, 405 or 404. Routes are the unit of fault
 * injection, so the list with `lastUpdate.gt` (7.1) is a route of its own beside the search.
 */
import type { SimulatorRoute } from './types.js';

/** Path of the token endpoint (section 1). */
export const TOKEN_PATH = '/oauth/v3/token';
/** Path of the TroubleTicket collection (sections 2, 3 and 7). */
export const TROUBLE_TICKET_PATH = '/tmf-api/troubleTicket/v5/troubleTicket';
/** Path of the event subscriptions (section 7.5). */
export const HUB_PATH = '/tmf-api/troubleTicket/v5/hub';
/** Path prefix of the human ticket page. */
export const TICKET_PAGE_PATH = '/ticket/';
/** Path prefix of the simulator-only control routes. */
export const CONTROL_PATH = '/__simulator/';

/** What a request target addresses. */
export type Target =
  | { kind: 'route'; route: SimulatorRoute; id?: string }
  | { kind: 'page'; id: string }
  | { kind: 'method-not-allowed'; allow: string }
  | { kind: 'not-found' };

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** The one path segment after `prefix/`, decoded; null when there is none or more than one. */
function idAfter(pathname: string, prefix: string): string | null {
  if (!pathname.startsWith(prefix)) return null;
  const rest = pathname.slice(prefix.length);
  if (rest === '' || rest.includes('/')) return null;
  return decodeSegment(rest);
}

/** The path and the query parameters of a request target. */
export function splitTarget(target: string): { pathname: string; params: URLSearchParams } {
  try {
    const url = new URL(target, 'http://simulator.invalid');
    return { pathname: url.pathname, params: url.searchParams };
  } catch {
    // A target that is not a URL path is kept as it is (404).
    return { pathname: target, params: new URLSearchParams() };
  }
}

/** Maps method, path and query to a route, the ticket page, 405 or 404. */
export function resolveTarget(method: string, pathname: string, params: URLSearchParams): Target {
  if (pathname === TOKEN_PATH) {
    return method === 'POST'
      ? { kind: 'route', route: 'token' }
      : { kind: 'method-not-allowed', allow: 'POST' };
  }
  if (pathname === TROUBLE_TICKET_PATH) {
    if (method === 'POST') return { kind: 'route', route: 'create' };
    if (method === 'GET') {
      return { kind: 'route', route: params.has('lastUpdate.gt') ? 'changes' : 'find' };
    }
    return { kind: 'method-not-allowed', allow: 'GET, POST' };
  }
  if (pathname === HUB_PATH) {
    return method === 'POST'
      ? { kind: 'route', route: 'hub' }
      : { kind: 'method-not-allowed', allow: 'POST' };
  }
  const hubId = idAfter(pathname, `${HUB_PATH}/`);
  if (hubId !== null) {
    return method === 'DELETE'
      ? { kind: 'route', route: 'unsubscribe', id: hubId }
      : { kind: 'method-not-allowed', allow: 'DELETE' };
  }
  const ticketId = idAfter(pathname, `${TROUBLE_TICKET_PATH}/`);
  if (ticketId !== null) {
    if (method === 'GET') return { kind: 'route', route: 'get', id: ticketId };
    if (method === 'PATCH') return { kind: 'route', route: 'patch', id: ticketId };
    return { kind: 'method-not-allowed', allow: 'GET, PATCH' };
  }
  const pageId = idAfter(pathname, TICKET_PAGE_PATH);
  if (pageId !== null) {
    return method === 'GET'
      ? { kind: 'page', id: pageId }
      : { kind: 'method-not-allowed', allow: 'GET' };
  }
  return { kind: 'not-found' };
}
