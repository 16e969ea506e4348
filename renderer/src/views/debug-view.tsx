/** The Debug page: the Ticket Queue Processing Lock and the Pending Ticket Creation Queue. */
import type { QueueEntryView } from '../../../shared/domain.js';
import { ViewFrame } from '../components/view-frame.js';
import { timeColumn, VirtualTable, type TableColumn } from '../components/virtual-table.js';
import { formatTime } from '../format.js';
import { useAppStore } from '../store/store.js';

/** A column showing a field as it is, sorted by sortKey (by default by the field itself). */
const plain = (
  id: 'instance' | 'dmaId' | 'alarmId' | 'elementName' | 'attempts',
  header: string,
  width: string,
  sortKey: (q: QueueEntryView) => string | number = (q) => q[id],
): TableColumn<QueueEntryView> => ({ id, header, width, sortKey, cell: (q) => q[id] });

const COLUMNS: readonly TableColumn<QueueEntryView>[] = [
  plain('instance', 'Instance', 'minmax(120px, 1fr)'),
  plain('dmaId', 'DMA ID', '80px', (q) => Number(q.dmaId)),
  plain('alarmId', 'Alarm ID', '90px', (q) => Number(q.alarmId)),
  plain('elementName', 'Element', 'minmax(140px, 1fr)'),
  timeColumn<QueueEntryView>('enqueuedAt', 'Enqueued At', '160px', (q) => q.enqueuedAt),
  plain('attempts', 'Attempts', '80px'),
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
    <ViewFrame title="Debug">
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
    </ViewFrame>
  );
}
