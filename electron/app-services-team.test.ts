/**
 * Team mode in the app (issue 14): two consoles' services in one test process, on one real
 * PostgreSQL and one shared DataMiner process, against the real Oceane simulator. What one
 * console asks shows on the other through NOTIFY (its tables, windows, events and the alarm's
 * Ticket ID); one ticket per alarm whichever console asks; the Debug page shows who holds the
 * processing lock; a failed request shows on both and is retried from either.
 */
import { describe, expect, it } from 'vitest';
import {
  PROPERTY_TICKET_ID,
  type ExistingTicket,
  type FailedRequestRow,
  type FailedRequestsChanged,
  type QueueStatus,
  type TicketRow,
  type TicketsChanged,
} from '../shared/domain.js';
import {
  firstFailedPage,
  firstTicketPage,
  type FailedPage,
  type TicketPage,
} from '../shared/table-page.js';
import { rowFor, until, useTeamWorld, value } from './app-services-team-support.js';
import { requestTicketFor } from './app-services-test-support.js';

const world = useTeamWorld();

describe('two consoles in team mode', () => {
  it("shows a ticket asked on console A on console B, its tables, events and alarm's Ticket ID", async () => {
    const db = await world.freshDatabase();
    const a = await world.console({ name: 'console-a', port: db.port, database: db.name });
    const b = await world.console({ name: 'console-b', port: db.port, database: db.name });
    expect(a.team?.databaseHealth().state).toBe('reachable');
    const heardOnB: TicketsChanged[] = [];
    b.subscribe((channel, payload) => {
      if (channel === 'tickets:changed') heardOnB.push(payload as TicketsChanged);
    });
    const alarm = world.alarmAt(0);

    const asked = await requestTicketFor(a, alarm);
    expect(asked.ok).toBe(true);
    const instance = asked.ok ? (asked.value as { instance: string }).instance : '';

    await until('B hears the new row', () =>
      heardOnB.some((c) => c.upserted.some((r) => r.instance === instance)),
    );
    const created = await until('the ticket Created, seen from B', async () => {
      const row = await rowFor(b, alarm);
      return row?.status === 'Created' ? row : undefined;
    });
    expect(created.instance).toBe(instance);
    expect(created.ticketId).not.toBe('');
    const page = await value<TicketPage>(b, 'tables:page', {
      ...firstTicketPage(),
      filter: alarm.elementName.toUpperCase(),
      statuses: ['Created'],
    });
    expect(page.rows.map((r) => r.instance)).toContain(instance);
    expect(page.total).toBe(page.rows.length);
    const none = await value<TicketPage>(b, 'tables:page', {
      ...firstTicketPage(),
      statuses: ['Failed'],
    });
    expect(none).toMatchObject({ rows: [], total: 0 });

    // The Ticket ID reaches every console's alarm through the shared DataMiner.
    for (const services of [a, b]) {
      await until('the Ticket ID on the alarm', () => {
        const seen = services.alarms.find(alarm.dmaId, alarm.alarmId);
        return seen?.properties?.[PROPERTY_TICKET_ID] === created.ticketId;
      });
    }
    const existing = await value<ExistingTicket | null>(b, 'tickets:find-existing', {
      dmaId: alarm.dmaId,
      alarmId: alarm.alarmId,
    });
    expect(existing).toMatchObject({ status: 'Created', ticketId: created.ticketId });
    const group = await value<(ExistingTicket | null)[]>(b, 'tickets:check-group', {
      keys: [
        { dmaId: alarm.dmaId, alarmId: alarm.alarmId },
        { dmaId: world.alarmAt(1).dmaId, alarmId: world.alarmAt(1).alarmId },
      ],
    });
    expect(group[0]).toMatchObject({ status: 'Created', instance });
    expect(group[1]).toBeNull();
    const queue = await value<QueueStatus>(b, 'queue:status');
    expect(queue.pending).toEqual([]);
  }, 60_000);

  it('gives one ticket when both ask for the same alarm at once, naming the first', async () => {
    const db = await world.freshDatabase();
    // No secret: the requests stay queued, and the Debug page shows them.
    const a = await world.console({
      name: 'console-a',
      port: db.port,
      database: db.name,
      secret: false,
    });
    const b = await world.console({
      name: 'console-b',
      port: db.port,
      database: db.name,
      secret: false,
    });
    const alarm = world.alarmAt(2);
    const [fromA, fromB] = await Promise.all([
      requestTicketFor(a, alarm),
      requestTicketFor(b, alarm),
    ]);
    const outcomes = [fromA, fromB];
    const accepted = outcomes.filter((r) => r.ok);
    const refused = outcomes.flatMap((r) => (r.ok ? [] : [r.error]));
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const winner = fromA.ok ? 'console-a' : 'console-b';
    expect(refused[0]?.code).toBe('duplicate');
    expect(refused[0]?.message).toContain(`by ${winner} at `);
    const rows = (await value<TicketRow[]>(a, 'tickets:list')).filter(
      (r) => r.alarmId === alarm.alarmId && r.dmaId === alarm.dmaId,
    );
    expect(rows).toHaveLength(1);
    const queue = await value<QueueStatus>(b, 'queue:status');
    expect(queue.pending.map((p) => p.alarmId)).toEqual([alarm.alarmId]);
    const held = await value<ExistingTicket | null>(a, 'tickets:find-existing', {
      dmaId: alarm.dmaId,
      alarmId: alarm.alarmId,
    });
    expect(held).toMatchObject({ source: 'queue', status: 'Pending' });
  }, 60_000);
});

describe("the Debug page's queue in team mode", () => {
  it('shows the processing lock with the console that holds it, on the other console', async () => {
    const db = await world.freshDatabase();
    const a = await world.console({ name: 'console-a', port: db.port, database: db.name });
    const b = await world.console({
      name: 'console-b',
      port: db.port,
      database: db.name,
      secret: false,
    });
    const alarm = world.alarmAt(7);
    // Oceane answers the create slowly: console A holds the request's lease meanwhile.
    world.sim.inject('create', { kind: 'delay', ms: 700 });
    const asked = await requestTicketFor(a, alarm);
    const instance = asked.ok ? (asked.value as { instance: string }).instance : '';
    const locked = await until('the lock seen from B', async () => {
      const queue = await value<QueueStatus>(b, 'queue:status');
      return queue.locked ? queue : undefined;
    });
    expect(locked.lockedBy).toBe(`console-a (request ${instance})`);
    expect(locked.pending.map((p) => p.instance)).toEqual([instance]);
    await until('the queue empty again', async () => {
      const queue = await value<QueueStatus>(b, 'queue:status');
      return !queue.locked && queue.pending.length === 0;
    });
    expect((await rowFor(b, alarm))?.status).toBe('Created');
  }, 60_000);
});

describe('a failed request in team mode', () => {
  it("shows in both consoles' Failed table, and Retry on the other console creates it", async () => {
    const db = await world.freshDatabase();
    const a = await world.console({ name: 'console-a', port: db.port, database: db.name });
    const b = await world.console({ name: 'console-b', port: db.port, database: db.name });
    const failedOnB: FailedRequestsChanged[] = [];
    b.subscribe((channel, payload) => {
      if (channel === 'failed:changed') failedOnB.push(payload as FailedRequestsChanged);
    });
    const alarm = world.alarmAt(5);
    world.sim.inject('create', { kind: 'status', status: 400 });
    const asked = await requestTicketFor(a, alarm);
    expect(asked.ok).toBe(true);
    const instance = asked.ok ? (asked.value as { instance: string }).instance : '';
    await until('B hears the failure', () =>
      failedOnB.some((c) => c.upserted.some((r) => r.ticketInstance === instance)),
    );
    const failed = await value<FailedRequestRow[]>(b, 'failed:list');
    expect(failed.find((r) => r.ticketInstance === instance)?.httpErrorCode).toBe(400);
    const page = await value<FailedPage>(b, 'tables:page', firstFailedPage());
    expect(page.rows.map((r) => r.ticketInstance)).toEqual([instance]);
    expect((await rowFor(a, alarm))?.status).toBe('Failed');
    // The claim is released: B's Retry queues the request again, and it is created.
    const retried = await b.router.handle('tickets:retry', { instance });
    expect(retried).toEqual({ ok: true, value: { instance, status: 'Pending' } });
    const again = await b.router.handle('tickets:retry', { instance });
    expect(again.ok ? null : again.error.code).toBe('duplicate');
    await until('the retried request Created, seen from A', async () => {
      const row = await rowFor(a, alarm);
      return row?.status === 'Created' && row.instance === instance;
    });
  }, 60_000);

  it('refuses the Retry of an alarm whose property names a ticket no team claim knows of', async () => {
    const db = await world.freshDatabase();
    const a = await world.console({ name: 'console-a', port: db.port, database: db.name });
    const alarm = world.alarmAt(6);
    world.sim.inject('create', { kind: 'status', status: 400 });
    const asked = await requestTicketFor(a, alarm);
    expect(asked.ok).toBe(true);
    const instance = asked.ok ? (asked.value as { instance: string }).instance : '';
    await until('the request Failed', async () => (await rowFor(a, alarm))?.status === 'Failed');
    // A ticket asked for from outside the team: only the alarm's property names it.
    await world.dm.set(alarm.dmaId, alarm.alarmId, { [PROPERTY_TICKET_ID]: 'TT-ELSEWHERE' });
    await until('the Ticket ID on the alarm', () => {
      const seen = a.alarms.find(alarm.dmaId, alarm.alarmId);
      return seen?.properties?.[PROPERTY_TICKET_ID] === 'TT-ELSEWHERE';
    });
    const retried = await a.router.handle('tickets:retry', { instance });
    expect(retried.ok ? 'accepted' : retried.error.message).toBe(
      `Alarm ${alarm.dmaId}/${alarm.alarmId} on ${alarm.elementName} already has ticket TT-ELSEWHERE`,
    );
    expect((await rowFor(a, alarm))?.status).toBe('Failed');
    expect(await value<QueueStatus>(a, 'queue:status')).toMatchObject({ pending: [] });
  }, 60_000);
});
