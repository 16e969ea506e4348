/**
 * Retention takes a removed ticket's life with it (single-console mode, as team mode): driven
 * by the connector against the real simulator over HTTP and a real store in a temporary
 * folder. A ticket whose Tickets row the count limit removes is no longer followed (its
 * followed row, history and sent notes go, and the poll leaves it alone); a ticket with a note
 * still on its way keeps its row and life until the note is sent, and goes at a later pass.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock.js';
import { startRig, ticketRequest, type Rig } from './test-support.js';
import type { TicketTables } from './ticket-tables.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

function tables(r: Rig): TicketTables {
  return (r.connector as unknown as { core: { tables: TicketTables } }).core.tables;
}

/** Creates a ticket for a new alarm and returns its id. */
async function createTicket(r: Rig): Promise<string> {
  const created = await r.connector.createTicket(ticketRequest());
  if (!created.ok) throw new Error(created.error.message);
  await r.connector.whenIdle();
  return r.connector.listTickets().find((t) => t.instance === created.value.instance)!.ticketId;
}

function lifeOf(r: Rig, ticketId: string) {
  const life = tables(r).life;
  return {
    followed: life.get(ticketId) !== undefined,
    history: life.history(ticketId).map((h) => h.kind),
    changes: life.changes().filter((c) => c.ticketId === ticketId).length,
  };
}

function ticketIds(r: Rig): string[] {
  return r.connector
    .listTickets()
    .map((t) => t.ticketId)
    .sort();
}

describe('retention and the ticket life', () => {
  it('a followed ticket removed by the count limit loses its followed row, history and sent notes, and is polled no more', async () => {
    rig = await startRig({ clock: new FakeClock(Date.now()) });
    const r = rig;
    await r.connector.life.polls.close();
    const first = await createTicket(r);
    const second = await createTicket(r);
    expect(r.connector.life.addNote(first, 'Customer called back').ok).toBe(true);
    await r.connector.life.changes.settled();
    await r.connector.life.polls.pollNow();
    expect(lifeOf(r, first)).toMatchObject({ followed: true, changes: 0 });
    expect(lifeOf(r, first).history).toContain('note');

    await r.connector.updateSettings({ element: { ticketStorageCountLimit: 1 } });
    expect(ticketIds(r)).toEqual([second]);
    expect(lifeOf(r, first)).toEqual({ followed: false, history: [], changes: 0 });
    expect(lifeOf(r, second).followed).toBe(true);
    expect(tables(r).life.followedCount()).toBe(1);

    // Oceane goes on changing both tickets: the poll follows only the one still shown.
    r.sim.setStatus(first, 'inProgress', 'Field team on site');
    r.sim.setStatus(second, 'inProgress', 'Field team on site');
    await r.connector.life.polls.pollNow();
    expect(lifeOf(r, first)).toEqual({ followed: false, history: [], changes: 0 });
    expect(tables(r).life.get(second)?.status).toBe('inProgress');
  });

  it('a ticket with a note on its way keeps its row and life until the note is sent', async () => {
    const clock = new FakeClock(Date.now());
    rig = await startRig({ clock, retryCount: 3 });
    const r = rig;
    await r.connector.life.polls.close();
    const first = await createTicket(r);
    const second = await createTicket(r);
    const third = await createTicket(r);
    // The first send fails: the note waits for its retry.
    r.sim.inject('patch', { kind: 'status', status: 503 }, 1);
    expect(r.connector.life.addNote(first, 'Spare part ordered').ok).toBe(true);
    await r.connector.life.changes.settled();
    expect(lifeOf(r, first)).toMatchObject({ followed: true, changes: 1 });

    await r.connector.updateSettings({ element: { ticketStorageCountLimit: 2 } });
    // The next oldest goes instead of the ticket whose note is on its way.
    expect(ticketIds(r)).toEqual([first, third].sort());
    expect(lifeOf(r, first)).toMatchObject({ followed: true, changes: 1 });
    expect(lifeOf(r, second)).toEqual({ followed: false, history: [], changes: 0 });

    await clock.advanceAsync(3_600_000);
    await r.connector.life.changes.settled();
    expect((r.sim.ledger().find((t) => t.id === first)?.note ?? []).map((n) => n.text)).toEqual([
      'Spare part ordered',
    ]);
    expect(lifeOf(r, first).changes).toBe(0);
    // The next ticket's pass removes the oldest row, its life with it.
    const fourth = await createTicket(r);
    expect(ticketIds(r)).toEqual([third, fourth].sort());
    expect(lifeOf(r, first)).toEqual({ followed: false, history: [], changes: 0 });
  });
});
