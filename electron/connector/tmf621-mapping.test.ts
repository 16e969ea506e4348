import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CreateTicketRequest } from '../../shared/domain.js';
import {
  changesUrl,
  clearedResolution,
  createHeaders,
  hubBody,
  noteBody,
  patchHeaders,
  searchUrl,
  statusChangeBody,
  summaryDescription,
  toTroubleTicket,
  toUtcIso,
} from './tmf621-mapping.js';

const SPEC_PATH = fileURLToPath(
  new URL('./spec/TMF621-Trouble_Ticket-v5.0.0.oas.yaml', import.meta.url),
);

type Schema = Record<string, unknown>;

/**
 * A small checker for the subset of OpenAPI 3 schema that TMF621 uses: $ref, allOf, type,
 * properties, required, items, and discriminator mappings on `@type` (a sub-resource that
 * names its `@type` is also checked against the schema that type maps to).
 */
class SchemaChecker {
  constructor(private readonly schemas: Record<string, Schema>) {}

  private resolve(ref: string): { name: string; schema: Schema } {
    const name = ref.replace('#/components/schemas/', '');
    const schema = this.schemas[name];
    if (!schema) throw new Error(`unresolved $ref ${ref}`);
    return { name, schema };
  }

  check(name: string, value: unknown): string[] {
    const problems: string[] = [];
    this.walk(
      this.resolve(`#/components/schemas/${name}`).schema,
      value,
      '$',
      problems,
      new Set([name]),
    );
    return problems;
  }

  private walk(
    schema: Schema,
    value: unknown,
    path: string,
    problems: string[],
    seen: Set<string>,
  ) {
    if (typeof schema.$ref === 'string') {
      const { name, schema: target } = this.resolve(schema.$ref);
      if (seen.has(name)) return;
      this.walk(target, value, path, problems, new Set([...seen, name]));
      return;
    }
    if (Array.isArray(schema.allOf)) {
      for (const part of schema.allOf as Schema[]) this.walk(part, value, path, problems, seen);
    }
    const type = schema.type;
    if (type === 'object' || schema.properties || schema.required) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push(`${path}: expected an object`);
        return;
      }
      const obj = value as Record<string, unknown>;
      for (const key of (schema.required as string[] | undefined) ?? []) {
        if (obj[key] === undefined) problems.push(`${path}: missing required ${key}`);
      }
      const props = (schema.properties as Record<string, Schema> | undefined) ?? {};
      for (const [key, sub] of Object.entries(props)) {
        if (obj[key] !== undefined) this.walk(sub, obj[key], `${path}.${key}`, problems, seen);
      }
    } else if (type === 'array') {
      if (!Array.isArray(value)) {
        problems.push(`${path}: expected an array`);
        return;
      }
      value.forEach((item, i) =>
        this.walk(schema.items as Schema, item, `${path}[${i}]`, problems, seen),
      );
    } else if (type === 'string') {
      if (typeof value !== 'string') problems.push(`${path}: expected a string`);
      else if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
        problems.push(`${path}: ${value} is not one of ${schema.enum.join(', ')}`);
      } else if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) {
        problems.push(`${path}: not a date-time`);
      }
    } else if (type === 'number' || type === 'integer') {
      if (typeof value !== 'number') problems.push(`${path}: expected a number`);
    } else if (type === 'boolean') {
      if (typeof value !== 'boolean') problems.push(`${path}: expected a boolean`);
    }
    const discriminator = schema.discriminator as
      { propertyName: string; mapping?: Record<string, string> } | undefined;
    if (discriminator && typeof value === 'object' && value !== null) {
      const tag = (value as Record<string, unknown>)[discriminator.propertyName];
      const ref = typeof tag === 'string' ? discriminator.mapping?.[tag] : undefined;
      if (ref) {
        const { name } = this.resolve(ref);
        if (!seen.has(name)) this.walk({ $ref: ref }, value, path, problems, seen);
      }
    }
  }
}

function loadChecker(): SchemaChecker {
  const doc = parse(readFileSync(SPEC_PATH, 'utf8')) as {
    components: { schemas: Record<string, Schema> };
  };
  return new SchemaChecker(doc.components.schemas);
}

const full: CreateTicketRequest = {
  dmaId: '123',
  elementId: '45',
  alarmId: '6789',
  elementName: 'PAR-CORE-RTR-01',
  alarmValue: 'Link down',
  rootTime: '2025-03-01T12:30:00+01:00',
  priority: 'High',
  urgency: 'Medium',
  technicalImpact: 'Major',
  clientImpact: 'Low',
  description: 'Core router uplink lost',
};

const minimal: CreateTicketRequest = {
  dmaId: '123',
  elementId: '45',
  alarmId: '6789',
  elementName: 'PAR-CORE-RTR-01',
  priority: 'Low',
  urgency: 'Low',
  technicalImpact: 'Warning',
};

describe('TMF621 mapping', () => {
  it('produces a body that conforms to TroubleTicket_FVO of TMF621 v5', () => {
    const checker = loadChecker();
    for (const body of [toTroubleTicket(full, 'noc.operator'), toTroubleTicket(minimal, '')]) {
      expect(checker.check('TroubleTicket_FVO', body)).toEqual([]);
      // The checker itself notices a missing required field.
      const broken: Record<string, unknown> = { ...body };
      delete broken.severity;
      expect(checker.check('TroubleTicket_FVO', broken)).toContain('$: missing required severity');
    }
  });

  it('catches a sub-resource without its @type (the checker is not vacuous)', () => {
    const body = toTroubleTicket(full, 'u') as unknown as {
      externalIdentifier: Record<string, unknown>[];
    };
    delete body.externalIdentifier[0]!['@type'];
    expect(loadChecker().check('TroubleTicket_FVO', body)).toContain(
      '$.externalIdentifier[0]: missing required @type',
    );
  });

  it('maps every field of a full request exactly as the API profile says', () => {
    expect(toTroubleTicket(full, 'noc.operator')).toEqual({
      '@type': 'TroubleTicket',
      ticketType: 'incident',
      name: 'PAR-CORE-RTR-01: Link down',
      description: 'Core router uplink lost',
      severity: 'Major',
      priority: 'High',
      externalIdentifier: [
        {
          '@type': 'ExternalIdentifier',
          owner: 'DataMiner',
          externalIdentifierType: 'alarm',
          id: '123/6789',
        },
      ],
      relatedEntity: [
        {
          '@type': 'RelatedEntity',
          role: 'alarmedElement',
          entity: {
            '@type': 'EntityRef',
            id: '123/45',
            name: 'PAR-CORE-RTR-01',
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
            id: 'noc.operator',
            '@referredType': 'Individual',
          },
        },
      ],
      troubleTicketCharacteristic: [
        { '@type': 'StringCharacteristic', name: 'urgency', valueType: 'string', value: 'Medium' },
        {
          '@type': 'StringCharacteristic',
          name: 'clientImpact',
          valueType: 'string',
          value: 'Low',
        },
        {
          '@type': 'StringCharacteristic',
          name: 'alarmValue',
          valueType: 'string',
          value: 'Link down',
        },
        {
          '@type': 'StringCharacteristic',
          name: 'rootTime',
          valueType: 'string',
          value: '2025-03-01T11:30:00Z',
        },
      ],
    });
  });

  it('leaves empty optional inputs out instead of sending empty strings or nulls', () => {
    const body = toTroubleTicket({ ...minimal, alarmValue: '', description: '  ' }, '');
    const text = JSON.stringify(body);
    expect(text).not.toContain('""');
    expect(text).not.toContain('null');
    expect(body.relatedParty).toBeUndefined();
    expect(body.troubleTicketCharacteristic.map((c) => c.name)).toEqual(['urgency']);
    expect(body.name).toBe('PAR-CORE-RTR-01');
  });

  it('summarises element, value and root time when the description is empty', () => {
    const body = toTroubleTicket({ ...full, description: '' }, 'u');
    expect(body.description).toBe(summaryDescription({ ...full, description: '' }));
    expect(body.description).toContain('PAR-CORE-RTR-01');
    expect(body.description).toContain('Link down');
    expect(body.description).toContain('2025-03-01T11:30:00Z');
  });

  it('sends the instance as X-Request-ID and searches by the encoded alarm key', () => {
    expect(createHeaders('tok', 'abc-1')).toMatchObject({
      Authorization: 'Bearer tok',
      'X-Request-ID': 'abc-1',
      'Content-Type': 'application/json',
      Accept: 'application/json',
    });
    expect(searchUrl('http://h', { dmaId: '1', alarmId: '2' })).toBe(
      'http://h/tmf-api/troubleTicket/v5/troubleTicket?externalIdentifier.id=1%2F2',
    );
  });

  it('trims what the operator typed before sending it', () => {
    const body = toTroubleTicket(
      {
        ...full,
        elementName: '  PAR-CORE-RTR-01 ',
        alarmValue: ' Link down  ',
        description: '  Core router uplink lost ',
      },
      '  jdoe ',
    );
    expect(body.name).toBe('PAR-CORE-RTR-01: Link down');
    expect(body.description).toBe('Core router uplink lost');
    expect(body.relatedEntity[0]?.entity.name).toBe('PAR-CORE-RTR-01');
    expect(body.troubleTicketCharacteristic).toContainEqual({
      '@type': 'StringCharacteristic',
      name: 'alarmValue',
      valueType: 'string',
      value: 'Link down',
    });
    expect(body.relatedParty?.[0]?.partyOrPartyRole.id).toBe('jdoe');
  });

  it('writes the summary description in full, with only the parts there are', () => {
    const padded = {
      ...full,
      elementName: ' PAR-CORE-RTR-01 ',
      alarmValue: ' Link down ',
      description: '',
    };
    expect(summaryDescription(padded)).toBe(
      'Alarm on PAR-CORE-RTR-01, value "Link down", root time 2025-03-01T11:30:00Z (DataMiner alarm 123/6789)',
    );
    expect(summaryDescription(minimal)).toBe('Alarm on PAR-CORE-RTR-01 (DataMiner alarm 123/6789)');
  });

  it('writes times in UTC, keeping milliseconds, and leaves a text that is not a time as it is', () => {
    expect(toUtcIso('2025-03-01T12:30:00+01:00')).toBe('2025-03-01T11:30:00Z');
    expect(toUtcIso('2025-03-01T12:30:00.250+01:00')).toBe('2025-03-01T11:30:00.250Z');
    expect(toUtcIso('yesterday evening')).toBe('yesterday evening');
  });
});

describe('TMF621 bodies of section 7', () => {
  const others = [
    { dmaId: '123', alarmId: '7000', elementId: '45', elementName: 'PAR-CORE-RTR-01' },
    { dmaId: '124', alarmId: '7001', elementId: '46', elementName: ' LYO-EDGE-RTR-02 ' },
    { dmaId: '123', alarmId: '6789', elementId: '45', elementName: 'PAR-CORE-RTR-01' },
  ];

  it('lists every alarm once and every element once in one create body (7.6)', () => {
    const body = toTroubleTicket(full, 'noc.operator', others);
    expect(loadChecker().check('TroubleTicket_FVO', body)).toEqual([]);
    expect(body.externalIdentifier.map((x) => x.id)).toEqual(['123/6789', '123/7000', '124/7001']);
    expect(body.relatedEntity.map((x) => [x.entity.id, x.entity.name])).toEqual([
      ['123/45', 'PAR-CORE-RTR-01'],
      ['124/46', 'LYO-EDGE-RTR-02'],
    ]);
    expect(toTroubleTicket(full, 'noc.operator', [])).toEqual(
      toTroubleTicket(full, 'noc.operator'),
    );
  });

  it('adds a note with a JSON Patch whose value is a Note_FVO (7.3)', () => {
    const body = noteBody({
      id: 'note-1',
      author: ' noc.operator ',
      date: '2025-03-01T12:00:00+01:00',
      text: ' Rebooted the card ',
    });
    expect(body).toEqual([
      {
        op: 'add',
        path: '/note/-',
        value: {
          '@type': 'Note',
          id: 'note-1',
          author: 'noc.operator',
          date: '2025-03-01T11:00:00Z',
          text: 'Rebooted the card',
        },
      },
    ]);
    expect(loadChecker().check('Note_FVO', body[0].value)).toEqual([]);
    expect(
      noteBody({ id: 'n', author: '', date: '2025-03-01T11:00:00Z', text: 'x' })[0].value,
    ).not.toHaveProperty('author');
  });

  it('resolves with a merge patch that is a TroubleTicket_MVO, the clear time as resolution date (7.4)', () => {
    const body = statusChangeBody(clearedResolution('2025-03-01T12:00:00+01:00'));
    expect(body).toEqual({
      '@type': 'TroubleTicket',
      status: 'resolved',
      statusChangeReason: 'Alarm cleared in DataMiner at 2025-03-01T11:00:00Z',
      resolutionDate: '2025-03-01T11:00:00Z',
    });
    expect(loadChecker().check('TroubleTicket_MVO', body)).toEqual([]);
    expect(
      statusChangeBody({
        status: 'inProgress',
        reason: 'x',
        resolutionDate: '2025-03-01T11:00:00Z',
      }),
    ).not.toHaveProperty('resolutionDate');
  });

  it('subscribes with a Hub_FVO naming the three events (7.5)', () => {
    const body = hubBody('https://console.example/oceane');
    expect(loadChecker().check('Hub_FVO', body)).toEqual([]);
    expect(body.query).toBe(
      'eventType=TroubleTicketStatusChangeEvent,TroubleTicketResolvedEvent,TroubleTicketAttributeValueChangeEvent',
    );
  });

  it('asks for the changes since a moment with paging and fields (7.1), and patches with the right type', () => {
    const url = new URL(changesUrl('https://h', '2025-03-01T10:00:00.000Z', 200, 100));
    expect(url.pathname).toBe('/tmf-api/troubleTicket/v5/troubleTicket');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      'externalIdentifier.owner': 'DataMiner',
      'lastUpdate.gt': '2025-03-01T10:00:00.000Z',
      sort: 'lastUpdate',
      offset: '200',
      limit: '100',
      fields:
        'id,status,statusChangeDate,statusChangeReason,lastUpdate,resolutionDate,externalIdentifier,note',
    });
    expect(patchHeaders('t', 'note', 'n-1')['Content-Type']).toBe('application/json-patch+json');
    expect(patchHeaders('t', 'status', 's-1')).toMatchObject({
      'Content-Type': 'application/merge-patch+json',
      'X-Request-ID': 's-1',
    });
  });
});
