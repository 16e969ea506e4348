/** The Debug page: the Ticket Queue Processing Lock and the Pending Ticket Creation Queue. */
import type { QueueEntryView } from '../../../shared/domain.js';
import { VirtualTable, type TableColumn } from '../components/virtual-table.js';
import { formatTime } from '../format.js';
import { useAppStore } from '../store/store.js';

const COLUMNS: readonly TableColumn<QueueEntryView>[] = [
  {
    id: 'instance',
    header: 'Instance',
    width: 'minmax(120px, 1fr)',
    sortKey: (q) => q.instance,
    cell: (q) => q.instance,
  },
  {
    id: 'dmaId',
    header: 'DMA ID',
    width: '80px',
    sortKey: (q) => Number(q.dmaId),
    cell: (q) => q.dmaId,
  },
  {
    id: 'alarmId',
    header: 'Alarm ID',
    width: '90px',
    sortKey: (q) => Number(q.alarmId),
    cell: (q) => q.alarmId,
  },
  {
    id: 'elementName',
    header: 'Element',
    width: 'minmax(140px, 1fr)',
    sortKey: (q) => q.elementName,
    cell: (q) => q.elementName,
  },
  {
    id: 'enqueuedAt',
    header: 'Enqueued At',
    width: '160px',
    sortKey: (q) => Date.parse(q.enqueuedAt) || null,
    cell: (q) => formatTime(q.enqueuedAt),
  },
  {
    id: 'attempts',
    header: 'Attempts',
    width: '80px',
    sortKey: (q) => q.attempts,
    cell: (q) => q.attempts,
  },
  {
    id: 'nextAttemptAt',
    header: 'Next Attempt',
    width: '160px',
    sortKey: (q) => (q.nextAttemptAt ? Date.parse(q.nextAttemptAt) : null),
    cell: (q) => formatTime(q.nextAttemptAt) || '—',
  },
  {
    id: 'lastError',
    header: 'Last Error',
    width: 'minmax(200px, 2fr)',
    sortKey: (q) => q.lastError,
    cell: (q) => q.lastError ?? '—',
    title: (q) => q.lastError ?? '',
  },
];

/** The Debug page. */
export function DebugView() {
  const queue = useAppStore((s) => s.queue);
  const rows = queue?.pending ?? [];
  return (
    <section className="view" aria-labelledby="debug-title">
      <div className="toolbar">
        <h1 id="debug-title" className="view-title">
          Debug
        </h1>
      </div>
      <div className="panel lock-panel">
        <h2>Ticket Queue Processing Lock</h2>
        <p
          className={`lock-state ${queue?.locked ? 'locked' : 'unlocked'}`}
          data-testid="processing-lock"
        >
          {queue === null
            ? 'Loading…'
            : queue.locked
              ? `Locked — processing ${queue.lockedBy ?? 'a request'}`
              : 'Unlocked'}
        </p>
      </div>
      <h2 className="section-title">Pending Ticket Creation Queue ({rows.length})</h2>
      <VirtualTable
        label="Pending Ticket Creation Queue"
        columns={COLUMNS}
        rows={rows}
        rowKey={(q) => q.instance}
        initialSort={{ column: 'enqueuedAt', direction: 'ascending' }}
        emptyText="No pending ticket requests"
      />
    </section>
  );
}
