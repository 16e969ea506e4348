/**
 * Windows of the Tickets and Failed Ticket Requests tables (issue 9, item 6), sorted and
 * filtered in SQL by index with exactly the semantics of shared/table-page.ts: filter text
 * contained, case-insensitively, in one of the filter columns; ties ordered by instance
 * ascending; `total` the rows matching; `revision` the table's change counter. The unfiltered
 * total is the table's followed row count, so the first page costs the same at any size.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import type { FailedRequestRow, TicketRow } from '../../shared/domain.js';
import type {
  FailedPage,
  FailedPageQuery,
  TicketPage,
  TicketPageQuery,
} from '../../shared/table-page.js';
import type { SqlTable } from '../storage/sql-table.js';
import type { StoreSchema } from '../storage/store-schema.js';

const TICKET_COLUMN = {
  createdAt: 'created_at',
  ticketId: 'ticket_id',
  elementName: 'element_name',
  alarmId: 'alarm_id',
  priority: 'priority',
  urgency: 'urgency',
  technicalImpact: 'technical_impact',
  status: 'status',
} as const;

const FAILED_COLUMN = {
  failedAt: 'failed_at',
  httpErrorCode: 'http_error_code',
  appErrorCode: 'app_error_code',
  errorMessage: 'error_message',
  failedCall: 'failed_call',
} as const;

/** The filter: lower-cased text contained in the search column (instr: no pattern syntax). */
function contains(filter: string) {
  const text = filter.toLowerCase();
  return sql<boolean>`instr(search, ${text}) > 0`;
}

/** A window of the Tickets table. */
export function pageTickets(table: SqlTable<TicketRow>, query: TicketPageQuery): TicketPage {
  const { database } = table;
  const b = database.builder;
  const where = (eb: ExpressionBuilder<StoreSchema, 'tickets'>) => {
    const parts = [];
    if (query.statuses.length > 0) parts.push(eb('status', 'in', query.statuses));
    if (query.filter !== '') parts.push(contains(query.filter));
    return eb.and(parts);
  };
  const filtered = query.statuses.length > 0 || query.filter !== '';
  const total = filtered
    ? Number(
        database.first<{ n: number }>(
          b
            .selectFrom('tickets')
            .select((eb) => eb.fn.countAll().as('n'))
            .where(where)
            .compile(),
        )?.n ?? 0,
      )
    : table.size;
  const rows = database.all<{ data: string }>(
    b
      .selectFrom('tickets')
      .select('data')
      .where(where)
      .orderBy(TICKET_COLUMN[query.sort.column], query.sort.direction)
      .orderBy('key', 'asc')
      .limit(query.limit)
      .offset(query.offset)
      .compile(),
  );
  return {
    table: 'tickets',
    rows: rows.map((r) => JSON.parse(r.data) as TicketRow),
    offset: query.offset,
    total,
    revision: table.revision,
  };
}

/** A window of the Failed Ticket Requests table. */
export function pageFailed(table: SqlTable<FailedRequestRow>, query: FailedPageQuery): FailedPage {
  const { database } = table;
  const b = database.builder;
  const where = (eb: ExpressionBuilder<StoreSchema, 'failed_requests'>) =>
    eb.and(query.filter !== '' ? [contains(query.filter)] : []);
  const total =
    query.filter !== ''
      ? Number(
          database.first<{ n: number }>(
            b
              .selectFrom('failed_requests')
              .select((eb) => eb.fn.countAll().as('n'))
              .where(where)
              .compile(),
          )?.n ?? 0,
        )
      : table.size;
  const rows = database.all<{ data: string }>(
    b
      .selectFrom('failed_requests')
      .select('data')
      .where(where)
      .orderBy(FAILED_COLUMN[query.sort.column], query.sort.direction)
      .orderBy('key', 'asc')
      .limit(query.limit)
      .offset(query.offset)
      .compile(),
  );
  return {
    table: 'failed',
    rows: rows.map((r) => JSON.parse(r.data) as FailedRequestRow),
    offset: query.offset,
    total,
    revision: table.revision,
  };
}
