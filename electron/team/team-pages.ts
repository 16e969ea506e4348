/**
 * Windows of the team's Tickets and Failed Ticket Requests tables on PostgreSQL (issue 14),
 * sorted and filtered in SQL with the semantics of the single console's windows
 * (connector/ticket-pages.ts): the same real columns (sort, status, the lower-cased `search`
 * text), filter text contained in `search` (strpos: no pattern syntax, as SQLite's instr),
 * ties ordered by instance ascending, `total` the rows matching. The revision is the caller's
 * change counter (it grows with each change the team announces).
 */
import type { FailedRequestRow, TicketRow } from '../../shared/domain.js';
import type {
  FailedPage,
  FailedPageQuery,
  TicketPage,
  TicketPageQuery,
} from '../../shared/table-page.js';
import {
  FAILED_COLUMN,
  TICKET_COLUMN,
  windowQueries,
  type PagedTableName,
  type WindowQuery,
} from '../connector/ticket-pages.js';
import type { PostgresStore } from './postgres-store.js';

/** A window of a team table: the shared queries (connector/ticket-pages.ts) on PostgreSQL. */
async function windowOf<T>(
  store: PostgresStore,
  name: PagedTableName,
  query: WindowQuery,
): Promise<{ rows: T[]; offset: number; total: number }> {
  const sqlOf = windowQueries(store.builder, 'postgres', name, query);
  const [count, rows] = await Promise.all([
    store.first<{ n: string | number }>(sqlOf.count),
    store.all<{ data: string }>(sqlOf.rows),
  ]);
  return {
    rows: rows.map((r) => JSON.parse(r.data) as T),
    offset: query.offset,
    total: Number(count?.n ?? 0),
  };
}

/** A window of the team's Tickets table. */
export async function teamTicketPage(
  store: PostgresStore,
  query: TicketPageQuery,
  revision: number,
): Promise<TicketPage> {
  const window = await windowOf<TicketRow>(store, 'tickets', {
    ...query,
    sortColumn: TICKET_COLUMN[query.sort.column],
    direction: query.sort.direction,
  });
  return { table: 'tickets', ...window, revision };
}

/** A window of the team's Failed Ticket Requests table. */
export async function teamFailedPage(
  store: PostgresStore,
  query: FailedPageQuery,
  revision: number,
): Promise<FailedPage> {
  const window = await windowOf<FailedRequestRow>(store, 'failed_requests', {
    ...query,
    statuses: [],
    sortColumn: FAILED_COLUMN[query.sort.column],
    direction: query.sort.direction,
  });
  return { table: 'failed', ...window, revision };
}
