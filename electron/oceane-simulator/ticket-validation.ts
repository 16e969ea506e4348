/**
 * Validation of a create body against the Oceane profile (oceane-api.md section 2): the
 * required fields of TMF621 v5 `TroubleTicket_FVO` (`@type`, `description`, `severity`,
 * `ticketType`, and `@type` on every sub-resource, which `Extensible_FVO` requires), the
 * allowed values table, and the shapes of externalIdentifier, relatedEntity, relatedParty and
 * troubleTicketCharacteristic. The first problem found is reported, naming the field.
 */
import { CLIENT_IMPACTS, PRIORITIES, TECHNICAL_IMPACTS, URGENCIES } from '../../shared/domain.js';
import { isRecord } from '../../shared/guards.js';
import { ORANGE_CODES, orangeError, type ErrorAnswer } from './orange-errors.js';
import type {
  TicketCharacteristic,
  TicketExternalIdentifier,
  TicketRelatedEntity,
  TicketRelatedParty,
  TroubleTicketBody,
} from './types.js';

/** The fields of a ticket that the server sets, never the client. */
const SERVER_OWNED_FIELDS = ['id', 'href', 'status', 'creationDate', 'lastUpdate'];

/** A create body that passed validation. */
export type ValidTicketBody = TroubleTicketBody;

/** Outcome of validation: the body, or the 400 answer to send. */
export type TicketValidation =
  { ok: true; value: ValidTicketBody } | { ok: false; error: ErrorAnswer };

/** `<DMA ID>/<X ID>`: two non-empty parts without slashes or white space. */
const PAIR_ID = /^[^/\s]+\/[^/\s]+$/;
/** Deeper nesting than this is refused before it is walked (hostile input). */
const MAX_DEPTH = 32;

class Refusal extends Error {
  constructor(
    readonly code: number,
    readonly field: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

function missing(field: string): never {
  throw new Refusal(ORANGE_CODES.missingBodyField, field, `Missing body field '${field}'`);
}

function invalid(field: string, why: string): never {
  throw new Refusal(ORANGE_CODES.invalidBodyField, field, `Invalid body field '${field}': ${why}`);
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Refuses nulls and empty strings anywhere (section 2: empty optional inputs are left out). */
function checkNoEmpties(value: unknown, path: string, depth: number): void {
  if (depth > MAX_DEPTH) invalid(path, `nested deeper than ${MAX_DEPTH} levels`);
  if (value === null) invalid(path, 'null is not allowed; leave the field out instead');
  if (value === '') invalid(path, 'an empty string is not allowed; leave the field out instead');
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkNoEmpties(item, `${path}[${i}]`, depth + 1));
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      checkNoEmpties(item, path ? `${path}.${key}` : key, depth + 1);
    }
  }
}

function requiredString(obj: Record<string, unknown>, key: string, path: string): string {
  const value = obj[key];
  if (value === undefined) missing(path);
  if (typeof value !== 'string') invalid(path, `expected a string, got ${show(value)}`);
  return value;
}

function optionalString(
  obj: Record<string, unknown>,
  key: string,
  path: string,
): string | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') invalid(path, `expected a string, got ${show(value)}`);
  return value;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], path: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    invalid(path, `must be one of ${allowed.join(', ')} (got ${show(value)})`);
  }
  return value as T;
}

function requiredArray(obj: Record<string, unknown>, key: string): unknown[] {
  const value = obj[key];
  if (value === undefined) missing(key);
  if (!Array.isArray(value)) invalid(key, 'expected an array');
  if (value.length === 0) missing(`${key}[0]`);
  return value;
}

function requiredObject(value: unknown, path: string): Record<string, unknown> {
  if (value === undefined) missing(path);
  if (!isRecord(value)) invalid(path, 'expected an object');
  return value;
}

function checkExternalIdentifiers(body: Record<string, unknown>): TicketExternalIdentifier[] {
  const list = requiredArray(body, 'externalIdentifier').map((item, i) => {
    const path = `externalIdentifier[${i}]`;
    const obj = requiredObject(item, path);
    requiredString(obj, '@type', `${path}.@type`);
    requiredString(obj, 'owner', `${path}.owner`);
    optionalString(obj, 'externalIdentifierType', `${path}.externalIdentifierType`);
    requiredString(obj, 'id', `${path}.id`);
    return obj as unknown as TicketExternalIdentifier;
  });
  // Section 7.6: one entry per alarm of the ticket, each '<DMA ID>/<Alarm ID>', none twice.
  const seen = new Set<string>();
  list.forEach((item, i) => {
    if (item.owner !== 'DataMiner') return;
    if (!PAIR_ID.test(item.id)) {
      invalid(
        `externalIdentifier[${i}].id`,
        `expected '<DMA ID>/<Alarm ID>' (got ${show(item.id)})`,
      );
    }
    if (seen.has(item.id))
      invalid(`externalIdentifier[${i}].id`, `alarm ${item.id} is listed twice`);
    seen.add(item.id);
  });
  if (seen.size === 0) invalid('externalIdentifier', "needs one entry with owner 'DataMiner'");
  return list;
}

function checkRelatedEntities(body: Record<string, unknown>): TicketRelatedEntity[] {
  const list = requiredArray(body, 'relatedEntity').map((item, i) => {
    const path = `relatedEntity[${i}]`;
    const obj = requiredObject(item, path);
    requiredString(obj, '@type', `${path}.@type`);
    requiredString(obj, 'role', `${path}.role`);
    const entity = requiredObject(obj.entity, `${path}.entity`);
    requiredString(entity, '@type', `${path}.entity.@type`);
    requiredString(entity, 'id', `${path}.entity.id`);
    optionalString(entity, 'name', `${path}.entity.name`);
    optionalString(entity, '@referredType', `${path}.entity.@referredType`);
    return obj as unknown as TicketRelatedEntity;
  });
  // Section 7.6: one 'alarmedElement' per element of the ticket's alarms.
  let elements = 0;
  list.forEach((item, i) => {
    if (item.role !== 'alarmedElement') return;
    elements += 1;
    const path = `relatedEntity[${i}].entity`;
    if (!PAIR_ID.test(item.entity.id)) {
      invalid(`${path}.id`, `expected '<DMA ID>/<Element ID>' (got ${show(item.entity.id)})`);
    }
    if (item.entity.name === undefined) missing(`${path}.name`);
  });
  if (elements === 0) invalid('relatedEntity', "needs one entry with role 'alarmedElement'");
  return list;
}

function checkRelatedParties(body: Record<string, unknown>): TicketRelatedParty[] | undefined {
  if (body.relatedParty === undefined) return undefined;
  if (!Array.isArray(body.relatedParty)) invalid('relatedParty', 'expected an array');
  return body.relatedParty.map((item, i) => {
    const path = `relatedParty[${i}]`;
    const obj = requiredObject(item, path);
    requiredString(obj, '@type', `${path}.@type`);
    requiredString(obj, 'role', `${path}.role`);
    if (obj.partyOrPartyRole !== undefined) {
      const party = requiredObject(obj.partyOrPartyRole, `${path}.partyOrPartyRole`);
      requiredString(party, '@type', `${path}.partyOrPartyRole.@type`);
      requiredString(party, 'id', `${path}.partyOrPartyRole.id`);
    }
    return obj as unknown as TicketRelatedParty;
  });
}

function checkCharacteristics(body: Record<string, unknown>): TicketCharacteristic[] {
  const seen = new Set<string>();
  const list = requiredArray(body, 'troubleTicketCharacteristic').map((item, i) => {
    const path = `troubleTicketCharacteristic[${i}]`;
    const obj = requiredObject(item, path);
    const type = requiredString(obj, '@type', `${path}.@type`);
    const name = requiredString(obj, 'name', `${path}.name`);
    optionalString(obj, 'valueType', `${path}.valueType`);
    if (seen.has(name)) invalid(`${path}.name`, `characteristic '${name}' appears twice`);
    seen.add(name);
    if (obj.value === undefined) missing(`${path}.value`);
    if (type === 'StringCharacteristic' && typeof obj.value !== 'string') {
      invalid(`${path}.value`, `expected a string, got ${show(obj.value)}`);
    }
    const field = `troubleTicketCharacteristic[${name}].value`;
    const wellKnown = ['urgency', 'clientImpact', 'alarmValue', 'rootTime'];
    if (wellKnown.includes(name) && typeof obj.value !== 'string') {
      invalid(field, `expected a string, got ${show(obj.value)}`);
    }
    const value = obj.value as string;
    if (name === 'urgency') oneOf(value, URGENCIES, field);
    if (name === 'clientImpact') oneOf(value, CLIENT_IMPACTS, field);
    if (name === 'rootTime' && Number.isNaN(Date.parse(value))) {
      invalid(field, `expected an ISO 8601 date-time (got ${show(value)})`);
    }
    return obj as unknown as TicketCharacteristic;
  });
  if (!seen.has('urgency')) missing('troubleTicketCharacteristic[urgency]');
  return list;
}

function check(input: unknown): ValidTicketBody {
  if (!isRecord(input)) {
    throw new Refusal(ORANGE_CODES.invalidBody, 'body', 'The body must be a JSON object');
  }
  checkNoEmpties(input, '', 0);
  const type = requiredString(input, '@type', '@type');
  if (type !== 'TroubleTicket') invalid('@type', `must be 'TroubleTicket' (got ${show(type)})`);
  const ticketType = requiredString(input, 'ticketType', 'ticketType');
  if (ticketType !== 'incident')
    invalid('ticketType', `must be 'incident' (got ${show(ticketType)})`);
  optionalString(input, 'name', 'name');
  requiredString(input, 'description', 'description');
  oneOf(requiredString(input, 'severity', 'severity'), TECHNICAL_IMPACTS, 'severity');
  oneOf(requiredString(input, 'priority', 'priority'), PRIORITIES, 'priority');
  checkExternalIdentifiers(input);
  checkRelatedEntities(input);
  checkRelatedParties(input);
  checkCharacteristics(input);
  const copy: Record<string, unknown> = structuredClone(input);
  for (const key of SERVER_OWNED_FIELDS) delete copy[key];
  return copy as ValidTicketBody;
}

/**
 * Checks a parsed create body. A missing required field is refused with 400 code 25, any
 * other bad field (wrong type, value outside the table, malformed identifier) with code 24;
 * the description names the field. Server-owned fields the client sent are dropped.
 */
export function validateTicketBody(input: unknown): TicketValidation {
  try {
    return { ok: true, value: check(input) };
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    const message =
      e.code === ORANGE_CODES.missingBodyField
        ? 'Missing body field'
        : e.code === ORANGE_CODES.invalidBody
          ? 'Invalid body'
          : 'Invalid body field';
    return { ok: false, error: orangeError(400, e.code, message, e.detail) };
  }
}
