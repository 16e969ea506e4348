/**
 * The handle on a column header's right edge: drag to resize the column (pointer capture),
 * or focus it and use the arrow keys. Widths are kept with the view state.
 */
import type { KeyboardEvent, PointerEvent } from 'react';
import { ALARM_COLUMN_LABELS, DEFAULT_COLUMN_WIDTHS } from '../alarms/alarm-columns.js';
import type { AlarmColumn } from '../alarms/alarm-index.js';
import { useAppStore } from '../store/store.js';

/** The resize handle of one column. */
export function ColumnResizer({ column }: { column: AlarmColumn }) {
  const width = useAppStore((s) => s.columnWidths[column] ?? DEFAULT_COLUMN_WIDTHS[column]);
  const setWidth = useAppStore((s) => s.setColumnWidth);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>): void => {
    e.preventDefault();
    e.stopPropagation();
    const startX = e.clientX;
    const startWidth = width;
    const target = e.currentTarget;
    target.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent): void =>
      setWidth(column, startWidth + ev.clientX - startX);
    const up = (): void => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
      target.removeEventListener('pointercancel', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
    target.addEventListener('pointercancel', up);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const step = e.shiftKey ? 40 : 10;
    if (e.key === 'ArrowRight') setWidth(column, width + step);
    else if (e.key === 'ArrowLeft') setWidth(column, width - step);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize ${ALARM_COLUMN_LABELS[column]}`}
      aria-valuenow={width}
      tabIndex={-1}
      className="column-resizer"
      onPointerDown={onPointerDown}
      onMouseDown={(e) => e.stopPropagation()}
      onKeyDown={onKeyDown}
    />
  );
}
