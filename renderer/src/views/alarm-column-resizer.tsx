/**
 * The resize handle of an alarm console column (the shared ResizeHandle); widths are kept
 * with the console's view state.
 */
import { ALARM_COLUMN_LABELS, DEFAULT_COLUMN_WIDTHS } from '../alarms/alarm-columns.js';
import type { AlarmColumn } from '../alarms/alarm-index.js';
import { ResizeHandle } from '../components/resize-handle.js';
import { useAppStore } from '../store/store.js';

/** The resize handle of one column. */
export function ColumnResizer({ column }: { column: AlarmColumn }) {
  const width = useAppStore((s) => s.columnWidths[column] ?? DEFAULT_COLUMN_WIDTHS[column]);
  const setWidth = useAppStore((s) => s.setColumnWidth);
  return (
    <ResizeHandle
      label={ALARM_COLUMN_LABELS[column]}
      width={width}
      onWidth={(w) => setWidth(column, w)}
    />
  );
}
