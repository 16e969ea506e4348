/** The Tickets view: every column of the seed's Tickets table plus the URL, live. */
import { useDeferredValue, useMemo, useState } from 'react';
import { TICKET_STATUSES, type TicketRow, type TicketStatus } from '../../../shared/domain.js';
import { TicketLink } from '../components/ticket-link.js';
import { VirtualTable, type TableColumn } from '../components/virtual-table.js';
import { formatTime } from '../format.js';
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
const time = (id: 'createdAt', header: string, width: string): TableColumn<TicketRow> => ({
  id,
  header,
  width,
  sortKey: (r) => Date.parse(r[id]) || null,
  cell: (r) => formatTime(r[id]),
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
  time('createdAt', 'Created At', '160px'),
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
  const [filter, setFilter] = useState('');
  const [status, setStatus] = useState<TicketStatus | 'All'>('All');
  const needle = useDeferredValue(filter.trim().toLowerCase());
  const rows = useMemo(() => {
    const all = Array.from(tickets.values());
    return all.filter(
      (t) =>
        (status === 'All' || t.status === status) &&
        (needle === '' ||
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
          ]
            .join('\u0001')
            .toLowerCase()
            .includes(needle)),
    );
  }, [tickets, needle, status]);

  return (
    <section className="view" aria-labelledby="tickets-title">
      <div className="toolbar">
        <h1 id="tickets-title" className="view-title">
          Tickets
        </h1>
        <input
          type="search"
          className="filter-input"
          aria-label="Filter tickets"
          placeholder="Filter: instance, ticket, alarm, element…"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
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
        <span className="alarm-count">
          {rows.length.toLocaleString()} of {tickets.size.toLocaleString()} tickets
        </span>
      </div>
      <VirtualTable
        label="Tickets"
        columns={COLUMNS}
        rows={rows}
        rowKey={(r) => r.instance}
        initialSort={{ column: 'createdAt', direction: 'descending' }}
        emptyText={tickets.size === 0 ? 'No tickets yet' : 'No tickets match the filter'}
      />
    </section>
  );
}
