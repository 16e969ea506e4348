/**
 * What an export of the Tickets and of the Failed Ticket Requests table writes: every column
 * of the table, as text, in the order of the files. Kept apart from the views so that the
 * export worker (which formats the files off the UI thread) can hold them: functions do not
 * cross to a worker, the name of the table does.
 */
import type { FailedRequestRow, TicketRow } from '../../../shared/domain.js';
import type { TablePageQuery } from '../../../shared/table-page.js';

/** One column of a CSV export: its header and its text. */
export interface ExportColumn<R> {
  header: string;
  value: (row: R) => string;
}

/** The tables that export: the `table` of their `tables:page` query. */
export type ExportTable = TablePageQuery['table'];

/** The Tickets table's export columns. */
export const TICKET_EXPORT_COLUMNS: readonly ExportColumn<TicketRow>[] = [
  { header: 'Instance', value: (r) => r.instance },
  { header: 'Ticket ID', value: (r) => r.ticketId },
  { header: 'Status', value: (r) => r.status },
  { header: 'Created At', value: (r) => r.createdAt },
  { header: 'DataMiner ID', value: (r) => r.dmaId },
  { header: 'Alarm ID', value: (r) => r.alarmId },
  { header: 'Element ID', value: (r) => r.elementId },
  { header: 'Element Name', value: (r) => r.elementName },
  { header: 'Parameter', value: (r) => r.parameter ?? '' },
  { header: 'Severity', value: (r) => r.severity ?? '' },
  { header: 'Priority', value: (r) => r.priority },
  { header: 'Urgency', value: (r) => r.urgency },
  { header: 'Technical Impact', value: (r) => r.technicalImpact },
  { header: 'Client Impact', value: (r) => r.clientImpact },
  { header: 'Root Cause', value: (r) => r.rootCause },
  { header: 'Description', value: (r) => r.description },
  { header: 'Ticket URL', value: (r) => r.ticketUrl },
  // Last, so that files exported before the ticket's life was followed keep their columns.
  { header: 'Oceane Status', value: (r) => r.oceaneStatus ?? '' },
];

/** The Failed Ticket Requests table's export columns. */
export const FAILED_EXPORT_COLUMNS: readonly ExportColumn<FailedRequestRow>[] = [
  { header: 'Instance', value: (r) => r.instance },
  { header: 'Ticket Instance', value: (r) => r.ticketInstance },
  { header: 'Failed At', value: (r) => r.failedAt },
  { header: 'Element Name', value: (r) => r.elementName ?? '' },
  { header: 'DataMiner ID', value: (r) => r.dmaId ?? '' },
  { header: 'Alarm ID', value: (r) => r.alarmId ?? '' },
  { header: 'Parameter', value: (r) => r.parameter ?? '' },
  { header: 'Severity', value: (r) => r.severity ?? '' },
  {
    header: 'HTTP Error Code',
    value: (r) => (r.httpErrorCode === null ? '' : String(r.httpErrorCode)),
  },
  { header: 'App Error Code', value: (r) => r.appErrorCode },
  { header: 'Failed Call', value: (r) => r.failedCall ?? 'create' },
  { header: 'Error Message', value: (r) => r.errorMessage },
  { header: 'Error Description', value: (r) => r.errorDescription },
];

/** The export columns of `table` (for rows as `tables:page` answers them). */
export function exportColumnsOf(table: ExportTable): readonly ExportColumn<never>[] {
  return table === 'tickets' ? TICKET_EXPORT_COLUMNS : FAILED_EXPORT_COLUMNS;
}
