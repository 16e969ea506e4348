import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TicketRow } from '../../shared/domain.js';
import type { QueuedChange } from './life-store.js';
import { applyChanges } from './ticket-follower.js';
import { pendingRow } from './ticket-rows.js';
import { TicketTables } from './ticket-tables.js';

const NOW = Date.UTC(2026, 5, 1);

let dir: string;
let tables: TicketTables;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'oceane-pruning-'));
  tables = TicketTables.open(dir);
});
afterEach(async () => {
  await tables.close();
  await rm(dir, { recursive: true, force: true });
});

function created(i: number): TicketRow {
  const row = pendingRow(
    `inst-${String(i).padStart(6, '0')}`,
    {
      dmaId: '10',
      elementId: '1',
      alarmId: String(i),
      elementName: 'Paris-Core',
      priority: 'High',
      urgency: 'Low',
      technicalImpact: 'Minor',
    },
    new Date(NOW - 60_000 + i).toISOString(),
  );
  return { ...row, status: 'Created', ticketId: `OCE-${i}` };
}

describe('retention in the SQL store', () => {
  it('a count limit lowered under a long history removes every row beyond it (more rows than a call takes as arguments)', async () => {
    const rows = 150_000;
    await tables.tickets.commit(
      Array.from({ length: rows }, (_, i) => ({ key: created(i).instance, value: created(i) })),
      { durable: false },
    );
    const pruned = tables.prune({ durationDays: 365, countLimit: 10 }, NOW);
    await pruned.written;
    expect(pruned.ticketKeys).toHaveLength(rows - 10);
    expect(pruned.ticketKeys[0]).toBe('inst-000000');
    expect(tables.tickets.size).toBe(10);
    expect([...tables.tickets.keys()]).toEqual(
      Array.from({ length: 10 }, (_, i) => created(rows - 10 + i).instance),
    );
  }, 60_000);

  it('removes the rows older than the duration limit, then the oldest beyond the count, and keeps a pending row', async () => {
    const pending = { ...created(0), status: 'Pending' as const, ticketId: '' };
    const old = { ...created(1), createdAt: new Date(NOW - 10 * 86_400_000).toISOString() };
    await tables.tickets.commit([
      { key: pending.instance, value: pending },
      { key: old.instance, value: old },
      ...[2, 3, 4].map((i) => ({ key: created(i).instance, value: created(i) })),
    ]);
    const first = tables.prune({ durationDays: 7, countLimit: 2 }, NOW);
    await first.written;
    // The pending row counts toward the limit but is never removed.
    expect(first.ticketKeys).toEqual([old.instance, created(2).instance, created(3).instance]);
    expect([...tables.tickets.keys()]).toEqual([pending.instance, created(4).instance]);
    const again = tables.prune({ durationDays: 7, countLimit: 2 }, NOW);
    expect(again.ticketKeys).toEqual([]);
  });
});

/** Records `row` Created and followed (as a settled request does), with one status change. */
function recordFollowed(row: TicketRow): void {
  tables.write(
    [tables.tickets.change([{ key: row.instance, value: row }]), tables.follow(row)],
    false,
  );
  const at = new Date(NOW - 30_000).toISOString();
  const outcome = applyChanges(tables.life.knownTickets(), [
    {
      ticketId: row.ticketId,
      status: 'inProgress',
      statusChangeDate: at,
      statusChangeReason: 'On site',
      resolutionDate: null,
      lastUpdate: at,
      alarmIds: [],
      notes: [{ id: `seen-${row.ticketId}`, author: 'oceane', date: at, text: 'Sent earlier' }],
    },
  ]);
  tables.life.applyUpdates(outcome.updates, null);
}

function note(id: string, ticketId: string, failed: boolean): QueuedChange {
  const date = new Date(NOW - 20_000).toISOString();
  return {
    id,
    ticketId,
    queuedAt: date,
    state: { attempts: 1, maybeSent: false, nextAt: 0, lastError: null, failed },
    kind: 'note',
    note: { id, author: 'operator', date, text: 'Spare part ordered' },
  };
}

function lifeOf(ticketId: string) {
  return {
    followed: tables.life.get(ticketId) !== undefined,
    history: tables.life.history(ticketId).length,
    changes: tables.life.changes().filter((c) => c.ticketId === ticketId).length,
  };
}

describe("retention takes a removed ticket's life with it", () => {
  it('a followed ticket removed by the count limit loses its followed row, history and finished changes', async () => {
    for (const i of [1, 2]) recordFollowed(created(i));
    tables.life.enqueueChanges([note('given-up', 'OCE-1', true)]);
    expect(lifeOf('OCE-1')).toEqual({ followed: true, history: 2, changes: 1 });
    const pruned = tables.prune({ durationDays: 365, countLimit: 1 }, NOW);
    await pruned.written;
    expect(pruned.ticketKeys).toEqual([created(1).instance]);
    expect(pruned.lives).toBe(1);
    expect(lifeOf('OCE-1')).toEqual({ followed: false, history: 0, changes: 0 });
    // The ticket kept is still followed, its history whole.
    expect(lifeOf('OCE-2')).toEqual({ followed: true, history: 2, changes: 0 });
    expect(tables.life.followedCount()).toBe(1);
  });

  it('a ticket with a note on its way keeps its row and life until the note settles', async () => {
    for (const i of [1, 2, 3]) recordFollowed(created(i));
    tables.life.enqueueChanges([note('on-its-way', 'OCE-1', false)]);
    const first = tables.prune({ durationDays: 365, countLimit: 2 }, NOW);
    await first.written;
    // The next oldest goes instead.
    expect(first.ticketKeys).toEqual([created(2).instance]);
    expect(lifeOf('OCE-1')).toEqual({ followed: true, history: 2, changes: 1 });
    expect(lifeOf('OCE-2')).toEqual({ followed: false, history: 0, changes: 0 });
    // Sent: a later pass removes the row and its life.
    tables.life.settleChange('on-its-way', []);
    const second = tables.prune({ durationDays: 365, countLimit: 1 }, NOW);
    await second.written;
    expect(second.ticketKeys).toEqual([created(1).instance]);
    expect(lifeOf('OCE-1')).toEqual({ followed: false, history: 0, changes: 0 });
    expect(lifeOf('OCE-3')).toEqual({ followed: true, history: 2, changes: 0 });
  });

  it('keeps the life of a ticket another row still names (a ticket found again by a look-up)', async () => {
    recordFollowed(created(1));
    // A later request for another alarm found the same ticket: its row names OCE-1 too.
    recordFollowed({ ...created(2), ticketId: 'OCE-1' });
    recordFollowed(created(3));
    const first = tables.prune({ durationDays: 365, countLimit: 2 }, NOW);
    await first.written;
    expect(first.ticketKeys).toEqual([created(1).instance]);
    expect(first.lives).toBe(0);
    expect(lifeOf('OCE-1')).toEqual({ followed: true, history: 2, changes: 0 });
    // Its last row gone, the life goes too.
    const second = tables.prune({ durationDays: 365, countLimit: 1 }, NOW);
    await second.written;
    expect(second.ticketKeys).toEqual([created(2).instance]);
    expect(lifeOf('OCE-1')).toEqual({ followed: false, history: 0, changes: 0 });
  });

  it('sweeps once the lives an earlier version left behind when it pruned their rows', async () => {
    for (const i of [1, 2, 3]) recordFollowed(created(i));
    tables.life.enqueueChanges([note('on-its-way', 'OCE-2', false)]);
    // Rows removed as an earlier version pruned them: their lives stayed.
    await tables.tickets.commit([1, 2].map((i) => ({ key: created(i).instance, delete: true })));
    const first = tables.prune({ durationDays: 365, countLimit: 100 }, NOW);
    await first.written;
    expect(first.ticketKeys).toEqual([]);
    expect(first.lives).toBe(1);
    expect(lifeOf('OCE-1')).toEqual({ followed: false, history: 0, changes: 0 });
    // A note still on its way keeps its ticket's life; the next start looks again.
    expect(lifeOf('OCE-2')).toEqual({ followed: true, history: 2, changes: 1 });
    expect(lifeOf('OCE-3')).toEqual({ followed: true, history: 2, changes: 0 });
    tables.life.settleChange('on-its-way', []);
    await tables.close();
    tables = TicketTables.open(dir);
    const second = tables.prune({ durationDays: 365, countLimit: 100 }, NOW);
    await second.written;
    expect(second.lives).toBe(1);
    expect(lifeOf('OCE-2')).toEqual({ followed: false, history: 0, changes: 0 });
    // Swept: later starts do not look again (a start costs the same whatever was followed).
    await tables.tickets.commit([{ key: created(3).instance, delete: true }]);
    await tables.close();
    tables = TicketTables.open(dir);
    const third = tables.prune({ durationDays: 365, countLimit: 100 }, NOW);
    await third.written;
    expect(third.lives).toBe(0);
    expect(lifeOf('OCE-3').followed).toBe(true);
  });
});
