/**
 * The handle on a column header's right edge: drag to resize the column (pointer capture),
 * or focus it and use the arrow keys (Shift for bigger steps). The alarm console and the
 * ticket tables share it; each keeps its widths where it keeps its view.
 */
import type { KeyboardEvent, PointerEvent } from 'react';

/** Props of ResizeHandle. */
export interface ResizeHandleProps {
  /** The column's name, for "Resize <label>". */
  label: string;
  width: number;
  onWidth: (width: number) => void;
  tabIndex?: number;
}

/** The resize handle of one column. */
export function ResizeHandle({ label, width, onWidth, tabIndex = -1 }: ResizeHandleProps) {
  const onPointerDown = (e: PointerEvent<HTMLDivElement>): void => {
    e.preventDefault();
    e.stopPropagation();
    const startX = e.clientX;
    const startWidth = width;
    const target = e.currentTarget;
    target.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent): void => onWidth(startWidth + ev.clientX - startX);
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
    if (e.key === 'ArrowRight') onWidth(width + step);
    else if (e.key === 'ArrowLeft') onWidth(width - step);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize ${label}`}
      aria-valuenow={width}
      tabIndex={tabIndex}
      className="column-resizer"
      onPointerDown={onPointerDown}
      onMouseDown={(e) => e.stopPropagation()}
      onKeyDown={onKeyDown}
    />
  );
}
