/**
 * The life-cycle tables of migration 4 (issue 13): they compile for SQLite and PostgreSQL, a
 * created ticket is followed from the transaction that records it Created, and a batch of
 * changes is stored with its history, the Oceane status on the Tickets rows and the cursor.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, queryBuilder } from '../storage/store-schema.js';
import { startRig, ticketRequest, type Rig } from './test-support.js';
import { applyChanges, type TicketChange } from './ticket-follower.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

function tables(r: Rig) {
  return (r.connector as unknown as { core: { tables: import('./ticket-tables.js').TicketTables } })
    .core.tables;
}

describe('migration 4', () => {
  it('compiles for both dialects, with the tables and indexes a poll reads by', () => {
    const migration = MIGRATIONS.find((m) => m.version === 4);
    expect(migration).toBeDefined();
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const sql = migration!.steps(queryBuilder(dialect)).map((q) => q.sql);
      expect(sql.some((s) => /create table "followed_tickets"/.test(s))).toBe(true);
      expect(sql.some((s) => /create table "change_queue"/.test(s))).toBe(true);
      expect(sql.some((s) => /create index "tickets_by_ticket_id"/.test(s))).toBe(true);
      expect(sql.some((s) => /create index "history_by_ticket"/.test(s))).toBe(true);
    }
  });
});

describe('following created tickets', () => {
  it('follows a ticket from its Created row, and stores a batch of changes in one go', async () => {
    rig = await startRig();
    const request = ticketRequest();
    const result = await rig.connector.createTicket(request);
    expect(result.ok).toBe(true);
    await rig.connector.whenIdle();
    const [row] = rig.connector.listTickets();
    expect(row?.status).toBe('Created');
    const life = tables(rig).life;
    const followed = life.get(row!.ticketId);
    expect(followed).toMatchObject({ ticketId: row!.ticketId, status: null, actedOn: false });
    // The cursor starts at the ticket's creation, so the first poll reads its first state.
    expect(life.pollState().cursor).toBe(new Date(row!.createdAt).toISOString());

    const change: TicketChange = {
      ticketId: row!.ticketId,
      status: 'inProgress',
      statusChangeDate: '2026-01-01T10:00:00.000Z',
      statusChangeReason: 'Taken by the field team',
      resolutionDate: null,
      lastUpdate: '2026-01-01T10:00:00.000Z',
      alarmIds: [],
      notes: [{ id: 'n-1', author: 'oceane', date: '2026-01-01T10:00:00.000Z', text: 'On it' }],
    };
    const outcome = applyChanges(life.knownTickets(), [change, change]);
    const rows = life.applyUpdates(outcome.updates, { cursor: change.lastUpdate, failures: 0 });
    expect(rows.map((r) => r.oceaneStatus)).toEqual(['inProgress']);
    expect(rig.connector.listTickets()[0]?.oceaneStatus).toBe('inProgress');
    expect(life.get(row!.ticketId)).toMatchObject({ status: 'inProgress', noteIds: ['n-1'] });
    expect(life.history(row!.ticketId).map((h) => h.kind)).toEqual(['status', 'note']);
    // The same batch again changes nothing, and the history keeps one entry of each.
    const again = applyChanges(life.knownTickets(), [change]);
    expect(again.updates).toEqual([]);
    life.applyUpdates(outcome.updates, null);
    expect(life.history(row!.ticketId)).toHaveLength(2);
    expect(life.pollState()).toEqual({ cursor: change.lastUpdate, failures: 0 });
    expect(life.followedCount()).toBe(1);
  });
});
