/**
 * The section 7 client against the real simulator over HTTP on 127.0.0.1: changes paged to
 * the end, notes by id (a lost answer checked with a GET), status changes and what 7.4
 * refuses, subscriptions, one ticket for several alarms, and the failures it reports.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../oceane-simulator/index.js';
import { startClientRig } from './lifecycle-test-support.js';
import type { CallConfig, OceaneClient } from './oceane-client.js';
import {
  noteAlreadyAdded,
  statusAlreadySet,
  type OceaneLifecycleClient,
} from './oceane-lifecycle-client.js';
import { ticketRequest } from './test-support.js';
import { clearedResolution } from './tmf621-mapping.js';

let sim: RunningSimulator;
let client: OceaneClient;
let life: OceaneLifecycleClient;
let config: CallConfig;
let created: (count: number) => Promise<string[]>;

beforeEach(async () => {
  const rig = await startClientRig();
  ({ sim, client, life, config } = rig);
  created = (count) => rig.createTickets(count);
});
afterEach(() => sim.close());

const EPOCH = '2020-01-01T00:00:00.000Z';

function changeRequests(): number {
  return sim.requests().filter((r) => r.path.includes('lastUpdate.gt')).length;
}

describe('changes since a moment (7.1)', () => {
  it('pages through every page, oldest change first, and says the run was consistent', async () => {
    const ids = await created(5);
    // A later millisecond than the last create: on equal lastUpdate times Oceane's order is
    // the ticket id's, which would put the moved ticket first among them.
    await new Promise((resolve) => setTimeout(resolve, 5));
    sim.setStatus(ids[0]!, 'inProgress', 'Taken');
    const result = await life.changesSince(config, EPOCH, { pageSize: 2 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.changes.map((c) => c.ticketId)).toEqual([ids[1], ids[2], ids[3], ids[4], ids[0]]);
    expect(result.changes.at(-1)).toMatchObject({
      status: 'inProgress',
      statusChangeReason: 'Taken',
      alarmIds: [expect.stringMatching(/^123\/\d+$/)],
    });
    expect(result).toMatchObject({ pages: 3, consistent: true, complete: true, skipped: [] });
    expect(changeRequests()).toBe(3);
    const since = result.changes.at(-1)!.lastUpdate;
    const none = await life.changesSince(config, since);
    expect(none).toMatchObject({ ok: true, changes: [], pages: 1 });
  });

  it('says the run was not consistent when a ticket moved while it was paged through', async () => {
    const ids = await created(4);
    let pages = 0;
    const moving: CallConfig = {
      ...config,
      transport: {
        userAgent: 'test',
        fetch: async (input, init) => {
          const answer = await fetch(input, init);
          if (String(input instanceof Request ? input.url : input).includes('lastUpdate.gt')) {
            pages += 1;
            // After the first page, its first ticket changes and moves to the end of the list.
            if (pages === 1) sim.setStatus(ids[0]!, 'held');
          }
          return answer;
        },
      },
    };
    const result = await life.changesSince(moving, EPOCH, { pageSize: 2 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // ids[2] slid into the first page's place and was skipped: hence "not consistent".
    expect(result.changes.map((c) => c.ticketId)).toEqual([ids[0], ids[1], ids[3], ids[0]]);
    expect(result.consistent).toBe(false);
  });

  it('stops at the page limit and says there is more', async () => {
    await created(5);
    const result = await life.changesSince(config, EPOCH, { pageSize: 2, maxPages: 2 });
    expect(result).toMatchObject({ ok: true, pages: 2, complete: false, consistent: true });
  });

  it('reports a 503 as retryable with its Retry-After, and an answer that is not a list in a sentence', async () => {
    await created(1);
    sim.inject('changes', { kind: 'status', status: 503, retryAfter: '30' });
    const busy = await life.changesSince(config, EPOCH);
    expect(busy).toMatchObject({ ok: false, retryable: true, retryAfterMs: 30_000 });
    sim.inject('changes', {
      kind: 'raw',
      status: 200,
      contentType: 'application/json',
      body: '{}',
    });
    const odd = await life.changesSince(config, EPOCH);
    expect(odd.ok).toBe(false);
    if (odd.ok) return;
    expect(odd.error.message).toBe('Invalid answer from Oceane');
    expect(odd.error.description).toContain('the body is not a JSON array');
    expect(odd.error.description).toContain('asks again at the next poll');
  });

  it('renews a revoked token once and goes on', async () => {
    await created(1);
    sim.revokeTokens();
    const result = await life.changesSince(config, EPOCH);
    expect(result).toMatchObject({ ok: true, pages: 1 });
  });
});

describe('notes (7.3)', () => {
  it('adds a note with its id and X-Request-ID; the same note again adds nothing', async () => {
    const [id] = await created(1);
    const note = {
      id: 'note-0001',
      author: 'noc.operator',
      date: '2025-03-01T11:00:00Z',
      text: ' Rebooted ',
    };
    const first = await life.addNote(config, id!, note);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.ticket.notes).toEqual([
      {
        id: 'note-0001',
        author: 'noc.operator',
        date: '2025-03-01T11:00:00.000Z',
        text: 'Rebooted',
      },
    ]);
    expect(sim.requests().at(-1)).toMatchObject({
      method: 'PATCH',
      requestId: 'note-0001',
      status: 200,
    });
    await life.addNote(config, id!, note);
    expect(sim.ledger()[0]!.note).toHaveLength(1);
  });

  it('finds a note whose answer was lost with a GET, so it is not sent again', async () => {
    const [id] = await created(1);
    sim.inject('patch', { kind: 'ambiguous', mode: 'drop' });
    const lost = await life.addNote(config, id!, {
      id: 'note-lost',
      author: 'noc.operator',
      date: '2025-03-01T11:00:00Z',
      text: 'Checked',
    });
    expect(lost).toMatchObject({ ok: false, retryable: true, maybeSent: true });
    const got = await life.getTicket(config, id!);
    expect(got.ok && noteAlreadyAdded(got.ticket, 'note-lost')).toBe(true);
  });
});

describe('status changes (7.4)', () => {
  it('resolves with the clear time as resolution date', async () => {
    const [id] = await created(1);
    const result = await life.changeStatus(
      config,
      id!,
      clearedResolution('2025-03-01T12:00:00+02:00'),
      'chg-1',
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.ticket).toMatchObject({
      status: 'resolved',
      resolutionDate: '2025-03-01T10:00:00.000Z',
      statusChangeReason: 'Alarm cleared in DataMiner at 2025-03-01T10:00:00Z',
    });
    expect(statusAlreadySet(result.ticket, 'resolved')).toBe(true);
  });

  it('reports a change refused from a final status as not retryable, 400 code 24', async () => {
    const [id] = await created(1);
    sim.setStatus(id!, 'closed');
    const result = await life.changeStatus(
      config,
      id!,
      clearedResolution('2025-03-01T10:00:00Z'),
      'chg-2',
    );
    expect(result).toMatchObject({
      ok: false,
      retryable: false,
      error: { httpStatus: 400, appCode: '24' },
    });
  });

  it('reports an unknown ticket as not found, not retryable', async () => {
    const result = await life.getTicket(config, 'OCE-999999');
    expect(result).toMatchObject({
      ok: false,
      retryable: false,
      error: { httpStatus: 404, appCode: '60' },
    });
  });
});

describe('subscriptions (7.5)', () => {
  it('subscribes and unsubscribes; a hub already gone counts as ended', async () => {
    const result = await life.subscribe(config, 'http://127.0.0.1:9/console');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(sim.hubs()).toEqual([
      expect.objectContaining({ id: result.hubId, callback: 'http://127.0.0.1:9/console' }),
    ]);
    expect(sim.hubs()[0]!.query).toContain('TroubleTicketStatusChangeEvent');
    expect(await life.unsubscribe(config, result.hubId)).toEqual({ ok: true, alreadyGone: false });
    expect(await life.unsubscribe(config, result.hubId)).toEqual({ ok: true, alreadyGone: true });
  });

  it('reports a refused subscription', async () => {
    sim.inject('hub', { kind: 'status', status: 403, code: 50, message: 'Access denied' });
    const result = await life.subscribe(config, 'http://127.0.0.1:9/console');
    expect(result).toMatchObject({ ok: false, retryable: false, error: { httpStatus: 403 } });
  });
});

describe('several alarms, one ticket (7.6)', () => {
  it('creates one ticket for several alarms, found from each of them', async () => {
    const request = ticketRequest({ elementId: '45' });
    const others = [
      { dmaId: '123', alarmId: '90001', elementId: '45', elementName: 'PAR-CORE-RTR-01' },
      { dmaId: '124', alarmId: '90002', elementId: '46', elementName: 'LYO-EDGE-RTR-02' },
    ];
    const result = await client.createTicket(config, request, 'group-1', others);
    expect(result.ok).toBe(true);
    const id = result.ok ? result.ticketId : '';
    for (const key of [request, ...others]) {
      expect(await client.findTicket(config, key)).toMatchObject({ ok: true, ticketId: id });
    }
    expect(sim.ledger()[0]!.relatedEntity.map((e) => e.entity.id)).toEqual(['123/45', '124/46']);
  });
});
