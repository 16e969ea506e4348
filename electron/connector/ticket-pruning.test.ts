import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TicketRow } from '../../shared/domain.js';
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
