/**
 * The Failed Ticket Requests view: the seed's columns plus the time, as windows that main
 * sorts and filters (never the whole table), live. Each row names the element and the alarm
 * it is about (kept on the row since issue 12; older rows are joined with the tickets this
 * window has seen), with Retry while its ticket is still Failed and a detail pane with the
 * whole message, the alarm and every attempt. A notice's "Show in Failed Ticket Requests"
 * filters the table to that ticket and selects its latest failure.
 */
import { useEffect, useMemo, useState } from 'react';
import type { FailedRequestRow, TicketRow } from '../../../shared/domain.js';
import type { FailedPageQuery } from '../../../shared/table-page.js';
import { FilterInput, useFilterText } from '../components/filter-input.js';
import { useTableLayout } from '../components/table-layout.js';
import { TimeZoneToggle, tableTimeZone } from '../components/time-zone-choice.js';
import { ViewFrame } from '../components/view-frame.js';
import {
  ColumnChooser,
  WindowTable,
  type WindowColumn,
  type WindowSort,
} from '../components/window-table.js';
import { formatTime } from '../format.js';
import { useAppStore } from '../store/store.js';
import { useTableWindow, type TableViewQuery } from '../store/table-window.js';
import { latestFailureOf } from './failed-focus.js';
import { ExportButtons } from './table-export-buttons.js';
import { FailedDetailPane, RetryButton } from './ticket-detail-panes.js';

/** A failed request and the alarm it is about (empty while unknown). */
export interface FailedRequestView {
  row: FailedRequestRow;
  /** False while the alarm is not known here (an older row whose ticket was not seen). */
  joined: boolean;
  elementName: string;
  dmaId: string;
  alarmId: string;
}

/** Names the alarm of each failure: from the row itself, else from its ticket row if known. */
export function joinFailedRequests(
  failed: Iterable<FailedRequestRow>,
  tickets: ReadonlyMap<string, Pick<TicketRow, 'elementName' | 'dmaId' | 'alarmId'>>,
): FailedRequestView[] {
  const out: FailedRequestView[] = [];
  for (const row of failed) {
    const t =
      row.elementName !== undefined
        ? { elementName: row.elementName, dmaId: row.dmaId ?? '', alarmId: row.alarmId ?? '' }
        : tickets.get(row.ticketInstance);
    out.push({
      row,
      joined: t !== undefined,
      elementName: t?.elementName ?? '',
      dmaId: t?.dmaId ?? '',
      alarmId: t?.alarmId ?? '',
    });
  }
  return out;
}

/** "DMA ID/Alarm ID", as the alarm's key is written everywhere else. */
const alarmOf = (v: FailedRequestView): string => (v.joined ? `${v.dmaId}/${v.alarmId}` : '');
const dash = (value: string | number | null | undefined): string =>
  value === null || value === undefined || value === '' ? '—' : String(value);

type Col = WindowColumn<FailedRequestView>;
const field = (
  id: 'instance' | 'ticketInstance' | 'appErrorCode' | 'errorMessage' | 'errorDescription',
  header: string,
  width: number,
  more: Partial<Col> = {},
): Col => ({
  id,
  header,
  width,
  cell: ({ row }) => dash(row[id]),
  title: ({ row }) => row[id],
  ...more,
});

/** Every column; those hidden by default are in the column chooser. */
export const FAILED_COLUMNS: readonly Col[] = [
  {
    id: 'failedAt',
    header: 'Failed At',
    width: 210,
    sort: 'failedAt',
    cell: (v) => formatTime(v.row.failedAt, tableTimeZone()),
  },
  {
    id: 'elementName',
    header: 'Element Name',
    width: 150,
    cell: (v) => v.elementName || '—',
    title: (v) => v.elementName,
  },
  { id: 'alarm', header: 'DMA/Alarm ID', width: 110, cell: (v) => alarmOf(v) || '—' },
  {
    id: 'httpErrorCode',
    header: 'HTTP Code',
    width: 90,
    sort: 'httpErrorCode',
    cell: (v) => dash(v.row.httpErrorCode),
  },
  field('appErrorCode', 'App Code', 85, { sort: 'appErrorCode' }),
  {
    // Issue 10: whether the create or the look-up of the alarm in Oceane failed.
    id: 'failedCall',
    header: 'Failed Call',
    width: 90,
    sort: 'failedCall',
    cell: (v) => (v.row.failedCall === 'look-up' ? 'Look-up' : 'Create'),
  },
  field('errorMessage', 'Error Message', 150, { sort: 'errorMessage', flex: true }),
  field('errorDescription', 'Error Description', 170, { flex: true }),
  {
    id: 'parameter',
    header: 'Parameter',
    width: 140,
    hiddenByDefault: true,
    cell: (v) => dash(v.row.parameter),
  },
  {
    id: 'severity',
    header: 'Severity',
    width: 80,
    hiddenByDefault: true,
    cell: (v) => dash(v.row.severity),
  },
  field('ticketInstance', 'Ticket Instance', 120, { hiddenByDefault: true }),
  field('instance', 'Instance', 120, { hiddenByDefault: true }),
  {
    id: 'actions',
    header: 'Actions',
    width: 145,
    alwaysShown: true,
    cell: (v) => (
      <span className="row-actions">
        <RetryButton row={v.row} />
        {/* The row's click opens the pane; this button is its keyboard way there. */}
        <button
          type="button"
          className="small"
          aria-label={`Details of ${v.elementName || 'the request'} ${v.row.failedAt}`}
        >
          Details
        </button>
      </span>
    ),
  },
];

/** The Failed Ticket Requests view. */
export function FailedRequestsView() {
  // A notice led here (now, or while the view is open): show that ticket's failures, its
  // latest one selected. The store's request is taken once.
  const [focusTicket, setFocusTicket] = useState(() => useAppStore.getState().focusedFailedTicket);
  const { filter, setFilter, needle } = useFilterText(focusTicket ?? '');
  useEffect(() => {
    const take = (ticket: string | null): void => {
      if (ticket === null) return;
      setFocusTicket(ticket);
      setFilter(ticket);
      useAppStore.setState({ focusedFailedTicket: null });
    };
    useAppStore.setState({ focusedFailedTicket: null });
    return useAppStore.subscribe((s) => take(s.focusedFailedTicket));
  }, [setFilter]);
  const [sort, setSort] = useState<WindowSort>({ column: 'failedAt', direction: 'desc' });
  const [open, setOpen] = useState<FailedRequestRow | null>(null);

  const query = useMemo(
    (): TableViewQuery<FailedPageQuery> => ({
      table: 'failed',
      sort: sort as FailedPageQuery['sort'],
      filter: needle.slice(0, 200),
    }),
    [sort, needle],
  );
  const { window, showRange } = useTableWindow<FailedPageQuery>(query);
  const recentTickets = useAppStore((s) => s.recentTickets);
  const views = useMemo(
    () => ({ ...window, rows: joinFailedRequests(window.rows, recentTickets) }),
    [window, recentTickets],
  );
  const layout = useTableLayout('failed-ticket-requests', FAILED_COLUMNS);
  const shownRow = open ? (window.rows.find((r) => r.instance === open.instance) ?? open) : null;
  const selected = shownRow?.instance ?? latestFailureOf(views.rows, focusTicket);

  return (
    <ViewFrame
      title="Failed Ticket Requests"
      toolbar={
        <>
          <FilterInput
            label="Filter failed ticket requests"
            placeholder="Filter: codes, message, description, ticket…"
            value={filter}
            onChange={setFilter}
          />
          <TimeZoneToggle />
          <ColumnChooser label="Failed Ticket Requests" columns={FAILED_COLUMNS} layout={layout} />
          <ExportButtons what="failed-ticket-requests" query={query} />
          <span className="alarm-count">
            {window.total.toLocaleString()}{' '}
            {needle ? 'matching failed requests' : 'failed requests'}
          </span>
        </>
      }
    >
      <div className="table-with-pane">
        <WindowTable
          label="Failed Ticket Requests"
          layout={layout}
          window={views}
          showRange={showRange}
          sort={sort}
          onSort={setSort}
          rowKey={(v) => v.row.instance}
          emptyText={needle ? 'Nothing matches the filter' : 'No failed ticket requests'}
          selectedKey={selected}
          onOpen={(v) => setOpen(v.row)}
          resetKey={JSON.stringify(query)}
        />
        {shownRow ? <FailedDetailPane row={shownRow} onClose={() => setOpen(null)} /> : null}
      </div>
    </ViewFrame>
  );
}
