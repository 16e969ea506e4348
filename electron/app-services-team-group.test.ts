/**
 * Group tickets in team mode (issue 11's "several alarms, one ticket", issue 14): two consoles'
 * services on one real PostgreSQL, the shared DataMiner process and the Oceane simulator. A
 * group request claims all its alarms at once: one ticket in Oceane, its Ticket ID on every
 * alarm, and the other console refused, with who and when, for any of them; a group asked
 * while one of its alarms is held is refused whole, nothing claimed; a failed group request's
 * Retry claims all its alarms again.
 */
import { describe, expect, it } from 'vitest';
import {
  PROPERTY_TICKET_ID,
  type Alarm,
  type CreateTicketRequest,
  type ExistingTicket,
  type TicketRow,
} from '../shared/domain.js';
import type { AppServices } from './app-services.js';
import { rowFor, until, useTeamWorld, value } from './app-services-team-support.js';
import { requestTicketFor } from './app-services-test-support.js';

const world = useTeamWorld();

/** One ticket for `first` and `others` (the operator's selection). */
function askGroup(services: AppServices, first: Alarm, others: Alarm[]) {
  const request: CreateTicketRequest = {
    dmaId: first.dmaId,
    elementId: first.elementId,
    alarmId: first.alarmId,
    elementName: first.elementName,
    priority: 'High',
    urgency: 'High',
    technicalImpact: 'Critical',
    otherAlarms: others.map((a) => ({
      dmaId: a.dmaId,
      elementId: a.elementId,
      alarmId: a.alarmId,
      elementName: a.elementName,
    })),
  };
  return services.router.handle('tickets:create', request);
}

const keyOf = (a: Alarm) => ({ dmaId: a.dmaId, alarmId: a.alarmId });

describe('a group ticket in team mode', () => {
  it('is one ticket, on every alarm, and the other console is refused any of them with who and when', async () => {
    const db = await world.freshDatabase();
    const a = await world.console({ name: 'console-a', port: db.port, database: db.name });
    const b = await world.console({ name: 'console-b', port: db.port, database: db.name });
    const [first, second, third] = [world.alarmAt(10), world.alarmAt(11), world.alarmAt(12)];
    const before = world.sim.ledger().length;

    const asked = await askGroup(a, first, [second, third]);
    expect(asked.ok).toBe(true);
    const instance = asked.ok ? (asked.value as { instance: string }).instance : '';
    const created = await until('the group ticket Created, seen from B', async () => {
      const row = await rowFor(b, first);
      return row?.status === 'Created' ? row : undefined;
    });
    expect(created.instance).toBe(instance);
    expect(created.otherAlarms?.map((o) => o.alarmId)).toEqual([second.alarmId, third.alarmId]);
    // One ticket in Oceane, naming the three alarms.
    const tickets = world.sim.ledger().slice(before);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]?.id).toBe(created.ticketId);
    expect(JSON.stringify(tickets[0])).toContain(`${third.dmaId}/${third.alarmId}`);
    // One row in the team's table, the Ticket ID on every alarm of the group.
    const rows = await value<TicketRow[]>(b, 'tickets:list');
    expect(rows.map((r) => r.instance)).toEqual([instance]);
    for (const alarm of [first, second, third]) {
      await until(`the Ticket ID on alarm ${alarm.alarmId}`, () => {
        const seen = b.alarms.find(alarm.dmaId, alarm.alarmId);
        return seen?.properties?.[PROPERTY_TICKET_ID] === created.ticketId;
      });
    }
    // Any member alarm leads to the group's ticket.
    const group = await value<(ExistingTicket | null)[]>(b, 'tickets:check-group', {
      keys: [keyOf(third), keyOf(second), keyOf(world.alarmAt(13))],
    });
    expect(group.map((g) => g?.ticketId ?? null)).toEqual([
      created.ticketId,
      created.ticketId,
      null,
    ]);

    const refused = await requestTicketFor(b, second);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('duplicate');
      expect(refused.error.message).toContain(`already has ticket ${created.ticketId}`);
      expect(refused.error.message).toMatch(/by console-a at \d{4}-\d\d-\d\dT/);
      expect(refused.error.message).toContain(`(request ${instance})`);
    }
    expect(await value<TicketRow[]>(a, 'tickets:list')).toHaveLength(1);
  }, 60_000);

  it('is refused whole, nothing claimed, while another console holds one of its alarms', async () => {
    const db = await world.freshDatabase();
    // No secret: the requests stay queued (held) for as long as the test looks.
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
    const [first, held, last] = [world.alarmAt(14), world.alarmAt(15), world.alarmAt(16)];
    const holding = await requestTicketFor(b, held);
    expect(holding.ok).toBe(true);
    const holder = holding.ok ? (holding.value as { instance: string }).instance : '';

    const refused = await askGroup(a, first, [held, last]);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('duplicate');
      expect(refused.error.message).toMatch(
        new RegExp(
          `^A ticket was already asked for alarm ${held.dmaId}/${held.alarmId} of the selection by console-b at \\d{4}-`,
        ),
      );
      expect(refused.error.message).toContain(`(request ${holder})`);
    }
    // Nothing of the group was written: its alarms are free, one row (B's) in the table.
    const rows = await value<TicketRow[]>(a, 'tickets:list');
    expect(rows.map((r) => r.instance)).toEqual([holder]);
    const free = await value<(ExistingTicket | null)[]>(a, 'tickets:check-group', {
      keys: [keyOf(first), keyOf(held), keyOf(last)],
    });
    expect(free.map((f) => f?.status ?? null)).toEqual([null, 'Pending', null]);
    // The two free alarms can be asked for at once by the other console.
    expect((await askGroup(b, first, [last])).ok).toBe(true);
  }, 60_000);

  it('claims all its alarms again when a failed group request is retried', async () => {
    const db = await world.freshDatabase();
    const a = await world.console({ name: 'console-a', port: db.port, database: db.name });
    const b = await world.console({ name: 'console-b', port: db.port, database: db.name });
    const [first, other] = [world.alarmAt(17), world.alarmAt(18)];
    world.sim.inject('create', { kind: 'status', status: 400 });
    const asked = await askGroup(a, first, [other]);
    const instance = asked.ok ? (asked.value as { instance: string }).instance : '';
    await until('the group request Failed', async () => {
      return (await rowFor(b, first))?.status === 'Failed';
    });
    // Failed finally: its claims were released; B's Retry claims both alarms again.
    const free = await value<(ExistingTicket | null)[]>(a, 'tickets:check-group', {
      keys: [keyOf(first), keyOf(other)],
    });
    expect(free).toEqual([null, null]);
    const retried = await b.router.handle('tickets:retry', { instance });
    expect(retried).toEqual({ ok: true, value: { instance, status: 'Pending' } });
    const refused = await requestTicketFor(a, other);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('duplicate');
      expect(refused.error.message).toMatch(/by console-b at /);
    }
    const created = await until('the retried group Created', async () => {
      const row = await rowFor(a, first);
      return row?.status === 'Created' ? row : undefined;
    });
    for (const alarm of [first, other]) {
      await until(`the Ticket ID on alarm ${alarm.alarmId}`, () => {
        const seen = a.alarms.find(alarm.dmaId, alarm.alarmId);
        return seen?.properties?.[PROPERTY_TICKET_ID] === created.ticketId;
      });
    }
  }, 60_000);
});
