/** The Failed Ticket Requests view, with a Retry per row while its ticket is still Failed. */
import { useDeferredValue, useMemo, useState } from 'react';
import type { FailedRequestRow } from '../../../shared/domain.js';
import { oceane } from '../api.js';
import { VirtualTable, type TableColumn } from '../components/virtual-table.js';
import { formatTime } from '../format.js';
import { useAppStore } from '../store/store.js';

function RetryButton({ row }: { row: FailedRequestRow }) {
  const status = useAppStore((s) => s.tickets.get(row.ticketInstance)?.status);
  const [busy, setBusy] = useState(false);
  const canRetry = status === 'Failed' && !busy;
  const retry = async (): Promise<void> => {
    setBusy(true);
    const result = await oceane().retryTicket(row.ticketInstance);
    setBusy(false);
    const { notify } = useAppStore.getState();
    if (result.ok) {
      notify({
        level: 'success',
        title: 'Retry queued',
        message: `Ticket ${row.ticketInstance} was queued again`,
      });
    } else {
      notify({ level: 'error', title: 'Retry refused', message: result.error.message });
    }
  };
  return (
    <button
      type="button"
      className="small"
      disabled={!canRetry}
      aria-busy={busy}
      title={
        canRetry
          ? `Queue ticket ${row.ticketInstance} again`
          : `Ticket is ${status ?? 'no longer stored'}`
      }
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
): TableColumn<FailedRequestRow> => ({
  id,
  header,
  width,
  sortKey: (r) => (r[id] === null || r[id] === '' ? null : r[id]),
  cell: (r) => (r[id] === null ? '—' : String(r[id])),
  title: (r) => String(r[id] ?? ''),
});

const COLUMNS: readonly TableColumn<FailedRequestRow>[] = [
  text('instance', 'Instance', 'minmax(110px, 1fr)'),
  text('ticketInstance', 'Ticket ID', 'minmax(110px, 1fr)'),
  text('httpErrorCode', 'HTTP Error Code', '120px'),
  text('appErrorCode', 'App Error Code', '110px'),
  text('errorMessage', 'Error Message', 'minmax(160px, 1.5fr)'),
  text('errorDescription', 'Error Description', 'minmax(200px, 2fr)'),
  {
    id: 'failedAt',
    header: 'Failed At',
    width: '160px',
    sortKey: (r) => Date.parse(r.failedAt) || null,
    cell: (r) => formatTime(r.failedAt),
  },
  {
    id: 'retry',
    header: 'Action',
    width: '90px',
    sortKey: () => null,
    cell: (r) => <RetryButton row={r} />,
  },
];

/** The Failed Ticket Requests view. */
export function FailedRequestsView() {
  const failed = useAppStore((s) => s.failed);
  const [filter, setFilter] = useState('');
  const needle = useDeferredValue(filter.trim().toLowerCase());
  const rows = useMemo(() => {
    const all = Array.from(failed.values());
    if (needle === '') return all;
    return all.filter((f) =>
      [
        f.instance,
        f.ticketInstance,
        f.httpErrorCode ?? '',
        f.appErrorCode,
        f.errorMessage,
        f.errorDescription,
      ]
        .join('\u0001')
        .toLowerCase()
        .includes(needle),
    );
  }, [failed, needle]);

  return (
    <section className="view" aria-labelledby="failed-title">
      <div className="toolbar">
        <h1 id="failed-title" className="view-title">
          Failed Ticket Requests
        </h1>
        <input
          type="search"
          className="filter-input"
          aria-label="Filter failed ticket requests"
          placeholder="Filter: instance, codes, message…"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <span className="alarm-count">{failed.size.toLocaleString()} failed requests</span>
      </div>
      <VirtualTable
        label="Failed Ticket Requests"
        columns={COLUMNS}
        rows={rows}
        rowKey={(r) => r.instance}
        initialSort={{ column: 'failedAt', direction: 'descending' }}
        emptyText={failed.size === 0 ? 'No failed ticket requests' : 'Nothing matches the filter'}
      />
    </section>
  );
}
