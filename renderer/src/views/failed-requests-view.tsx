/**
 * The Failed Ticket Requests view: the seed's columns plus the time, joined with the Tickets
 * table so that each row names the element and the alarm it is about, with a Retry per row
 * while its ticket is still Failed.
 */
import { useMemo, useState } from 'react';
import type { FailedRequestRow, TicketRow } from '../../../shared/domain.js';
import { callMain } from '../api.js';
import { FilterInput, matchesFilter, useFilterText } from '../components/filter-input.js';
import { TimeZoneToggle } from '../components/time-zone-choice.js';
import { ViewFrame } from '../components/view-frame.js';
import { timeColumn, VirtualTable, type TableColumn } from '../components/virtual-table.js';
import { useAppStore } from '../store/store.js';
import { requestedToast } from '../store/ticket-notices.js';
import { useFocusedFailedRow } from './failed-focus.js';

/** A failed request and what its ticket row says about the alarm (empty while unknown). */
export interface FailedRequestView {
  row: FailedRequestRow;
  /** False while the ticket row is not known here (not arrived yet, or pruned). */
  joined: boolean;
  elementName: string;
  dmaId: string;
  alarmId: string;
}

/** Joins failed requests with their ticket rows (by the ticket's Instance). */
export function joinFailedRequests(
  failed: Iterable<FailedRequestRow>,
  tickets: ReadonlyMap<string, Pick<TicketRow, 'elementName' | 'dmaId' | 'alarmId'>>,
): FailedRequestView[] {
  const out: FailedRequestView[] = [];
  for (const row of failed) {
    const t = tickets.get(row.ticketInstance);
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

/**
 * The failed requests joined with their tickets. A ticket's element and alarm never change,
 * so the join is redone when the failed table changes or when the ticket of a row not joined
 * yet arrives, not on every tickets event (each row's Retry follows its own ticket's status).
 */
function useFailedRequestViews(): FailedRequestView[] {
  const failed = useAppStore((s) => s.failed);
  const [tickets, setTickets] = useState(() => useAppStore.getState().tickets);
  const joined = useMemo(() => joinFailedRequests(failed.values(), tickets), [failed, tickets]);
  const unjoined = useMemo(
    () => joined.filter((v) => !v.joined).map((v) => v.row.ticketInstance),
    [joined],
  );
  const fresher = useAppStore((s) =>
    s.tickets !== tickets && unjoined.some((i) => s.tickets.has(i)) ? s.tickets : null,
  );
  if (fresher) setTickets(fresher);
  return joined;
}

function RetryButton({ view }: { view: FailedRequestView }) {
  const { row, elementName } = view;
  const status = useAppStore((s) => s.tickets.get(row.ticketInstance)?.status);
  const [busy, setBusy] = useState(false);
  const canRetry = status === 'Failed' && !busy;
  const what = elementName ? `the ticket for ${elementName}` : `ticket ${row.ticketInstance}`;
  const retry = async (): Promise<void> => {
    setBusy(true);
    let result;
    try {
      result = await callMain((api) => api.retryTicket(row.ticketInstance));
    } finally {
      setBusy(false);
    }
    const { notify, upsertToast } = useAppStore.getState();
    if (result.ok) {
      // The ticket's one notice: its failure gives way to "queued again".
      upsertToast({
        ...requestedToast(row.ticketInstance, elementName || row.ticketInstance),
        title: 'Retry queued',
      });
    } else {
      notify({
        level: 'error',
        title: 'Retry not queued',
        message: `Could not queue ${what} again. ${result.error.message}`,
      });
    }
  };
  return (
    <button
      type="button"
      className="small"
      disabled={!canRetry}
      aria-busy={busy}
      title={canRetry ? `Queue ${what} again` : `The ticket is ${status ?? 'no longer stored'}`}
      onClick={() => void retry()}
    >
      Retry
    </button>
  );
}

const text = (
  id: keyof FailedRequestRow,
  header: string,
  width: string,
): TableColumn<FailedRequestView> => ({
  id,
  header,
  width,
  sortKey: ({ row }) => (row[id] === undefined || row[id] === '' ? null : row[id]),
  cell: ({ row }) => (row[id] === null || row[id] === undefined ? '—' : String(row[id])),
  title: ({ row }) => String(row[id] ?? ''),
});

const COLUMNS: readonly TableColumn<FailedRequestView>[] = [
  {
    id: 'elementName',
    header: 'Element Name',
    width: 'minmax(140px, 1.2fr)',
    sortKey: (v) => v.elementName || null,
    cell: (v) => v.elementName || '—',
    title: (v) => v.elementName,
  },
  {
    id: 'alarm',
    header: 'DMA ID / Alarm ID',
    width: '130px',
    sortKey: (v) => alarmOf(v) || null,
    cell: (v) => alarmOf(v) || '—',
  },
  text('instance', 'Instance', 'minmax(90px, 0.7fr)'),
  text('ticketInstance', 'Ticket ID', 'minmax(90px, 0.7fr)'),
  text('httpErrorCode', 'HTTP Error Code', '125px'),
  text('appErrorCode', 'App Error Code', '115px'),
  {
    // Issue 10: whether the create or the look-up of the alarm in Oceane failed.
    id: 'failedCall',
    header: 'Failed Call',
    width: '95px',
    sortKey: (v) => v.row.failedCall ?? null,
    cell: (v) => (v.row.failedCall === 'look-up' ? 'Look-up' : 'Create'),
  },
  text('errorMessage', 'Error Message', 'minmax(150px, 1.3fr)'),
  text('errorDescription', 'Error Description', 'minmax(180px, 1.8fr)'),
  timeColumn<FailedRequestView>('failedAt', 'Failed At', '160px', (v) => v.row.failedAt),
  {
    id: 'retry',
    header: 'Action',
    width: '80px',
    sortKey: () => null,
    cell: (v) => <RetryButton view={v} />,
  },
];

/** The Failed Ticket Requests view. */
export function FailedRequestsView() {
  const failed = useAppStore((s) => s.failed);
  const joined = useFailedRequestViews();
  const { filter, setFilter, needle } = useFilterText();
  const rows = useMemo(() => {
    if (needle === '') return joined;
    return joined.filter((v) =>
      matchesFilter(
        [
          v.elementName,
          alarmOf(v),
          v.row.instance,
          v.row.ticketInstance,
          v.row.httpErrorCode ?? '',
          v.row.appErrorCode,
          v.row.errorMessage,
          v.row.errorDescription,
        ],
        needle,
      ),
    );
  }, [joined, needle]);
  const focusKey = useFocusedFailedRow(joined);

  return (
    <ViewFrame
      title="Failed Ticket Requests"
      toolbar={
        <>
          <FilterInput
            label="Filter failed ticket requests"
            placeholder="Filter: element, alarm, codes, message…"
            value={filter}
            onChange={setFilter}
          />
          <TimeZoneToggle />
          <span className="alarm-count">{failed.size.toLocaleString()} failed requests</span>
        </>
      }
    >
      <VirtualTable
        label="Failed Ticket Requests"
        columns={COLUMNS}
        rows={rows}
        rowKey={(v) => v.row.instance}
        initialSort={{ column: 'failedAt', direction: 'descending' }}
        emptyText={failed.size === 0 ? 'No failed ticket requests' : 'Nothing matches the filter'}
        focusKey={focusKey}
      />
    </ViewFrame>
  );
}
