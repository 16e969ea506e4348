/**
 * The ticket's life in team mode, through the app's services (issue 14 with issue 13): two
 * consoles on one real PostgreSQL, one shared DataMiner process and the Oceane simulator. A
 * note added on one console reaches Oceane once and shows in the history of the other; the
 * Oceane status reaches the team's Tickets rows and every console's alarm; when the alarm
 * clears, both consoles hear it and the ticket gets one clear note.
 */
import { describe, expect, it } from 'vitest';
import { PROPERTY_TICKET_STATUS, type TicketRow } from '../shared/domain.js';
import type { TicketHistory } from '../shared/ticket-life.js';
import type { AppServices } from './app-services.js';
import { rowFor, until, useTeamWorld, value } from './app-services-team-support.js';
import { requestTicketFor } from './app-services-test-support.js';
import { clearActionId } from './team/team-life-actions.js';

const world = useTeamWorld();

async function clearNote(services: AppServices): Promise<void> {
  const set = await services.router.handle('settings:update', { element: { clearAction: 'note' } });
  expect(set.ok).toBe(true);
}

describe('the ticket life in team mode', () => {
  it('adds a note once, shows the status and history on both consoles, and takes the clear action once', async () => {
    const db = await world.freshDatabase();
    const a = await world.console({ name: 'console-a', port: db.port, database: db.name });
    const b = await world.console({ name: 'console-b', port: db.port, database: db.name });
    await Promise.all([clearNote(a), clearNote(b)]);
    const alarm = world.dm.list().find((x) => !x.state?.clearedAt && !x.properties?.['Ticket ID']);
    if (!alarm) throw new Error('no active alarm without a ticket');
    expect((await requestTicketFor(a, alarm)).ok).toBe(true);
    const created = await until('the ticket Created, seen from B', async () => {
      const row = await rowFor(b, alarm);
      return row?.status === 'Created' ? row : undefined;
    });
    const ticketId = created.ticketId ?? '';
    await until('the ticket followed by the team', () => a.team?.console?.life.store.get(ticketId));

    world.sim.setStatus(ticketId, 'inProgress', 'On site');
    const added = await b.router.handle('tickets:add-note', {
      ticketId,
      text: 'Spare part ordered',
    });
    expect(added.ok).toBe(true);
    const noteId = added.ok ? (added.value as { id: string }).id : '';
    // The holder's answer from Oceane carries the status: every console's row and alarm show it.
    await until('the status on the rows of A', async () =>
      (await rowFor(a, alarm))?.oceaneStatus === 'inProgress' ? true : undefined,
    );
    for (const services of [a, b]) {
      await until('the status on the alarm', () => {
        const seen = services.alarms.find(alarm.dmaId, alarm.alarmId);
        return seen?.properties?.[PROPERTY_TICKET_STATUS] === 'inProgress';
      });
    }
    // A poll may bring the status before the note is sent: the history is read until it is.
    const history = await until('the note done in the history of A', async () => {
      const read = await value<TicketHistory>(a, 'tickets:history', { ticketId });
      return read.entries.some((e) => e.kind === 'note' && e.state === 'done') ? read : undefined;
    });
    expect(history.status).toBe('inProgress');
    expect(history.entries).toContainEqual(
      expect.objectContaining({
        kind: 'note',
        id: noteId,
        text: 'Spare part ordered',
        state: 'done',
      }),
    );
    const patchesOf = (id: string): number =>
      world.sim.requests().filter((r) => r.method === 'PATCH' && r.requestId === id).length;
    expect(patchesOf(noteId)).toBe(1);

    // The alarm clears on the shared DataMiner: both consoles hear it, one note is queued.
    for (let i = 0; i < 5000 && !world.dm.find(alarm.dmaId, alarm.alarmId)?.state?.clearedAt; i++) {
      world.dm.tick(1);
    }
    expect(world.dm.find(alarm.dmaId, alarm.alarmId)?.state?.clearedAt).toBeTruthy();
    const clearId = clearActionId(ticketId);
    await until('the clear note in Oceane', () =>
      world.sim
        .ledger()
        .find((t) => t.id === ticketId)
        ?.note?.some((n) => n.id === clearId),
    );
    await until('both consoles heard the clear', async () => {
      await Promise.all([a.teamLife?.settled(), b.teamLife?.settled()]);
      const changes = await a.team?.console?.life.store.changes();
      return changes?.length === 0;
    });
    expect(patchesOf(clearId)).toBe(1);
    const notes = world.sim.ledger().find((t) => t.id === ticketId)?.note ?? [];
    expect(notes.filter((n) => n.text.includes('cleared in DataMiner'))).toHaveLength(1);
    const after = await value<TicketHistory>(b, 'tickets:history', { ticketId });
    expect(after.entries.filter((e) => e.kind === 'note').map((e) => e.state)).toEqual([
      'done',
      'done',
    ]);
    const rows = await value<TicketRow[]>(b, 'tickets:list');
    expect(rows.filter((r) => r.ticketId === ticketId)).toHaveLength(1);
  }, 90_000);

  it('refuses a note with a sentence while the team database cannot be reached, and sends it once asked again', async () => {
    const db = await world.freshDatabase();
    const link = await world.relay(db.port);
    const a = await world.console({ name: 'console-a', port: link.port, database: db.name });
    const alarm = world.dm.list().find((x) => !x.state?.clearedAt && !x.properties?.['Ticket ID']);
    if (!alarm) throw new Error('no active alarm without a ticket');
    expect((await requestTicketFor(a, alarm)).ok).toBe(true);
    const created = await until('the ticket Created', async () => {
      const row = await rowFor(a, alarm);
      return row?.status === 'Created' ? row : undefined;
    });
    const ticketId = created.ticketId ?? '';

    await link.cut();
    const refused = await a.router.handle('tickets:add-note', { ticketId, text: 'Not now' });
    expect(refused.ok ? 'accepted' : refused.error.code).toBe('storage');
    if (!refused.ok) {
      expect(refused.error.message).toMatch(
        new RegExp(`^The team database at 127\\.0\\.0\\.1:${link.port} cannot be reached`),
      );
      expect(refused.error.message).toContain('so the note was not accepted.');
    }
    const history = await a.router.handle('tickets:history', { ticketId });
    expect(history.ok ? 'read' : history.error.code).toBe('storage');

    await link.restore();
    const added = await until('the note accepted again', async () => {
      const result = await a.router.handle('tickets:add-note', { ticketId, text: 'Now' });
      return result.ok ? (result.value as { id: string }) : undefined;
    });
    await until('the note in Oceane', () =>
      world.sim
        .ledger()
        .find((t) => t.id === ticketId)
        ?.note?.some((n) => n.id === added.id),
    );
    const notes = world.sim.ledger().find((t) => t.id === ticketId)?.note ?? [];
    expect(notes.map((n) => n.text)).toEqual(['Now']);
  }, 90_000);
});
