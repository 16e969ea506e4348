/**
 * Windows of the Tickets and Failed Ticket Requests tables (issue 9, item 6), sorted and
 * filtered in SQL by index with exactly the semantics of shared/table-page.ts: filter text
 * contained, case-insensitively, in one of the filter columns; ties ordered by instance
 * ascending; `total` the rows matching; `revision` the table's change counter. The unfiltered
 * total is the table's followed row count, so the first page costs the same at any size.
 */
import { sql, type CompiledQuery, type ExpressionBuilder, type Kysely } from 'kysely';
import type { FailedRequestRow, TicketRow } from '../../shared/domain.js';
import type {
  FailedPage,
  FailedPageQuery,
  TicketPage,
  TicketPageQuery,
} from '../../shared/table-page.js';
import type { SqlTable } from '../storage/sql-table.js';
import type { StoreSchema } from '../storage/store-schema.js';

/** The Tickets table's SQL column of each sort column (team mode's windows use them too). */
export const TICKET_COLUMN = {
  createdAt: 'created_at',
  ticketId: 'ticket_id',
  elementName: 'element_name',
  alarmId: 'alarm_id',
  priority: 'priority',
  urgency: 'urgency',
  technicalImpact: 'technical_impact',
  status: 'status',
} as const;

/** The Failed Ticket Requests table's SQL column of each sort column. */
export const FAILED_COLUMN = {
  failedAt: 'failed_at',
  httpErrorCode: 'http_error_code',
  appErrorCode: 'app_error_code',
  errorMessage: 'error_message',
  failedCall: 'failed_call',
} as const;

/** The two tables with views, seen through the columns a window uses. */
export type PagedTableName = 'tickets' | 'failed_requests';
type PagedTables = Record<PagedTableName, Record<string, string | number | null>>;

/** What a window asks of its table, in SQL terms. */
export interface WindowQuery {
  filter: string;
  /** Only rows with one of these statuses (Tickets only); empty: every status. */
  statuses: readonly string[];
  sortColumn: string;
  direction: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/**
 * The sort columns that may be empty (NULL). Only their order names where empty values go:
 * on the others, PostgreSQL's btree index serves the order only without it.
 */
const NULLABLE = new Set<string>([FAILED_COLUMN.httpErrorCode]);

/** The sort columns whose order no collation changes (ISO times, numbers). */
const BYTE_ORDER_SAFE = new Set<string>([
  TICKET_COLUMN.createdAt,
  FAILED_COLUMN.failedAt,
  FAILED_COLUMN.httpErrorCode,
]);

/**
 * The window's two queries, for SQLite (this console) or PostgreSQL (team mode): the rows
 * matching, counted, and the window's rows (`data`), sorted with ties by instance ascending.
 * The filter is lower-cased text contained in the search column, with no pattern syntax
 * (SQLite's instr, PostgreSQL's strpos).
 */
export function windowQueries(
  builder: Kysely<StoreSchema>,
  dialect: 'sqlite' | 'postgres',
  name: PagedTableName,
  query: WindowQuery,
): { count: CompiledQuery; rows: CompiledQuery } {
  const b = builder as unknown as Kysely<PagedTables>;
  const text = query.filter.toLowerCase();
  const contains =
    dialect === 'sqlite'
      ? sql<boolean>`instr(search, ${text}) > 0`
      : sql<boolean>`strpos(search, ${text}) > 0`;
  const where = (eb: ExpressionBuilder<PagedTables, PagedTableName>) => {
    const parts = [];
    if (query.statuses.length > 0) parts.push(eb('status', 'in', query.statuses));
    if (query.filter !== '') parts.push(contains);
    return eb.and(parts);
  };
  // PostgreSQL sorts text by the database's collation (often case and punctuation second);
  // SQLite byte by byte: "C" makes them agree. The times (ISO text) and numbers sort the same
  // in any collation, and keep their index.
  const sortKey =
    dialect === 'postgres' && !BYTE_ORDER_SAFE.has(query.sortColumn)
      ? sql`${sql.ref(query.sortColumn)} collate "C"`
      : sql.ref(query.sortColumn);
  return {
    count: b
      .selectFrom(name)
      .select((eb) => eb.fn.countAll().as('n'))
      .where(where)
      .compile(),
    rows: b
      .selectFrom(name)
      .select('data')
      .where(where)
      .orderBy(sortKey, (ob) => {
        const ordered = query.direction === 'asc' ? ob.asc() : ob.desc();
        // SQLite puts empty values first going up, PostgreSQL last: the same as SQLite.
        if (dialect === 'sqlite' || !NULLABLE.has(query.sortColumn)) return ordered;
        return query.direction === 'asc' ? ordered.nullsFirst() : ordered.nullsLast();
      })
      .orderBy('key', 'asc')
      .limit(query.limit)
      .offset(query.offset)
      .compile(),
  };
}

/** The rows of a window, the rows matching, and the table's revision. */
function windowOf<T>(
  table: SqlTable<T>,
  name: PagedTableName,
  query: WindowQuery,
): { rows: T[]; offset: number; total: number; revision: number } {
  const { database } = table;
  const sqlOf = windowQueries(database.builder, 'sqlite', name, query);
  const filtered = query.statuses.length > 0 || query.filter !== '';
  const total = filtered ? Number(database.first<{ n: number }>(sqlOf.count)?.n ?? 0) : table.size;
  const rows = database.all<{ data: string }>(sqlOf.rows);
  return {
    rows: rows.map((r) => JSON.parse(r.data) as T),
    offset: query.offset,
    total,
    revision: table.revision,
  };
}

/** A window of the Tickets table. */
export function pageTickets(table: SqlTable<TicketRow>, query: TicketPageQuery): TicketPage {
  const window = windowOf(table, 'tickets', {
    ...query,
    sortColumn: TICKET_COLUMN[query.sort.column],
    direction: query.sort.direction,
  });
  return { table: 'tickets', ...window };
}

/** A window of the Failed Ticket Requests table. */
export function pageFailed(table: SqlTable<FailedRequestRow>, query: FailedPageQuery): FailedPage {
  const window = windowOf(table, 'failed_requests', {
    ...query,
    statuses: [],
    sortColumn: FAILED_COLUMN[query.sort.column],
    direction: query.sort.direction,
  });
  return { table: 'failed', ...window };
}
