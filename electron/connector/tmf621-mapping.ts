/**
 * The one place that knows the shape of an Oceane ticket (oceane-api.md section 2, TMF621 v5
 * `TroubleTicket_FVO`). Adapting the connector to a customer's Oceane schema touches this
 * module and nothing else.
 */
import { alarmKeyString, type CreateTicketRequest } from '../../shared/domain.js';

/** A TMF621 characteristic as the profile sends it. */
export interface StringCharacteristic {
  '@type': 'StringCharacteristic';
  name: string;
  valueType: 'string';
  value: string;
}

/** The create body of section 2. */
export interface TroubleTicketCreateBody {
  '@type': 'TroubleTicket';
  ticketType: 'incident';
  name: string;
  description: string;
  severity: string;
  priority: string;
  externalIdentifier: {
    '@type': 'ExternalIdentifier';
    owner: 'DataMiner';
    externalIdentifierType: 'alarm';
    id: string;
  }[];
  relatedEntity: {
    '@type': 'RelatedEntity';
    role: 'alarmedElement';
    entity: { '@type': 'EntityRef'; id: string; name: string; '@referredType': 'ManagedElement' };
  }[];
  relatedParty?: {
    '@type': 'RelatedPartyRefOrPartyRoleRef';
    role: 'originator';
    partyOrPartyRole: { '@type': 'PartyRef'; id: string; '@referredType': 'Individual' };
  }[];
  troubleTicketCharacteristic: StringCharacteristic[];
}

/** Path of the trouble ticket collection, relative to the Base URL. */
export const TROUBLE_TICKET_PATH = '/tmf-api/troubleTicket/v5/troubleTicket';

/** The alarm's identity in Oceane: `externalIdentifier.id` = `<DMA ID>/<Alarm ID>`. */
export function alarmExternalId(key: { dmaId: string; alarmId: string }): string {
  return alarmKeyString(key);
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/** ISO 8601 in UTC (`2025-03-01T12:00:00Z`), or the input unchanged when it is not a date. */
export function toUtcIso(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** The description sent when the operator left it empty: element, value and root time. */
export function summaryDescription(request: CreateTicketRequest): string {
  const parts = [`Alarm on ${request.elementName.trim()}`];
  if (present(request.alarmValue)) parts.push(`value "${request.alarmValue.trim()}"`);
  if (present(request.rootTime)) parts.push(`root time ${toUtcIso(request.rootTime)}`);
  return `${parts.join(', ')} (DataMiner alarm ${alarmExternalId(request)})`;
}

function characteristic(name: string, value: string): StringCharacteristic {
  return { '@type': 'StringCharacteristic', name, valueType: 'string', value };
}

/**
 * Builds the create body from a validated request and the User ID setting. Optional inputs
 * that are empty are left out entirely (no empty strings, no nulls).
 */
export function toTroubleTicket(
  request: CreateTicketRequest,
  userId: string,
): TroubleTicketCreateBody {
  const elementName = request.elementName.trim();
  const value = present(request.alarmValue) ? request.alarmValue.trim() : undefined;
  const characteristics = [characteristic('urgency', request.urgency)];
  if (present(request.clientImpact)) {
    characteristics.push(characteristic('clientImpact', request.clientImpact));
  }
  if (value !== undefined) characteristics.push(characteristic('alarmValue', value));
  if (present(request.rootTime)) {
    characteristics.push(characteristic('rootTime', toUtcIso(request.rootTime)));
  }
  const body: TroubleTicketCreateBody = {
    '@type': 'TroubleTicket',
    ticketType: 'incident',
    name: value !== undefined ? `${elementName}: ${value}` : elementName,
    description: present(request.description)
      ? request.description.trim()
      : summaryDescription(request),
    severity: request.technicalImpact,
    priority: request.priority,
    externalIdentifier: [
      {
        '@type': 'ExternalIdentifier',
        owner: 'DataMiner',
        externalIdentifierType: 'alarm',
        id: alarmExternalId(request),
      },
    ],
    relatedEntity: [
      {
        '@type': 'RelatedEntity',
        role: 'alarmedElement',
        entity: {
          '@type': 'EntityRef',
          id: `${request.dmaId}/${request.elementId}`,
          name: elementName,
          '@referredType': 'ManagedElement',
        },
      },
    ],
    troubleTicketCharacteristic: characteristics,
  };
  if (present(userId)) {
    body.relatedParty = [
      {
        '@type': 'RelatedPartyRefOrPartyRoleRef',
        role: 'originator',
        partyOrPartyRole: { '@type': 'PartyRef', id: userId.trim(), '@referredType': 'Individual' },
      },
    ];
  }
  return body;
}

/** Headers of the create call: the instance travels as `X-Request-ID` (section 2). */
export function createHeaders(token: string, instance: string): Record<string, string> {
  return {
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'X-Request-ID': instance,
  };
}

/** The search URL of section 3 for an alarm. */
export function searchUrl(baseUrl: string, key: { dmaId: string; alarmId: string }): string {
  return `${baseUrl}${TROUBLE_TICKET_PATH}?externalIdentifier.id=${encodeURIComponent(alarmExternalId(key))}`;
}
