import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from './server.js';
import { createTicket, profileBody, token } from './test-support.js';
import type { RunningSimulator, TroubleTicket } from './types.js';

let sim: RunningSimulator;
let accessToken: string;
beforeEach(async () => {
  sim = await startSimulator({ now: () => Date.parse('2025-06-01T12:00:00.000Z') });
  accessToken = await token(sim);
});
afterEach(() => sim.close());

type Body = Record<string, unknown>;
type Characteristic = { name: string; value: unknown };

function withCharacteristic(name: string, value: unknown): Body {
  const body = profileBody();
  const list = body.troubleTicketCharacteristic as Characteristic[];
  list.find((c) => c.name === name)!.value = value;
  return body;
}

async function expectRefusal(body: unknown, code: number, field: string): Promise<void> {
  const res = await createTicket(sim, accessToken, body);
  expect(res.status).toBe(400);
  const error = (await res.json()) as { code: number; message: string; description: string };
  expect(error.code).toBe(code);
  expect(error.description).toContain(field);
  expect(sim.ledger()).toEqual([]);
}

describe('create a ticket (oceane-api.md section 2)', () => {
  it('answers 201 with the body plus id, href, dates and status, and records it in the ledger', async () => {
    const res = await createTicket(sim, accessToken, profileBody(), {
      'X-Request-ID': 'instance-1',
    });
    expect(res.status).toBe(201);
    const ticket = (await res.json()) as TroubleTicket;
    expect(ticket).toMatchObject(profileBody());
    expect(typeof ticket.id).toBe('string');
    expect(ticket.id).toMatch(/^OCE-\d{6}$/);
    expect(ticket.href).toBe(`${sim.url}/tmf-api/troubleTicket/v5/troubleTicket/${ticket.id}`);
    expect(ticket.creationDate).toBe('2025-06-01T12:00:00.000Z');
    expect(ticket.lastUpdate).toBe('2025-06-01T12:00:00.000Z');
    expect(ticket.status).toBe('acknowledged');
    expect(res.headers.get('location')).toBe(ticket.href);
    expect(sim.ledger()).toEqual([ticket]);
  });

  it('keeps the X-Request-ID of each create in the request log', async () => {
    await createTicket(sim, accessToken, profileBody('1', '1'), { 'X-Request-ID': 'instance-a' });
    await createTicket(sim, accessToken, profileBody('1', '2'), { 'X-Request-ID': 'instance-b' });
    const creates = sim
      .requests()
      .filter((r) => r.method === 'POST' && r.path.startsWith('/tmf-api/'));
    expect(creates.map((r) => [r.requestId, r.status])).toEqual([
      ['instance-a', 201],
      ['instance-b', 201],
    ]);
  });

  it('gives every ticket a new id, even for the same alarm, in creation order', async () => {
    const a = (await (await createTicket(sim, accessToken)).json()) as TroubleTicket;
    const b = (await (await createTicket(sim, accessToken)).json()) as TroubleTicket;
    expect(a.id).not.toBe(b.id);
    expect(sim.ledger().map((t) => t.id)).toEqual([a.id, b.id]);
  });

  it('accepts the minimal body: optional characteristics, name and relatedParty left out', async () => {
    const body = profileBody();
    delete body.name;
    delete body.relatedParty;
    body.troubleTicketCharacteristic = (
      body.troubleTicketCharacteristic as Characteristic[]
    ).filter((c) => c.name === 'urgency');
    expect((await createTicket(sim, accessToken, body)).status).toBe(201);
  });

  it('does not let the client set the server-owned fields', async () => {
    const body = {
      ...profileBody(),
      id: 'MINE',
      status: 'closed',
      creationDate: '1999-01-01T00:00:00Z',
    };
    const ticket = (await (await createTicket(sim, accessToken, body)).json()) as TroubleTicket;
    expect(ticket.id).not.toBe('MINE');
    expect(ticket.status).toBe('acknowledged');
    expect(ticket.creationDate).toBe('2025-06-01T12:00:00.000Z');
  });

  it.each([
    '@type',
    'description',
    'severity',
    'ticketType',
    'priority',
    'externalIdentifier',
    'relatedEntity',
    'troubleTicketCharacteristic',
  ])('refuses a body without %s with 400 code 25 naming the field', async (field) => {
    const body = profileBody();
    delete body[field];
    await expectRefusal(body, 25, field);
  });

  it('refuses a body without the urgency characteristic with 400 code 25', async () => {
    const body = profileBody();
    body.troubleTicketCharacteristic = (
      body.troubleTicketCharacteristic as Characteristic[]
    ).filter((c) => c.name !== 'urgency');
    await expectRefusal(body, 25, 'urgency');
  });

  it.each([
    ['priority', { ...profileBody(), priority: 'Urgent' }],
    ['priority', { ...profileBody(), priority: 'high' }],
    ['severity', { ...profileBody(), severity: 'Catastrophic' }],
    ['severity', { ...profileBody(), severity: 3 }],
    ['urgency', withCharacteristic('urgency', 'Critical')],
    ['clientImpact', withCharacteristic('clientImpact', 'Severe')],
    ['rootTime', withCharacteristic('rootTime', 'yesterday')],
    ['ticketType', { ...profileBody(), ticketType: 'complaint' }],
    ['@type', { ...profileBody(), '@type': 'Ticket' }],
  ])('refuses a bad %s value with 400 code 24 naming the field', async (field, body) => {
    await expectRefusal(body, 24, field);
  });

  it('refuses empty strings and nulls (empty inputs must be left out) with 400 code 24', async () => {
    await expectRefusal({ ...profileBody(), name: '' }, 24, 'name');
    await expectRefusal(
      withCharacteristic('clientImpact', null),
      24,
      'troubleTicketCharacteristic[1].value',
    );
  });

  it('refuses an externalIdentifier that is not owned by DataMiner or not <DMA ID>/<Alarm ID>', async () => {
    const notOwned = profileBody();
    (notOwned.externalIdentifier as Body[])[0]!.owner = 'Elsewhere';
    await expectRefusal(notOwned, 24, 'externalIdentifier');
    await expectRefusal(profileBody('12', ''), 24, 'externalIdentifier');
    const noSlash = profileBody();
    (noSlash.externalIdentifier as Body[])[0]!.id = '123456';
    await expectRefusal(noSlash, 24, 'externalIdentifier[0].id');
  });

  it('refuses a relatedEntity without the alarmed element, and sub-resources without @type', async () => {
    const otherRole = profileBody();
    (otherRole.relatedEntity as Body[])[0]!.role = 'service';
    await expectRefusal(otherRole, 24, 'alarmedElement');
    const untyped = profileBody();
    delete ((untyped.relatedParty as Body[])[0]!.partyOrPartyRole as Body)['@type'];
    await expectRefusal(untyped, 25, 'relatedParty[0].partyOrPartyRole.@type');
  });

  it('refuses a content type other than application/json with 400 code 26', async () => {
    const res = await createTicket(sim, accessToken, profileBody(), {
      'Content-Type': 'text/plain',
    });
    expect(res.status).toBe(400);
    const error = (await res.json()) as { code: number; description: string };
    expect(error.code).toBe(26);
    expect(error.description).toContain('Content-Type');
    expect(sim.ledger()).toEqual([]);
  });

  it('accepts application/json with a charset parameter', async () => {
    const res = await createTicket(sim, accessToken, profileBody(), {
      'Content-Type': 'application/json; charset=utf-8',
    });
    expect(res.status).toBe(201);
  });

  it.each([
    ['not JSON', '{"@type": "TroubleTicket",'],
    ['empty', ''],
    ['an array', '[]'],
    ['a string', '"ticket"'],
  ])('refuses a body that is %s with 400 code 21', async (_what, raw) => {
    const res = await createTicket(sim, accessToken, raw);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 21, message: 'Invalid body' });
    expect(sim.ledger()).toEqual([]);
  });

  it('refuses a body over 1 MB with 413', async () => {
    const body = { ...profileBody(), description: 'x'.repeat(1024 * 1024) };
    const res = await createTicket(sim, accessToken, body);
    expect(res.status).toBe(413);
    expect(sim.ledger()).toEqual([]);
  });

  it('refuses absurdly deep nesting instead of crashing, and keeps serving', async () => {
    const depth = 100_000;
    const base = JSON.stringify(profileBody());
    const raw = `${base.slice(0, -1)},"note":${'['.repeat(depth)}"x"${']'.repeat(depth)}}`;
    const res = await createTicket(sim, accessToken, raw);
    expect(res.status).toBe(400);
    const error = (await res.json()) as { code: number };
    expect([21, 24]).toContain(error.code);
    expect((await createTicket(sim, accessToken)).status).toBe(201);
  });
});
