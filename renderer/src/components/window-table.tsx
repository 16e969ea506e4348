/**
 * The table of the Tickets and Failed Ticket Requests views (role="table"): it shows a window
 * of rows that main sorted and filtered (store/table-window.ts), sized for the whole table so
 * the scroll bar tells where the operator is, and asks for the rows around what is on screen
 * as it scrolls. Sorting is the query's; columns can be resized and chosen (table-layout.ts);
 * a row opens its detail pane on click or Enter.
 */
import { memo, useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { rowAt, type TableWindow } from '../store/table-window.js';
import { ResizeHandle } from './resize-handle.js';
import type { LayoutColumn, TableLayout } from './table-layout.js';
import { HEADER_HEIGHT, ROW_HEIGHT, SortButton, columnsStyle } from './table-parts.js';
import { useTableTimeZone } from './time-zone-choice.js';

/** One column: its layout, the query's sort column (if sortable) and its cell. */
export interface WindowColumn<R> extends LayoutColumn {
  /** The query's sort column for this one; absent: not sortable. */
  sort?: string;
  /** Takes the room left over (at least its width). */
  flex?: boolean;
  cell: (row: R) => ReactNode;
  /** The full text of a truncated cell, on hover. */
  title?: (row: R) => string;
}

/** The order a query asks for. */
export interface WindowSort {
  column: string;
  direction: 'asc' | 'desc';
}

/** Props of WindowTable. */
export interface WindowTableProps<R> {
  label: string;
  /** The shown columns and their widths (useTableLayout, shared with the ColumnChooser). */
  layout: TableLayout<WindowColumn<R>>;
  window: TableWindow<R>;
  showRange: (start: number, end: number) => void;
  sort: WindowSort;
  onSort: (sort: WindowSort) => void;
  rowKey: (row: R) => string;
  emptyText: string;
  /** The row shown selected (its detail pane is open, or a notice led to it). */
  selectedKey?: string | null;
  onOpen?: (row: R) => void;
  /** Changes when the sort or filter changes: the table goes back to the top. */
  resetKey?: string;
}

function WindowRow<R>({
  row,
  index,
  top,
  columns,
  selected,
  onOpen,
}: {
  row: R | undefined;
  index: number;
  top: number;
  columns: readonly WindowColumn<R>[];
  selected: boolean;
  onOpen?: (row: R) => void;
}) {
  useTableTimeZone(); // re-render the row's times when the table's time zone changes
  const open = row !== undefined && onOpen ? () => onOpen(row) : undefined;
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-current={selected ? 'true' : undefined}
      aria-busy={row === undefined ? 'true' : undefined}
      className={`vt-row${index % 2 ? ' odd' : ''}${selected ? ' vt-row-focused' : ''}${open ? ' vt-row-open' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      onClick={open}
    >
      {columns.map((c) => (
        <div role="cell" key={c.id} title={row === undefined ? undefined : c.title?.(row)}>
          {row === undefined ? '' : c.cell(row)}
        </div>
      ))}
    </div>
  );
}
const MemoWindowRow = memo(WindowRow) as typeof WindowRow;

/** The column chooser: a disclosure with one checkbox per column that may be hidden. */
export function ColumnChooser<R>({
  label,
  columns,
  layout,
}: {
  label: string;
  columns: readonly WindowColumn<R>[];
  layout: TableLayout<WindowColumn<R>>;
}) {
  return (
    <details className="column-chooser">
      <summary>Columns</summary>
      <fieldset className="column-chooser-list">
        <legend className="visually-hidden">{`Columns of ${label}`}</legend>
        {columns
          .filter((c) => !c.alwaysShown)
          .map((c) => (
            <label key={c.id}>
              <input
                type="checkbox"
                checked={layout.isShown(c)}
                onChange={() => layout.toggle(c)}
              />
              {c.header}
            </label>
          ))}
        <button type="button" className="small" onClick={() => layout.reset()}>
          Default columns and widths
        </button>
      </fieldset>
    </details>
  );
}

/** The table. */
export function WindowTable<R>({
  label,
  layout,
  window,
  showRange,
  sort,
  onSort,
  rowKey,
  emptyText,
  selectedKey = null,
  onOpen,
  resetKey = '',
}: WindowTableProps<R>) {
  const shown = layout.shown;
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: window.total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    scrollMargin: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = (items[items.length - 1]?.index ?? 0) + 1;
  useEffect(() => showRange(first, last), [first, last, showRange]);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [resetKey]);

  const template = shown
    .map((c) => (c.flex ? `minmax(${layout.widthOf(c)}px, 1fr)` : `${layout.widthOf(c)}px`))
    .join(' ');
  const minWidth = shown.reduce((sum, c) => sum + layout.widthOf(c), 0);

  return (
    <div className="window-table">
      <div
        ref={scrollRef}
        role="table"
        aria-label={label}
        aria-rowcount={window.total + 1}
        aria-busy={window.loaded ? undefined : 'true'}
        className="vt"
        style={columnsStyle(template, minWidth)}
      >
        <div role="rowgroup" className="vt-head">
          <div role="row" aria-rowindex={1} className="vt-head-row">
            {shown.map((c) => {
              const active = c.sort !== undefined && c.sort === sort.column;
              const direction = sort.direction === 'asc' ? 'ascending' : 'descending';
              return (
                <div
                  role="columnheader"
                  key={c.id}
                  aria-sort={active ? direction : c.sort ? 'none' : undefined}
                  className={`vt-header-cell${active ? ' sorted' : ''}`}
                >
                  {c.sort === undefined ? (
                    <span className="sort-button">{c.header}</span>
                  ) : (
                    <SortButton
                      header={c.header}
                      direction={active ? direction : undefined}
                      onClick={() =>
                        onSort({
                          column: c.sort as string,
                          direction: active && sort.direction === 'asc' ? 'desc' : 'asc',
                        })
                      }
                    />
                  )}
                  <ResizeHandle
                    label={c.header}
                    width={layout.widthOf(c)}
                    onWidth={(w) => layout.setWidth(c, w)}
                  />
                </div>
              );
            })}
          </div>
        </div>
        <div role="rowgroup" className="vt-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((v) => {
            const row = rowAt(window, v.index);
            return (
              <MemoWindowRow
                key={row === undefined ? `i-${v.index}` : rowKey(row)}
                row={row}
                index={v.index}
                top={v.start - HEADER_HEIGHT}
                columns={shown}
                selected={row !== undefined && rowKey(row) === selectedKey}
                onOpen={onOpen}
              />
            );
          })}
        </div>
        {window.loaded && window.total === 0 ? <div className="grid-empty">{emptyText}</div> : null}
      </div>
      {window.error ? (
        <p className="form-error" role="alert">
          {`The rows could not be loaded. ${window.error}`}
        </p>
      ) : null}
    </div>
  );
}
