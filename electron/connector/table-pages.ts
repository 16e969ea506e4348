/**
 * Windows of the Tickets and Failed Ticket Requests tables (shared/table-page.ts, issue 9 item
 * 6) over the rows the connector holds in memory today: filter, sort, then the slice a view
 * asks for. It is the one place that knows the rows are in memory; the SQL store answers the
 * same queries with the same semantics, and the facade switches to it without the views
 * noticing.
 *
 * Semantics (the SQL store keeps them):
 * - Filter: the row matches when one of the table's filter columns contains the text,
 *   case-insensitively (numbers as decimal text, null as no text); statuses (Tickets only):
 *   empty means every status.
 * - Sort: text by UTF-16 code units (SQLite's BINARY collation), numbers numerically, a null
 *   number before every number (SQLite's order: first ascending, last descending). A Failed
 *   Ticket Requests row without `failedCall` sorts as "create". Ties by `instance`, ascending,
 *   in both directions.
 * - `total`: the rows matching the filter; `revision`: grows with every change of the table.
 *
 * The matching rows of the last query are kept with the table's revision, so that paging
 * through one sort and filter (scrolling, exports) sorts once.
 */
import type { FailedRequestRow, TicketRow } from '../../shared/domain.js';
import {
  FAILED_FILTER_COLUMNS,
  TICKET_FILTER_COLUMNS,
  type FailedPageQuery,
  type TablePageFor,
  type TablePageQuery,
  type TicketPageQuery,
} from '../../shared/table-page.js';

export type { TablePageFor, TablePageQuery } from '../../shared/table-page.js';

type SortValue = string | number | null;

/** Where the rows are (the connector's tables). */
export interface TableRows {
  tickets: { values(): Iterable<TicketRow> };
  failed: { values(): Iterable<FailedRequestRow> };
}

/** How often each table changed (the connector's EventBatcher counts it). */
export interface TableRevisions {
  readonly tickets: number;
  readonly failed: number;
}

/** -1, 0 or 1: null first, numbers numerically, text by code units. */
export function compareSortValues(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : 1;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** True when one of `values` contains `needle` (already lower case). */
function containsText(
  values: readonly (string | number | null | undefined)[],
  needle: string,
): boolean {
  if (needle === '') return true;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (String(v).toLowerCase().includes(needle)) return true;
  }
  return false;
}

function ticketSortValue(row: TicketRow, column: TicketPageQuery['sort']['column']): SortValue {
  return row[column];
}

function failedSortValue(
  row: FailedRequestRow,
  column: FailedPageQuery['sort']['column'],
): SortValue {
  if (column === 'failedCall') return row.failedCall ?? 'create';
  return row[column];
}

/** Filters and sorts `rows` as the query says (offset and limit aside). */
function matching<R extends { instance: string }>(
  rows: Iterable<R>,
  keep: (row: R) => boolean,
  sortValue: (row: R) => SortValue,
  descending: boolean,
): R[] {
  const keyed: { row: R; key: SortValue }[] = [];
  for (const row of rows) if (keep(row)) keyed.push({ row, key: sortValue(row) });
  const sign = descending ? -1 : 1;
  keyed.sort(
    (a, b) =>
      sign * compareSortValues(a.key, b.key) || compareSortValues(a.row.instance, b.row.instance),
  );
  return keyed.map((k) => k.row);
}

/** The Tickets rows matching `query`, in its order. */
export function matchingTickets(rows: Iterable<TicketRow>, query: TicketPageQuery): TicketRow[] {
  const needle = query.filter.toLowerCase();
  const statuses = new Set(query.statuses);
  return matching(
    rows,
    (row) =>
      (statuses.size === 0 || statuses.has(row.status)) &&
      containsText(
        TICKET_FILTER_COLUMNS.map((c) => row[c]),
        needle,
      ),
    (row) => ticketSortValue(row, query.sort.column),
    query.sort.direction === 'desc',
  );
}

/** The Failed Ticket Requests rows matching `query`, in its order. */
export function matchingFailed(
  rows: Iterable<FailedRequestRow>,
  query: FailedPageQuery,
): FailedRequestRow[] {
  const needle = query.filter.toLowerCase();
  return matching(
    rows,
    (row) =>
      containsText(
        FAILED_FILTER_COLUMNS.map((c) => row[c]),
        needle,
      ),
    (row) => failedSortValue(row, query.sort.column),
    query.sort.direction === 'desc',
  );
}

/** What identifies the matching rows of a query: everything but its window. */
function matchKey(query: TablePageQuery, revision: number): string {
  const statuses = query.table === 'tickets' ? query.statuses : [];
  return `${revision}:${JSON.stringify([query.table, query.sort, query.filter, statuses])}`;
}

/** Answers window queries over a source, sorting once per sort, filter and revision. */
export class TablePages {
  private last: { key: string; rows: readonly (TicketRow | FailedRequestRow)[] } | null = null;

  constructor(
    private readonly tables: TableRows,
    private readonly revisions: TableRevisions,
  ) {}

  /** The window `query` asks for. */
  page<Q extends TablePageQuery>(query: Q): TablePageFor<Q> {
    const revision = this.revisions[query.table];
    const key = matchKey(query, revision);
    let rows = this.last?.key === key ? this.last.rows : null;
    if (rows === null) {
      rows =
        query.table === 'tickets'
          ? matchingTickets(this.tables.tickets.values(), query)
          : matchingFailed(this.tables.failed.values(), query);
      this.last = { key, rows };
    }
    const window = rows.slice(query.offset, query.offset + query.limit);
    return {
      table: query.table,
      rows: window,
      offset: query.offset,
      total: rows.length,
      revision,
    } as TablePageFor<Q>;
  }
}
