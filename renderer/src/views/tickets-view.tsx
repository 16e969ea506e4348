/**
 * The Tickets view: the seed's Tickets table as windows that main sorts and filters (never the
 * whole table), live. The default columns fit a 1280 px window with the status always shown
 * and the Ticket ID as the link that opens the ticket; the other columns are in the column
 * chooser. A row opens its detail pane; the table exports as filtered and sorted.
 */
import { useMemo, useState } from 'react';
import { TICKET_STATUSES, type TicketRow, type TicketStatus } from '../../../shared/domain.js';
import type { TicketPageQuery } from '../../../shared/table-page.js';
import { FilterInput, useFilterText } from '../components/filter-input.js';
import { useTableLayout } from '../components/table-layout.js';
import { TicketLink } from '../components/ticket-link.js';
import { TimeZoneToggle, tableTimeZone } from '../components/time-zone-choice.js';
import { ViewFrame } from '../components/view-frame.js';
import {
  ColumnChooser,
  WindowTable,
  type WindowColumn,
  type WindowSort,
} from '../components/window-table.js';
import { formatTime } from '../format.js';
import { useTableWindow, type TableViewQuery } from '../store/table-window.js';
import { ExportButtons } from './table-export-buttons.js';
import { TicketDetailPane } from './ticket-detail-panes.js';

/** Status shown as text in a coloured badge. */
export function StatusBadge({ status }: { status: TicketStatus }) {
  return <span className={`badge badge-${status.toLowerCase()}`}>{status}</span>;
}

type Col = WindowColumn<TicketRow>;
type TextKey = {
  [K in keyof TicketRow]-?: TicketRow[K] extends string | undefined ? K : never;
}[keyof TicketRow];

const text = (id: TextKey, header: string, width: number, more: Partial<Col> = {}): Col => ({
  id,
  header,
  width,
  cell: (r) => r[id] ?? '',
  title: (r) => r[id] ?? '',
  ...more,
});

/** "1 alarm", or "3 alarms" for a ticket for several alarms. */
export function alarmCount(r: TicketRow): string {
  const n = 1 + (r.otherAlarms?.length ?? 0);
  return `${n} alarm${n === 1 ? '' : 's'}`;
}

/** Every column of the Tickets table; those hidden by default are in the column chooser. */
export const TICKET_COLUMNS: readonly Col[] = [
  {
    id: 'ticketId',
    header: 'Ticket ID',
    width: 115,
    sort: 'ticketId',
    cell: (r) =>
      r.ticketId && r.ticketUrl ? (
        <TicketLink url={r.ticketUrl} label={r.ticketId} />
      ) : (
        r.ticketId || '—'
      ),
    title: (r) => r.ticketId,
  },
  {
    id: 'status',
    header: 'Status',
    width: 90,
    sort: 'status',
    alwaysShown: true,
    cell: (r) => <StatusBadge status={r.status} />,
  },
  {
    // Issue 13: the ticket's status in Oceane, as last followed.
    id: 'oceaneStatus',
    header: 'Oceane Status',
    width: 112,
    cell: (r) => r.oceaneStatus ?? '',
    title: (r) => r.oceaneStatus ?? '',
  },
  {
    id: 'createdAt',
    header: 'Created At',
    width: 180,
    sort: 'createdAt',
    cell: (r) => formatTime(r.createdAt, tableTimeZone()),
  },
  text('elementName', 'Element Name', 135, { sort: 'elementName' }),
  {
    id: 'alarm',
    header: 'DMA/Alarm ID',
    width: 108,
    sort: 'alarmId',
    cell: (r) => `${r.dmaId}/${r.alarmId}`,
  },
  {
    // Issue 11: a ticket may stand for several alarms; the detail pane lists them.
    id: 'alarms',
    header: 'Alarms',
    width: 58,
    cell: (r) => String(1 + (r.otherAlarms?.length ?? 0)),
    title: (r) => alarmCount(r),
  },
  text('priority', 'Priority', 72, { sort: 'priority' }),
  text('urgency', 'Urgency', 76, { sort: 'urgency' }),
  text('technicalImpact', 'Technical Impact', 120, { sort: 'technicalImpact' }),
  // The default columns (with Oceane Status, issue 13, and Alarms, issue 11) fit 1280 px.
  text('rootCause', 'Root Cause', 90, { flex: true }),
  text('parameter', 'Parameter', 140, { hiddenByDefault: true }),
  text('severity', 'Severity', 80, { hiddenByDefault: true }),
  text('clientImpact', 'Client Impact', 100, { hiddenByDefault: true }),
  text('description', 'Description', 200, { hiddenByDefault: true }),
  text('elementId', 'Element ID', 90, { hiddenByDefault: true }),
  {
    // Issue 10: a ticket found in Oceane by the existing-ticket check and adopted, not created.
    id: 'origin',
    header: 'Origin',
    width: 110,
    hiddenByDefault: true,
    cell: (r) =>
      r.status !== 'Created' ? '' : r.origin === 'found' ? 'Found in Oceane' : 'Created here',
  },
  {
    id: 'ticketUrl',
    header: 'Ticket URL',
    width: 200,
    hiddenByDefault: true,
    cell: (r) => <TicketLink url={r.ticketUrl} />,
  },
  text('instance', 'Instance', 120, { hiddenByDefault: true }),
  {
    id: 'details',
    header: 'Details',
    width: 85,
    alwaysShown: true,
    // The row's click opens the pane; this button is its keyboard way there.
    cell: (r) => (
      <button
        type="button"
        className="small"
        aria-label={`Details of ${r.elementName} ${r.createdAt}`}
      >
        Details
      </button>
    ),
  },
];

/** The Tickets view. */
export function TicketsView() {
  const { filter, setFilter, needle } = useFilterText();
  const [status, setStatus] = useState<TicketStatus | 'All'>('All');
  const [sort, setSort] = useState<WindowSort>({ column: 'createdAt', direction: 'desc' });
  const [open, setOpen] = useState<TicketRow | null>(null);
  const query = useMemo(
    (): TableViewQuery<TicketPageQuery> => ({
      table: 'tickets',
      sort: sort as TicketPageQuery['sort'],
      filter: needle.slice(0, 200),
      statuses: status === 'All' ? [] : [status],
    }),
    [sort, needle, status],
  );
  const { window, showRange } = useTableWindow<TicketPageQuery>(query);
  const layout = useTableLayout('tickets', TICKET_COLUMNS);
  // The pane follows its row while the window holds it.
  const shownRow = open ? (window.rows.find((r) => r.instance === open.instance) ?? open) : null;
  const filtered = needle !== '' || status !== 'All';

  return (
    <ViewFrame
      title="Tickets"
      toolbar={
        <>
          <FilterInput
            label="Filter tickets"
            placeholder="Filter: ticket, element, alarm, status…"
            value={filter}
            onChange={setFilter}
          />
          <label className="inline-field">
            <span>Status</span>
            <select
              aria-label="Status filter"
              value={status}
              onChange={(e) => setStatus(e.target.value as TicketStatus | 'All')}
            >
              <option value="All">All</option>
              {TICKET_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <TimeZoneToggle />
          <ColumnChooser label="Tickets" columns={TICKET_COLUMNS} layout={layout} />
          <ExportButtons what="tickets" query={query} />
          <span className="alarm-count">
            {window.total.toLocaleString()} {filtered ? 'matching tickets' : 'tickets'}
          </span>
        </>
      }
    >
      <div className="table-with-pane">
        <WindowTable
          label="Tickets"
          layout={layout}
          window={window}
          showRange={showRange}
          sort={sort}
          onSort={setSort}
          rowKey={(r) => r.instance}
          emptyText={filtered ? 'No tickets match the filter' : 'No tickets yet'}
          selectedKey={shownRow?.instance ?? null}
          onOpen={setOpen}
          resetKey={JSON.stringify(query)}
        />
        {shownRow ? <TicketDetailPane row={shownRow} onClose={() => setOpen(null)} /> : null}
      </div>
    </ViewFrame>
  );
}
