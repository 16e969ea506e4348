/**
 * The parts both tables share (virtual-table.tsx, which sorts its rows itself, and
 * window-table.tsx, whose rows main sorts): the row and header heights the virtualiser
 * counts with, the grid's column variables and the sortable header's button with its mark.
 */
import type { CSSProperties } from 'react';

/** The height of one body row, in pixels (as the stylesheet draws it). */
export const ROW_HEIGHT = 28;
/** The height of the sticky header row, in pixels. */
export const HEADER_HEIGHT = 30;

/** The style carrying the grid's column template and its narrowest width (then it scrolls). */
export function columnsStyle(template: string, minWidth: number): CSSProperties {
  return {
    ['--vt-columns' as string]: template,
    ['--vt-min-width' as string]: `${minWidth}px`,
  };
}

/** A column header's sort button: its text and ▲/▼ while the table is sorted by it. */
export function SortButton({
  header,
  direction,
  onClick,
}: {
  header: string;
  /** The direction while this column sorts the table; absent otherwise. */
  direction: 'ascending' | 'descending' | undefined;
  onClick: () => void;
}) {
  return (
    <button type="button" className="sort-button" onClick={onClick}>
      {header}
      <span className="sort-mark" aria-hidden="true">
        {direction === undefined ? '' : direction === 'ascending' ? '▲' : '▼'}
      </span>
    </button>
  );
}
