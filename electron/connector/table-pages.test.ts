/**
 * The windows of the Tickets and Failed Ticket Requests tables over in-memory rows: sort per
 * column and direction, ties by Instance, the filter columns, statuses, offset and limit, total
 * and revision (the semantics the SQL store keeps, shared/table-page.ts). Then one window
 * through the real connector, whose revision follows its changes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FailedRequestRow, TicketRow } from '../../shared/domain.js';
import {
  FAILED_SORT_COLUMNS,
  TICKET_SORT_COLUMNS,
  firstFailedPage,
  firstTicketPage,
  type FailedPageQuery,
  type TicketPageQuery,
} from '../../shared/table-page.js';
import { TablePages, compareSortValues } from './table-pages.js';
import { startRig, ticketRequest, type Rig } from './test-support.js';

function ticket(instance: string, over: Partial<TicketRow> = {}): TicketRow {
  return {
    instance,
    ticketId: '',
    alarmId: '1',
    dmaId: '100',
    elementId: '7',
    elementName: 'Router A',
    createdAt: '2026-01-01T00:00:00.000Z',
    priority: 'Medium',
    urgency: 'Medium',
    technicalImpact: 'Minor',
    clientImpact: '',
    rootCause: '',
    rootTime: '',
    description: '',
    status: 'Pending',
    ticketUrl: '',
    ...over,
  };
}

function failure(instance: string, over: Partial<FailedRequestRow> = {}): FailedRequestRow {
  return {
    instance,
    ticketInstance: `t-${instance}`,
    httpErrorCode: 500,
    appErrorCode: '',
    errorMessage: 'Internal error',
    errorDescription: '',
    failedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

/** Pages over mutable arrays, with revisions the test moves. */
function pagesOver(tickets: TicketRow[], failed: FailedRequestRow[] = []) {
  const revisions = { tickets: 0, failed: 0 };
  const pages = new TablePages(
    { tickets: { values: () => tickets.values() }, failed: { values: () => failed.values() } },
    revisions,
  );
  return { pages, revisions };
}

const ticketQuery = (over: Partial<TicketPageQuery> = {}): TicketPageQuery => ({
  ...firstTicketPage(100),
  ...over,
});
const failedQuery = (over: Partial<FailedPageQuery> = {}): FailedPageQuery => ({
  ...firstFailedPage(100),
  ...over,
});
const instances = (rows: readonly { instance: string }[]) => rows.map((r) => r.instance);

describe('compareSortValues', () => {
  it('puts null first, numbers numerically and text by code units', () => {
    expect(compareSortValues(null, 0)).toBe(-1);
    expect(compareSortValues(0, null)).toBe(1);
    expect(compareSortValues(9, 10)).toBe(-1);
    expect(compareSortValues('B', 'a')).toBe(-1);
    expect(compareSortValues('10', '9')).toBe(-1);
    expect(compareSortValues('x', 'x')).toBe(0);
  });
});

describe('Tickets windows', () => {
  const rows = [
    ticket('c', { createdAt: '2026-01-03T00:00:00.000Z', elementName: 'beta', status: 'Failed' }),
    ticket('a', { createdAt: '2026-01-01T00:00:00.000Z', elementName: 'Alpha', ticketId: 'T-9' }),
    ticket('b', { createdAt: '2026-01-02T00:00:00.000Z', elementName: 'alpha', status: 'Created' }),
    ticket('d', { createdAt: '2026-01-02T00:00:00.000Z', elementName: 'Gamma', priority: 'High' }),
  ];

  it('opens newest first, ties by Instance ascending', () => {
    const { pages } = pagesOver(rows);
    const page = pages.page(ticketQuery());
    expect(instances(page.rows)).toEqual(['c', 'b', 'd', 'a']);
    expect(page).toMatchObject({ table: 'tickets', offset: 0, total: 4, revision: 0 });
  });

  it('sorts ascending and descending by each column, ties by Instance in both', () => {
    const { pages } = pagesOver(rows);
    const asc = pages.page(ticketQuery({ sort: { column: 'createdAt', direction: 'asc' } }));
    expect(instances(asc.rows)).toEqual(['a', 'b', 'd', 'c']);
    const byName = pages.page(ticketQuery({ sort: { column: 'elementName', direction: 'asc' } }));
    expect(instances(byName.rows)).toEqual(['a', 'd', 'b', 'c']);
    const byStatus = pages.page(ticketQuery({ sort: { column: 'status', direction: 'desc' } }));
    expect(instances(byStatus.rows)).toEqual(['a', 'd', 'c', 'b']);
    for (const column of TICKET_SORT_COLUMNS) {
      for (const direction of ['asc', 'desc'] as const) {
        const got = pages.page(ticketQuery({ sort: { column, direction } })).rows;
        const sign = direction === 'asc' ? 1 : -1;
        for (let i = 1; i < got.length; i++) {
          const [p, q] = [got[i - 1] as TicketRow, got[i] as TicketRow];
          const order = sign * compareSortValues(p[column], q[column]);
          expect(order < 0 || (order === 0 && p.instance < q.instance)).toBe(true);
        }
      }
    }
  });

  it('filters case-insensitively in the filter columns only, and by status', () => {
    const { pages } = pagesOver(rows);
    expect(instances(pages.page(ticketQuery({ filter: 'ALPHA' })).rows)).toEqual(['b', 'a']);
    expect(instances(pages.page(ticketQuery({ filter: 't-9' })).rows)).toEqual(['a']);
    expect(instances(pages.page(ticketQuery({ filter: 'high' })).rows)).toEqual(['d']);
    // The Instance is not a filter column.
    expect(pages.page(ticketQuery({ filter: 'c' })).rows.map((r) => r.instance)).not.toContain('c');
    const failedOrCreated = pages.page(ticketQuery({ statuses: ['Failed', 'Created'] }));
    expect(instances(failedOrCreated.rows)).toEqual(['c', 'b']);
    expect(failedOrCreated.total).toBe(2);
    const both = pages.page(ticketQuery({ statuses: ['Pending'], filter: 'alpha' }));
    expect(instances(both.rows)).toEqual(['a']);
  });

  it('answers the window asked for, with the total of matching rows', () => {
    const { pages } = pagesOver(rows);
    const page = pages.page(ticketQuery({ offset: 1, limit: 2 }));
    expect(instances(page.rows)).toEqual(['b', 'd']);
    expect(page).toMatchObject({ offset: 1, total: 4 });
    const beyond = pages.page(ticketQuery({ offset: 10, limit: 5 }));
    expect(beyond.rows).toEqual([]);
    expect(beyond.total).toBe(4);
  });

  it('sees a change once the revision moved, and carries the revision', () => {
    const live = [...rows];
    const { pages, revisions } = pagesOver(live);
    expect(pages.page(ticketQuery()).total).toBe(4);
    live.push(ticket('e', { createdAt: '2026-02-01T00:00:00.000Z' }));
    revisions.tickets = 1;
    const page = pages.page(ticketQuery({ limit: 1 }));
    expect(instances(page.rows)).toEqual(['e']);
    expect(page).toMatchObject({ total: 5, revision: 1 });
  });
});

describe('Failed Ticket Requests windows', () => {
  const rows = [
    failure('1', { failedAt: '2026-01-01T00:00:00.000Z', httpErrorCode: null }),
    failure('2', {
      failedAt: '2026-01-03T00:00:00.000Z',
      appErrorCode: 'E42',
      failedCall: 'look-up',
    }),
    failure('3', {
      failedAt: '2026-01-02T00:00:00.000Z',
      httpErrorCode: 404,
      errorMessage: 'Not Found',
    }),
  ];

  it('opens newest first and sorts numbers numerically, null first ascending', () => {
    const { pages } = pagesOver([], rows);
    expect(instances(pages.page(failedQuery()).rows)).toEqual(['2', '3', '1']);
    const byCode = pages.page(failedQuery({ sort: { column: 'httpErrorCode', direction: 'asc' } }));
    expect(instances(byCode.rows)).toEqual(['1', '3', '2']);
    const byCall = pages.page(failedQuery({ sort: { column: 'failedCall', direction: 'asc' } }));
    expect(instances(byCall.rows)).toEqual(['1', '3', '2']);
    for (const column of FAILED_SORT_COLUMNS) {
      const page = pages.page(failedQuery({ sort: { column, direction: 'desc' } }));
      expect(page.total).toBe(3);
    }
  });

  it('filters in codes (numbers as text), messages and the ticket Instance', () => {
    const { pages } = pagesOver([], rows);
    expect(instances(pages.page(failedQuery({ filter: '40' })).rows)).toEqual(['3']);
    expect(instances(pages.page(failedQuery({ filter: 'e42' })).rows)).toEqual(['2']);
    expect(instances(pages.page(failedQuery({ filter: 'not found' })).rows)).toEqual(['3']);
    expect(instances(pages.page(failedQuery({ filter: 't-1' })).rows)).toEqual(['1']);
    expect(pages.page(failedQuery({ filter: 'nothing like it' })).total).toBe(0);
  });
});

describe('tablePage on the connector', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.dispose();
    rig = undefined;
  });

  it('shows a new ticket in the first window with a higher revision', async () => {
    rig = await startRig();
    const before = rig.connector.tablePage(firstTicketPage(10));
    expect(before.total).toBe(0);
    const queued = await rig.connector.createTicket(ticketRequest({ elementName: 'Edge 12' }));
    expect(queued.ok).toBe(true);
    await rig.connector.whenIdle();
    const after = rig.connector.tablePage({ ...firstTicketPage(10), filter: 'edge 12' });
    expect(after.total).toBe(1);
    expect(after.rows[0]).toMatchObject({ elementName: 'Edge 12', status: 'Created' });
    expect(after.revision).toBeGreaterThan(before.revision);
  });
});
