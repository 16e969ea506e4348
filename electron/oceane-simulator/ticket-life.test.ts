/**
 * The ticket's life on the simulator over real HTTP (oceane-api.md sections 7.1 to 7.4 and
 * 7.6): the list of changes since a moment with paging and fields, notes by id, status
 * changes and what 7.4 refuses, several alarms on one ticket, and faults on these routes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from './server.js';
import {
  createTicket,
  getWithToken,
  groupBody,
  noteOperation,
  patchTicket,
  profileBody,
  TICKETS,
  token,
} from './test-support.js';
import type { RunningSimulator, TroubleTicket } from './types.js';

const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';

let clock: number;
let sim: RunningSimulator;
let accessToken: string;
beforeEach(async () => {
  clock = Date.parse('2025-03-01T10:00:00Z');
  sim = await startSimulator({ now: () => clock });
  accessToken = await token(sim);
});
afterEach(() => sim.close());

async function create(alarmId: string): Promise<TroubleTicket> {
  const res = await createTicket(sim, accessToken, profileBody('12', alarmId));
  expect(res.status).toBe(201);
  return (await res.json()) as TroubleTicket;
}

function changesPath(since: string, offset: number, limit: number, fields?: string): string {
  const query = new URLSearchParams({
    'externalIdentifier.owner': 'DataMiner',
    'lastUpdate.gt': since,
    sort: 'lastUpdate',
    offset: String(offset),
    limit: String(limit),
  });
  if (fields) query.set('fields', fields);
  return `${TICKETS}?${query.toString()}`;
}

function resolveBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@type': 'TroubleTicket',
    status: 'resolved',
    statusChangeReason: 'Alarm cleared in DataMiner at 2025-03-01T10:30:00Z',
    resolutionDate: '2025-03-01T10:30:00Z',
    ...extra,
  };
}

describe('changes since a moment (7.1)', () => {
  it('lists what changed after the moment, oldest change first, paged with TMF630 counts', async () => {
    const tickets: TroubleTicket[] = [];
    for (let i = 0; i < 5; i += 1) {
      clock += 1000;
      tickets.push(await create(String(100 + i)));
    }
    clock += 1000;
    // The first ticket changes last: it comes last, once.
    expect((await patchTicket(sim, accessToken, tickets[0]!.id, MERGE, resolveBody())).status).toBe(
      200,
    );
    const since = tickets[1]!.lastUpdate;
    const first = await getWithToken(sim, accessToken, changesPath(since, 0, 2));
    expect(first.status).toBe(200);
    expect(first.headers.get('x-total-count')).toBe('4');
    expect(first.headers.get('x-result-count')).toBe('2');
    const second = await getWithToken(sim, accessToken, changesPath(since, 2, 2));
    expect(second.headers.get('x-result-count')).toBe('2');
    const ids = [
      ...((await first.json()) as TroubleTicket[]),
      ...((await second.json()) as TroubleTicket[]),
    ].map((t) => t.id);
    expect(ids).toEqual([tickets[2]!.id, tickets[3]!.id, tickets[4]!.id, tickets[0]!.id]);
    const beyond = await getWithToken(sim, accessToken, changesPath(since, 4, 2));
    expect(await beyond.json()).toEqual([]);
    expect(beyond.headers.get('x-total-count')).toBe('4');
  });

  it('trims the tickets to the fields asked for, keeping id', async () => {
    const ticket = await create('200');
    const res = await getWithToken(
      sim,
      accessToken,
      changesPath('2025-01-01T00:00:00Z', 0, 10, 'status,lastUpdate,externalIdentifier'),
    );
    expect(await res.json()).toEqual([
      {
        '@type': 'TroubleTicket',
        id: ticket.id,
        status: 'acknowledged',
        lastUpdate: ticket.lastUpdate,
        externalIdentifier: ticket.externalIdentifier,
      },
    ]);
  });

  it('refuses a limit over 100, a bad date or an unknown sort with 400 code 20', async () => {
    for (const path of [
      changesPath('2025-01-01T00:00:00Z', 0, 101),
      changesPath('yesterday', 0, 10),
      `${TICKETS}?lastUpdate.gt=2025-01-01T00:00:00Z&sort=severity`,
      `${TICKETS}?lastUpdate.gt=2025-01-01T00:00:00Z&offset=-1`,
    ]) {
      const res = await getWithToken(sim, accessToken, path);
      expect(res.status, path).toBe(400);
      expect(await res.json()).toMatchObject({ code: 20 });
    }
  });

  it('moves lastUpdate strictly forward even for two changes in the same millisecond', async () => {
    const ticket = await create('300');
    await patchTicket(sim, accessToken, ticket.id, JSON_PATCH, noteOperation('n-1'));
    await patchTicket(sim, accessToken, ticket.id, JSON_PATCH, noteOperation('n-2'));
    const [stored] = sim.ledger();
    expect(Date.parse(stored!.lastUpdate)).toBe(Date.parse(ticket.lastUpdate) + 2);
  });

  it('takes faults of its own route without touching the search by alarm', async () => {
    await create('400');
    sim.inject('changes', { kind: 'status', status: 503, retryAfter: '3' });
    const failed = await getWithToken(sim, accessToken, changesPath('2025-01-01T00:00:00Z', 0, 10));
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('3');
    const search = await getWithToken(
      sim,
      accessToken,
      `${TICKETS}?externalIdentifier.id=12%2F400`,
    );
    expect(search.status).toBe(200);
    sim.inject('changes', { kind: 'drop' });
    await expect(
      getWithToken(sim, accessToken, changesPath('2025-01-01T00:00:00Z', 0, 10)),
    ).rejects.toThrow();
  });
});

describe('notes (7.3)', () => {
  it('adds a note with its id, and the same note again changes nothing', async () => {
    const ticket = await create('500');
    clock += 5000;
    const res = await patchTicket(sim, accessToken, ticket.id, JSON_PATCH, noteOperation('note-1'));
    expect(res.status).toBe(200);
    const after = (await res.json()) as TroubleTicket;
    expect(after.note).toEqual([
      {
        '@type': 'Note',
        id: 'note-1',
        author: 'noc.operator',
        date: '2025-03-01T11:00:00Z',
        text: 'Checked on site',
      },
    ]);
    expect(after.lastUpdate).toBe(new Date(clock).toISOString());
    clock += 5000;
    const again = await patchTicket(
      sim,
      accessToken,
      ticket.id,
      JSON_PATCH,
      noteOperation('note-1'),
    );
    expect(again.status).toBe(200);
    expect(sim.ledger()[0]!.note).toHaveLength(1);
    expect(sim.ledger()[0]!.lastUpdate).toBe(after.lastUpdate);
  });

  it('adds the note although the answer is lost, so a GET finds it by id before a resend', async () => {
    const ticket = await create('501');
    sim.inject('patch', { kind: 'ambiguous', mode: 'drop' });
    await expect(
      patchTicket(sim, accessToken, ticket.id, JSON_PATCH, noteOperation('note-lost')),
    ).rejects.toThrow();
    const got = (await (
      await getWithToken(sim, accessToken, `${TICKETS}/${ticket.id}`)
    ).json()) as TroubleTicket;
    expect(got.note?.map((n) => n.id)).toEqual(['note-lost']);
  });

  it('refuses a note without id or text, or another operation, naming the field', async () => {
    const ticket = await create('502');
    const cases: [unknown, number, string][] = [
      [[{ op: 'add', path: '/note/-', value: { '@type': 'Note', text: 'x' } }], 25, '[0].value.id'],
      [[{ op: 'add', path: '/note/-', value: { '@type': 'Note', id: 'a' } }], 25, '[0].value.text'],
      [[{ op: 'add', path: '/note/-', value: { id: 'a', text: 'x' } }], 25, '[0].value.@type'],
      [[{ op: 'replace', path: '/status', value: 'closed' }], 24, '[0]'],
      [[], 24, 'body'],
    ];
    for (const [body, code, field] of cases) {
      const res = await patchTicket(sim, accessToken, ticket.id, JSON_PATCH, body);
      expect(res.status).toBe(400);
      const error = (await res.json()) as { code: number; description: string };
      expect(error.code).toBe(code);
      expect(error.description).toContain(`'${field}`);
    }
    expect(sim.ledger()[0]!.note).toBeUndefined();
  });
});

describe('the ticket page', () => {
  it('shows the status, its reason and the notes, escaped', async () => {
    const ticket = await create('650');
    await patchTicket(
      sim,
      accessToken,
      ticket.id,
      JSON_PATCH,
      noteOperation('n-1', '<b>on site</b>'),
    );
    sim.setStatus(ticket.id, 'resolved', 'Fixed & tested');
    const html = await (await fetch(`${sim.url}/ticket/${ticket.id}`)).text();
    expect(html).toContain('<td>resolved</td>');
    expect(html).toContain('Fixed &amp; tested');
    expect(html).toContain('noc.operator: &lt;b&gt;on site&lt;/b&gt;');
  });
});

describe('status changes (7.2, 7.4)', () => {
  it('resolves a ticket with the reason and resolution date given, and keeps its history', async () => {
    const ticket = await create('600');
    clock += 60_000;
    const res = await patchTicket(sim, accessToken, ticket.id, MERGE, resolveBody());
    expect(res.status).toBe(200);
    const resolved = (await res.json()) as TroubleTicket;
    const at = new Date(clock).toISOString();
    expect(resolved).toMatchObject({
      status: 'resolved',
      statusChangeDate: at,
      statusChangeReason: 'Alarm cleared in DataMiner at 2025-03-01T10:30:00Z',
      resolutionDate: '2025-03-01T10:30:00Z',
      lastUpdate: at,
    });
    expect(resolved.statusChange).toEqual([
      {
        '@type': 'StatusChange',
        status: 'resolved',
        changeDate: at,
        changeReason: 'Alarm cleared in DataMiner at 2025-03-01T10:30:00Z',
      },
    ]);
  });

  it('answers 200 and changes nothing when the ticket is already resolved', async () => {
    const ticket = await create('601');
    await patchTicket(sim, accessToken, ticket.id, MERGE, resolveBody());
    const before = sim.ledger()[0]!;
    clock += 60_000;
    const again = await patchTicket(sim, accessToken, ticket.id, MERGE, resolveBody());
    expect(again.status).toBe(200);
    expect(sim.ledger()[0]).toEqual(before);
  });

  it('refuses a change from a final status, or to a value outside 7.2, with 400 code 24', async () => {
    const ticket = await create('602');
    const bad = await patchTicket(
      sim,
      accessToken,
      ticket.id,
      MERGE,
      resolveBody({ status: 'done' }),
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 24 });
    sim.setStatus(ticket.id, 'closed', 'Closed by the service desk');
    const fromFinal = await patchTicket(sim, accessToken, ticket.id, MERGE, resolveBody());
    expect(fromFinal.status).toBe(400);
    const error = (await fromFinal.json()) as { code: number; description: string };
    expect(error.code).toBe(24);
    expect(error.description).toContain('closed');
    expect(sim.ledger()[0]!.status).toBe('closed');
  });

  it('refuses a body without @type (25) or with a field it does not change (24)', async () => {
    const ticket = await create('603');
    const noType = await patchTicket(sim, accessToken, ticket.id, MERGE, { status: 'inProgress' });
    expect(noType.status).toBe(400);
    expect(await noType.json()).toMatchObject({ code: 25 });
    const other = await patchTicket(
      sim,
      accessToken,
      ticket.id,
      MERGE,
      resolveBody({ priority: 'Low' }),
    );
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ code: 24 });
  });

  it('answers 415 for another content type, 404 for an unknown ticket, 401 without a token', async () => {
    const ticket = await create('604');
    const wrongType = await patchTicket(
      sim,
      accessToken,
      ticket.id,
      'application/json',
      resolveBody(),
    );
    expect(wrongType.status).toBe(415);
    const unknown = await patchTicket(sim, accessToken, 'OCE-999999', MERGE, resolveBody());
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 60 });
    const noToken = await patchTicket(sim, 'forged', ticket.id, MERGE, resolveBody());
    expect(noToken.status).toBe(401);
    expect(sim.ledger()[0]!.status).toBe('acknowledged');
  });

  it('takes status faults on PATCH without changing the ticket', async () => {
    const ticket = await create('605');
    sim.inject('patch', { kind: 'status', status: 500, body: 'tmf630' });
    const res = await patchTicket(sim, accessToken, ticket.id, MERGE, resolveBody());
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ code: '1', status: '500' });
    expect(sim.ledger()[0]!.status).toBe('acknowledged');
  });
});

describe('several alarms, one ticket (7.6)', () => {
  it('creates one ticket for three alarms on two elements, found from any of its alarms', async () => {
    const res = await createTicket(
      sim,
      accessToken,
      groupBody([
        ['12', '700', '7'],
        ['12', '701', '7'],
        ['13', '702', '8'],
      ]),
    );
    expect(res.status).toBe(201);
    const ticket = (await res.json()) as TroubleTicket;
    expect(ticket.externalIdentifier.map((x) => x.id)).toEqual(['12/700', '12/701', '13/702']);
    expect(ticket.relatedEntity.map((x) => x.entity.id)).toEqual(['12/7', '13/8']);
    for (const alarm of ['12%2F700', '12%2F701', '13%2F702']) {
      const found = await getWithToken(
        sim,
        accessToken,
        `${TICKETS}?externalIdentifier.id=${alarm}`,
      );
      expect(((await found.json()) as TroubleTicket[]).map((t) => t.id)).toEqual([ticket.id]);
    }
    const page = await (await fetch(`${sim.url}/ticket/${ticket.id}`)).text();
    expect(page).toContain('12/700, 12/701, 13/702');
  });

  it('refuses an alarm listed twice', async () => {
    const res = await createTicket(
      sim,
      accessToken,
      groupBody([
        ['12', '710', '7'],
        ['12', '710', '7'],
      ]),
    );
    expect(res.status).toBe(400);
    const error = (await res.json()) as { code: number; description: string };
    expect(error.code).toBe(24);
    expect(error.description).toContain('externalIdentifier[1].id');
  });
});
