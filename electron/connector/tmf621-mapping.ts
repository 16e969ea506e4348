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
  return summaryWith(request, present(request.rootTime) ? toUtcIso(request.rootTime) : undefined);
}

/** `summaryDescription` with the root time already in UTC (converted once per body). */
function summaryWith(request: CreateTicketRequest, rootTime: string | undefined): string {
  const parts = [`Alarm on ${request.elementName.trim()}`];
  if (present(request.alarmValue)) parts.push(`value "${request.alarmValue.trim()}"`);
  if (rootTime !== undefined) parts.push(`root time ${rootTime}`);
  return `${parts.join(', ')} (DataMiner alarm ${alarmExternalId(request)})`;
}

function characteristic(name: string, value: string): StringCharacteristic {
  return { '@type': 'StringCharacteristic', name, valueType: 'string', value };
}

/** Another alarm of a ticket for several alarms (oceane-api.md section 7.6). */
export interface OtherTicketAlarm {
  dmaId: string;
  alarmId: string;
  elementId: string;
  elementName: string;
}

/**
 * Builds the create body from a validated request and the User ID setting. Optional inputs
 * that are empty are left out entirely (no empty strings, no nulls). With `otherAlarms`, one
 * ticket stands for several alarms (section 7.6): `externalIdentifier` lists every alarm once
 * and `relatedEntity` every element once; the request's alarm comes first.
 */
export function toTroubleTicket(
  request: CreateTicketRequest,
  userId: string,
  otherAlarms: readonly OtherTicketAlarm[] = [],
): TroubleTicketCreateBody {
  const elementName = request.elementName.trim();
  const value = present(request.alarmValue) ? request.alarmValue.trim() : undefined;
  const characteristics = [characteristic('urgency', request.urgency)];
  if (present(request.clientImpact)) {
    characteristics.push(characteristic('clientImpact', request.clientImpact));
  }
  if (value !== undefined) characteristics.push(characteristic('alarmValue', value));
  const rootTime = present(request.rootTime) ? toUtcIso(request.rootTime) : undefined;
  if (rootTime !== undefined) characteristics.push(characteristic('rootTime', rootTime));
  const body: TroubleTicketCreateBody = {
    '@type': 'TroubleTicket',
    ticketType: 'incident',
    name: value !== undefined ? `${elementName}: ${value}` : elementName,
    description: present(request.description)
      ? request.description.trim()
      : summaryWith(request, rootTime),
    severity: request.technicalImpact,
    priority: request.priority,
    externalIdentifier: [],
    relatedEntity: [],
    troubleTicketCharacteristic: characteristics,
  };
  const alarms = [{ ...request, elementName }, ...otherAlarms];
  for (const alarm of alarms) {
    const id = alarmExternalId(alarm);
    if (body.externalIdentifier.some((x) => x.id === id)) continue;
    body.externalIdentifier.push({
      '@type': 'ExternalIdentifier',
      owner: 'DataMiner',
      externalIdentifierType: 'alarm',
      id,
    });
    const elementId = `${alarm.dmaId}/${alarm.elementId}`;
    if (body.relatedEntity.some((x) => x.entity.id === elementId)) continue;
    body.relatedEntity.push({
      '@type': 'RelatedEntity',
      role: 'alarmedElement',
      entity: {
        '@type': 'EntityRef',
        id: elementId,
        name: alarm.elementName.trim(),
        '@referredType': 'ManagedElement',
      },
    });
  }
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

/** Path of the event subscriptions (section 7.5), relative to the Base URL. */
export const HUB_PATH = '/tmf-api/troubleTicket/v5/hub';
/** The fields a poll asks for (section 7.1). */
export const CHANGE_FIELDS =
  'id,status,statusChangeDate,statusChangeReason,lastUpdate,resolutionDate,externalIdentifier,note';
/** The events the connector subscribes to (section 7.5). */
export const SUBSCRIBED_EVENTS = [
  'TroubleTicketStatusChangeEvent',
  'TroubleTicketResolvedEvent',
  'TroubleTicketAttributeValueChangeEvent',
] as const;

/** The API URL of one ticket. */
export function ticketApiUrl(baseUrl: string, ticketId: string): string {
  return `${baseUrl}${TROUBLE_TICKET_PATH}/${encodeURIComponent(ticketId)}`;
}

/** One page of the changes since a moment (section 7.1), oldest change first. */
export function changesUrl(baseUrl: string, since: string, offset: number, limit: number): string {
  const query = new URLSearchParams({
    'externalIdentifier.owner': 'DataMiner',
    'lastUpdate.gt': since,
    sort: 'lastUpdate',
    offset: String(offset),
    limit: String(limit),
    fields: CHANGE_FIELDS,
  });
  return `${baseUrl}${TROUBLE_TICKET_PATH}?${query.toString()}`;
}

/** A note the console adds to a ticket; its id is the note request's instance. */
export interface NoteInput {
  id: string;
  author: string;
  /** ISO 8601. */
  date: string;
  text: string;
}

/** The JSON Patch of section 7.3 that adds one note (`Note_FVO`). */
export function noteBody(note: NoteInput): [
  {
    op: 'add';
    path: '/note/-';
    value: { '@type': 'Note'; id: string; author?: string; date: string; text: string };
  },
] {
  const value: { '@type': 'Note'; id: string; author?: string; date: string; text: string } = {
    '@type': 'Note',
    id: note.id,
    date: toUtcIso(note.date),
    text: note.text.trim(),
  };
  if (present(note.author)) value.author = note.author.trim();
  return [{ op: 'add', path: '/note/-', value }];
}

/** A status change the console asks for (section 7.4). */
export interface StatusChangeInput {
  status: string;
  reason: string;
  /** ISO 8601; sent only when the status is `resolved`. */
  resolutionDate?: string;
}

/** The merge patch of section 7.4 (`TroubleTicket_MVO`). */
export function statusChangeBody(change: StatusChangeInput): {
  '@type': 'TroubleTicket';
  status: string;
  statusChangeReason: string;
  resolutionDate?: string;
} {
  const body: {
    '@type': 'TroubleTicket';
    status: string;
    statusChangeReason: string;
    resolutionDate?: string;
  } = { '@type': 'TroubleTicket', status: change.status, statusChangeReason: change.reason.trim() };
  if (change.status === 'resolved' && present(change.resolutionDate)) {
    body.resolutionDate = toUtcIso(change.resolutionDate);
  }
  return body;
}

/** The resolution of a ticket whose alarms cleared: the clear time is the resolution date. */
export function clearedResolution(clearedAt: string): StatusChangeInput {
  const at = toUtcIso(clearedAt);
  return {
    status: 'resolved',
    reason: `Alarm cleared in DataMiner at ${at}`,
    resolutionDate: at,
  };
}

/** The subscription of section 7.5 (`Hub_FVO`). */
export function hubBody(callback: string): { '@type': 'Hub'; callback: string; query: string } {
  return { '@type': 'Hub', callback, query: `eventType=${SUBSCRIBED_EVENTS.join(',')}` };
}

/** Headers of a PATCH: JSON Patch for notes, merge patch for status (sections 7.3, 7.4). */
export function patchHeaders(
  token: string,
  kind: 'note' | 'status',
  instance: string,
): Record<string, string> {
  return {
    Authorization: `Bearer ${token}`,
    'Content-Type':
      kind === 'note' ? 'application/json-patch+json' : 'application/merge-patch+json',
    Accept: 'application/json',
    'X-Request-ID': instance,
  };
}
