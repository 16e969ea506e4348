import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FailedRequestRow, TicketRow } from '../../shared/domain.js';
import { firstFailedPage, firstTicketPage } from '../../shared/table-page.js';
import { pendingRow } from './ticket-rows.js';
import { TicketTables } from './ticket-tables.js';

let dir: string;
let tables: TicketTables;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'oceane-pages-'));
  tables = TicketTables.open(dir);
});
afterEach(async () => {
  await tables.close();
  await rm(dir, { recursive: true, force: true });
});

function ticket(i: number, extra: Partial<TicketRow> = {}): TicketRow {
  const row = pendingRow(
    `inst-${String(i).padStart(3, '0')}`,
    {
      dmaId: '10',
      elementId: '1',
      alarmId: String(500 + i),
      elementName: i % 2 === 0 ? 'Paris-Core' : 'Lyon-Edge',
      priority: 'High',
      urgency: 'Low',
      technicalImpact: 'Minor',
    },
    new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
  );
  return { ...row, status: 'Created', ticketId: `OCE-${i}`, ...extra };
}

describe('windows of the Tickets table', () => {
  it('newest first, offset and limit, total and a revision that grows', async () => {
    await tables.tickets.commit(
      Array.from({ length: 12 }, (_, i) => ({ key: ticket(i).instance, value: ticket(i) })),
    );
    const before = tables.pageTickets(firstTicketPage(5));
    expect(before.rows.map((r) => r.ticketId)).toEqual([
      'OCE-11',
      'OCE-10',
      'OCE-9',
      'OCE-8',
      'OCE-7',
    ]);
    expect(before.total).toBe(12);
    const next = tables.pageTickets({ ...firstTicketPage(5), offset: 10 });
    expect(next.rows.map((r) => r.ticketId)).toEqual(['OCE-1', 'OCE-0']);
    expect(next.offset).toBe(10);
    await tables.tickets.commit([
      { key: ticket(3).instance, value: ticket(3, { status: 'Failed' }) },
    ]);
    expect(tables.pageTickets(firstTicketPage(5)).revision).toBeGreaterThan(before.revision);
  });

  it('filters case-insensitively in one column at a time, by status, and orders ties by instance', async () => {
    await tables.tickets.commit([
      { key: 'inst-b', value: ticket(1, { instance: 'inst-b', description: 'Fibre CUT north' }) },
      { key: 'inst-a', value: ticket(2, { instance: 'inst-a', status: 'Failed' }) },
      { key: 'inst-c', value: ticket(3, { instance: 'inst-c', status: 'Pending' }) },
    ]);
    const cut = tables.pageTickets({ ...firstTicketPage(), filter: 'fibre cut' });
    expect(cut.rows.map((r) => r.instance)).toEqual(['inst-b']);
    expect(cut.total).toBe(1);
    // "core" + "10": a match never spans two columns.
    expect(tables.pageTickets({ ...firstTicketPage(), filter: 'core10' }).total).toBe(0);
    expect(
      tables.pageTickets({ ...firstTicketPage(), filter: 'paris' }).rows.map((r) => r.instance),
    ).toEqual(['inst-a']);
    const notCreated = tables.pageTickets({
      ...firstTicketPage(),
      statuses: ['Failed', 'Pending'],
    });
    expect(notCreated.rows.map((r) => r.instance)).toEqual(['inst-c', 'inst-a']);
    expect(notCreated.total).toBe(2);
    const byPriority = tables.pageTickets({
      ...firstTicketPage(),
      sort: { column: 'priority', direction: 'desc' },
    });
    expect(byPriority.rows.map((r) => r.instance)).toEqual(['inst-a', 'inst-b', 'inst-c']);
  });
});

describe('windows of the Failed Ticket Requests table', () => {
  it('sorts by HTTP code with its filter on the code as decimal text', async () => {
    const failed = (instance: string, code: number | null, at: number): FailedRequestRow => ({
      instance,
      ticketInstance: `t-${instance}`,
      httpErrorCode: code,
      appErrorCode: code === null ? '' : 'E',
      errorMessage: 'Oceane did not answer',
      errorDescription: '',
      failedAt: new Date(Date.UTC(2026, 0, 1, 0, at)).toISOString(),
    });
    await tables.failed.commit([
      { key: 'f1', value: failed('f1', 503, 1) },
      { key: 'f2', value: failed('f2', null, 2) },
      { key: 'f3', value: failed('f3', 400, 3) },
    ]);
    expect(tables.pageFailed(firstFailedPage()).rows.map((r) => r.instance)).toEqual([
      'f3',
      'f2',
      'f1',
    ]);
    const byCode = tables.pageFailed({
      ...firstFailedPage(),
      sort: { column: 'httpErrorCode', direction: 'asc' },
    });
    expect(byCode.rows.map((r) => r.instance)).toEqual(['f2', 'f3', 'f1']);
    const only503 = tables.pageFailed({ ...firstFailedPage(), filter: '503' });
    expect(only503.rows.map((r) => r.instance)).toEqual(['f1']);
    expect(only503.total).toBe(1);
  });
});
