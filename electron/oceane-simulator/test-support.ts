/**
 * Helpers for the simulator's own tests: a create body exactly as oceane-api.md section 2
 * shows it, and the token and create calls made with Node's global fetch.
 */
import type { RunningSimulator } from './types.js';
import { DEMO_CREDENTIALS } from './types.js';

/** The create endpoint's path. */
export const TICKETS = '/tmf-api/troubleTicket/v5/troubleTicket';

/** A create body with every field of the profile, for alarm `<dmaId>/<alarmId>`. */
export function profileBody(dmaId = '12', alarmId = '3456'): Record<string, unknown> {
  return {
    '@type': 'TroubleTicket',
    ticketType: 'incident',
    name: 'Encoder 7: Signal lost',
    description: 'Signal lost on Encoder 7 since 2025-03-01T10:00:00Z',
    severity: 'Major',
    priority: 'High',
    externalIdentifier: [
      {
        '@type': 'ExternalIdentifier',
        owner: 'DataMiner',
        externalIdentifierType: 'alarm',
        id: `${dmaId}/${alarmId}`,
      },
    ],
    relatedEntity: [
      {
        '@type': 'RelatedEntity',
        role: 'alarmedElement',
        entity: {
          '@type': 'EntityRef',
          id: `${dmaId}/77`,
          name: 'Encoder 7',
          '@referredType': 'ManagedElement',
        },
      },
    ],
    relatedParty: [
      {
        '@type': 'RelatedPartyRefOrPartyRoleRef',
        role: 'originator',
        partyOrPartyRole: {
          '@type': 'PartyRef',
          id: DEMO_CREDENTIALS.userId,
          '@referredType': 'Individual',
        },
      },
    ],
    troubleTicketCharacteristic: [
      { '@type': 'StringCharacteristic', name: 'urgency', valueType: 'string', value: 'Medium' },
      { '@type': 'StringCharacteristic', name: 'clientImpact', valueType: 'string', value: 'Low' },
      {
        '@type': 'StringCharacteristic',
        name: 'alarmValue',
        valueType: 'string',
        value: 'Signal lost',
      },
      {
        '@type': 'StringCharacteristic',
        name: 'rootTime',
        valueType: 'string',
        value: '2025-03-01T10:00:00Z',
      },
    ],
  };
}

/** `Basic base64(id:secret)`. */
export function basicAuth(
  id: string = DEMO_CREDENTIALS.clientId,
  secret: string = DEMO_CREDENTIALS.clientSecret,
): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/** The token call of section 1, with the demo credentials unless told otherwise. */
export function requestToken(
  sim: RunningSimulator,
  authorization: string | null = basicAuth(),
): Promise<Response> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  if (authorization !== null) headers.Authorization = authorization;
  return fetch(`${sim.url}/oauth/v3/token`, {
    method: 'POST',
    headers,
    body: 'grant_type=client_credentials',
  });
}

/** A fresh access token (throws when the simulator refuses). */
export async function token(sim: RunningSimulator): Promise<string> {
  const res = await requestToken(sim);
  if (res.status !== 200) throw new Error(`token call answered ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The create call of section 2; `body` is sent as given (a string is sent verbatim). */
export function createTicket(
  sim: RunningSimulator,
  accessToken: string,
  body: unknown = profileBody(),
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${sim.url}${TICKETS}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${accessToken}`,
      'Content-Type': 'application/json',
      Accept: 'application/json',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A GET with the Bearer token. */
export function getWithToken(
  sim: RunningSimulator,
  accessToken: string,
  path: string,
): Promise<Response> {
  return fetch(`${sim.url}${path}`, {
    headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
  });
}

/** A PATCH of section 7.3 or 7.4 with the Bearer token; `body` is sent as JSON. */
export function patchTicket(
  sim: RunningSimulator,
  accessToken: string,
  id: string,
  contentType: string,
  body: unknown,
): Promise<Response> {
  return fetch(`${sim.url}${TICKETS}/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    headers: {
      Authorization: `Bearer ${accessToken}`,
      'Content-Type': contentType,
      Accept: 'application/json',
    },
    body: JSON.stringify(body),
  });
}

/** The JSON Patch of section 7.3 that adds one note. */
export function noteOperation(id: string, text = 'Checked on site'): unknown[] {
  return [
    {
      op: 'add',
      path: '/note/-',
      value: { '@type': 'Note', id, author: 'noc.operator', date: '2025-03-01T11:00:00Z', text },
    },
  ];
}

/** A create body for several alarms (section 7.6): `[dmaId, alarmId, elementId]` each. */
export function groupBody(alarms: [string, string, string][]): Record<string, unknown> {
  const body = profileBody(alarms[0]?.[0], alarms[0]?.[1]);
  body.externalIdentifier = alarms.map(([dma, alarm]) => ({
    '@type': 'ExternalIdentifier',
    owner: 'DataMiner',
    externalIdentifierType: 'alarm',
    id: `${dma}/${alarm}`,
  }));
  const elements = [...new Set(alarms.map(([dma, , element]) => `${dma}/${element}`))];
  body.relatedEntity = elements.map((id) => ({
    '@type': 'RelatedEntity',
    role: 'alarmedElement',
    entity: { '@type': 'EntityRef', id, name: `Element ${id}`, '@referredType': 'ManagedElement' },
  }));
  return body;
}
