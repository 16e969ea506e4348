/** The Tickets view: every column of the seed's Tickets table plus the URL, live. */
import { useMemo, useState } from 'react';
import { TICKET_STATUSES, type TicketRow, type TicketStatus } from '../../../shared/domain.js';
import { FilterInput, matchesFilter, useFilterText } from '../components/filter-input.js';
import { TicketLink } from '../components/ticket-link.js';
import { TimeZoneToggle } from '../components/time-zone-choice.js';
import { ViewFrame } from '../components/view-frame.js';
import { timeColumn, VirtualTable, type TableColumn } from '../components/virtual-table.js';
import { useAppStore } from '../store/store.js';

const text = (id: keyof TicketRow, header: string, width: string): TableColumn<TicketRow> => ({
  id,
  header,
  width,
  sortKey: (r) => String(r[id]) || null,
  cell: (r) => String(r[id]),
  title: (r) => String(r[id]),
});
const num = (id: keyof TicketRow, header: string, width: string): TableColumn<TicketRow> => ({
  ...text(id, header, width),
  sortKey: (r) => (r[id] === '' ? null : Number(r[id])),
});

/** Status shown as text in a coloured badge. */
export function StatusBadge({ status }: { status: TicketStatus }) {
  return <span className={`badge badge-${status.toLowerCase()}`}>{status}</span>;
}

const COLUMNS: readonly TableColumn<TicketRow>[] = [
  text('instance', 'Instance', 'minmax(110px, 1fr)'),
  text('ticketId', 'Ticket ID', '130px'),
  num('alarmId', 'Alarm ID', '90px'),
  num('dmaId', 'DataMiner ID', '100px'),
  num('elementId', 'Element ID', '90px'),
  text('elementName', 'Element Name', 'minmax(140px, 1.4fr)'),
  timeColumn<TicketRow>('createdAt', 'Created At', '160px', (r) => r.createdAt),
  text('priority', 'Priority', '80px'),
  text('urgency', 'Urgency', '80px'),
  text('technicalImpact', 'Technical Impact', '120px'),
  text('clientImpact', 'Client Impact', '100px'),
  text('rootCause', 'Root Cause', 'minmax(120px, 1fr)'),
  {
    id: 'status',
    header: 'Status',
    width: '90px',
    sortKey: (r) => r.status,
    cell: (r) => <StatusBadge status={r.status} />,
  },
  {
    // Issue 10: a ticket found in Oceane by the existing-ticket check and adopted, not created.
    id: 'origin',
    header: 'Origin',
    width: '110px',
    sortKey: (r) => (r.status === 'Created' ? (r.origin ?? 'created') : null),
    cell: (r) =>
      r.status !== 'Created' ? '' : r.origin === 'found' ? 'Found in Oceane' : 'Created here',
  },
  {
    id: 'ticketUrl',
    header: 'Ticket URL',
    width: 'minmax(160px, 1.4fr)',
    sortKey: (r) => r.ticketUrl || null,
    cell: (r) => <TicketLink url={r.ticketUrl} />,
  },
];

/** The Tickets view. */
export function TicketsView() {
  const tickets = useAppStore((s) => s.tickets);
  const { filter, setFilter, needle } = useFilterText();
  const [status, setStatus] = useState<TicketStatus | 'All'>('All');
  const rows = useMemo(() => {
    const all = Array.from(tickets.values());
    return all.filter(
      (t) =>
        (status === 'All' || t.status === status) &&
        (needle === '' ||
          matchesFilter(
            [
              t.instance,
              t.ticketId,
              t.alarmId,
              t.dmaId,
              t.elementId,
              t.elementName,
              t.rootCause,
              t.priority,
              t.urgency,
              t.technicalImpact,
              t.clientImpact,
            ],
            needle,
          )),
    );
  }, [tickets, needle, status]);

  return (
    <ViewFrame
      title="Tickets"
      toolbar={
        <>
          <FilterInput
            label="Filter tickets"
            placeholder="Filter: instance, ticket, alarm, element…"
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
          <span className="alarm-count">
            {rows.length.toLocaleString()} of {tickets.size.toLocaleString()} tickets
          </span>
        </>
      }
    >
      <VirtualTable
        label="Tickets"
        columns={COLUMNS}
        rows={rows}
        rowKey={(r) => r.instance}
        initialSort={{ column: 'createdAt', direction: 'descending' }}
        emptyText={tickets.size === 0 ? 'No tickets yet' : 'No tickets match the filter'}
      />
    </ViewFrame>
  );
}
