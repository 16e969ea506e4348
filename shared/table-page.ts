/**
 * The window of a table that a view asks the main process for (issue 9, item 6): the rows it
 * shows, sorted and filtered where the rows are kept (in SQL, by index), never the whole table.
 * The Tickets and Failed Ticket Requests views, their exports and the `tickets-page` benchmark
 * all go through this one contract.
 */
import './zod-setup.js';
import { z } from 'zod';
import { TICKET_STATUSES } from './domain.js';
import { failedRequestRowSchema, ticketRowSchema } from './schemas.js';

/** The most rows one window may hold (a screen holds about 60; exports page by this). */
export const TABLE_PAGE_MAX_ROWS = 1000;

/** Sortable columns of the Tickets table; `createdAt` descending is the default order. */
export const TICKET_SORT_COLUMNS = [
  'createdAt',
  'ticketId',
  'elementName',
  'alarmId',
  'priority',
  'urgency',
  'technicalImpact',
  'status',
] as const;

/** Sortable columns of the Failed Ticket Requests table; `failedAt` descending is the default. */
export const FAILED_SORT_COLUMNS = [
  'failedAt',
  'httpErrorCode',
  'appErrorCode',
  'errorMessage',
  'failedCall',
] as const;

/**
 * The columns a filter looks in. A row matches when one of them contains the filter text,
 * case-insensitively (a match never spans two columns; numbers as decimal text). Rows of equal
 * sort value are ordered by `instance`, ascending, so that windows never overlap or skip.
 */
export const TICKET_FILTER_COLUMNS = [
  'ticketId',
  'elementName',
  'dmaId',
  'alarmId',
  'priority',
  'urgency',
  'technicalImpact',
  'status',
  'rootCause',
  'description',
] as const;

/** The columns a Failed Ticket Requests filter looks in (see TICKET_FILTER_COLUMNS). */
export const FAILED_FILTER_COLUMNS = [
  'httpErrorCode',
  'appErrorCode',
  'errorMessage',
  'errorDescription',
  'ticketInstance',
] as const;

const sortDirection = z.enum(['asc', 'desc']);
/** Text the rows must contain, case-insensitively, in any of their shown columns. */
const filterText = z.string().max(200, 'The filter is at most 200 characters');
const window = {
  offset: z.number().int().min(0).max(100_000_000),
  limit: z.number().int().min(1).max(TABLE_PAGE_MAX_ROWS),
};

export const ticketPageQuerySchema = z.strictObject({
  table: z.literal('tickets'),
  sort: z.strictObject({ column: z.enum(TICKET_SORT_COLUMNS), direction: sortDirection }),
  filter: filterText,
  /** Only rows with one of these statuses; empty: every status. */
  statuses: z.array(z.enum(TICKET_STATUSES)).max(TICKET_STATUSES.length),
  ...window,
});

export const failedPageQuerySchema = z.strictObject({
  table: z.literal('failed'),
  sort: z.strictObject({ column: z.enum(FAILED_SORT_COLUMNS), direction: sortDirection }),
  filter: filterText,
  ...window,
});

export const tablePageQuerySchema = z.discriminatedUnion('table', [
  ticketPageQuerySchema,
  failedPageQuerySchema,
]);

/** `total`: rows matching the filter; `revision` grows with every change of the table. */
export const ticketPageSchema = z.strictObject({
  table: z.literal('tickets'),
  rows: z.array(ticketRowSchema),
  offset: z.number(),
  total: z.number(),
  revision: z.number(),
});

export const failedPageSchema = z.strictObject({
  table: z.literal('failed'),
  rows: z.array(failedRequestRowSchema),
  offset: z.number(),
  total: z.number(),
  revision: z.number(),
});

export type TicketPageQuery = z.infer<typeof ticketPageQuerySchema>;
export type FailedPageQuery = z.infer<typeof failedPageQuerySchema>;
export type TablePageQuery = z.infer<typeof tablePageQuerySchema>;
export type TicketPage = z.infer<typeof ticketPageSchema>;
export type FailedPage = z.infer<typeof failedPageSchema>;

/** The window a query asks for, as the main process answers it. */
export type TablePageFor<Q extends TablePageQuery> = Q extends TicketPageQuery
  ? TicketPage
  : FailedPage;

/** The page every view opens on: newest first, no filter, the first `limit` rows. */
export function firstTicketPage(limit = 100): TicketPageQuery {
  return {
    table: 'tickets',
    sort: { column: 'createdAt', direction: 'desc' },
    filter: '',
    statuses: [],
    offset: 0,
    limit,
  };
}

/** The Failed Ticket Requests page every view opens on: newest first. */
export function firstFailedPage(limit = 100): FailedPageQuery {
  return {
    table: 'failed',
    sort: { column: 'failedAt', direction: 'desc' },
    filter: '',
    offset: 0,
    limit,
  };
}
