/**
 * A sortable, virtualised table (role="table") for the Tickets, Failed Ticket Requests and
 * queue views. Sort keys are computed once per row and sort (numbers numerically, text with
 * one collator), so a large table sorts without a locale comparison per compare.
 */
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { formatTime } from '../format.js';
import { HEADER_HEIGHT, ROW_HEIGHT, SortButton, columnsStyle } from './table-parts.js';
import { tableTimeZone, useTableTimeZone } from './time-zone-choice.js';

/** One column: its header, width, sort key and cell. */
export interface TableColumn<T> {
  id: string;
  header: string;
  /** CSS width, e.g. "120px". */
  width: string;
  sortKey: (row: T) => string | number | null;
  cell: (row: T) => ReactNode;
  /** Title shown on hover (the full text of a truncated cell). */
  title?: (row: T) => string;
}

/** A column of a time stamp: shown in local time, sorted by time, empty ones last. */
export function timeColumn<T>(
  id: string,
  header: string,
  width: string,
  time: (row: T) => string,
): TableColumn<T> {
  return {
    id,
    header,
    width,
    sortKey: (row) => Date.parse(time(row)) || null,
    cell: (row) => formatTime(time(row), tableTimeZone()),
  };
}

/** Props of VirtualTable. */
export interface VirtualTableProps<T> {
  label: string;
  columns: readonly TableColumn<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  initialSort: { column: string; direction: 'ascending' | 'descending' };
  emptyText: string;
  rowClassName?: (row: T) => string;
  /** The row shown selected and scrolled into view (a notice led the operator to it). */
  focusKey?: string | null;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

type Keyed<T> = { row: T; key: string | number | null };

function sortRows<T>(rows: readonly T[], column: TableColumn<T>, ascending: boolean): T[] {
  const keyed: Keyed<T>[] = rows.map((row) => ({ row, key: column.sortKey(row) }));
  const strings = new Set<string>();
  for (const k of keyed) if (typeof k.key === 'string') strings.add(k.key);
  // One collation of the distinct strings, then integer ranks compare fast.
  const rank = new Map(
    Array.from(strings)
      .sort(collator.compare)
      .map((s, i) => [s, i]),
  );
  const sign = ascending ? 1 : -1;
  const numOf = (k: Keyed<T>): number =>
    k.key === null ? Infinity : typeof k.key === 'number' ? k.key : (rank.get(k.key) ?? 0);
  const isText = (k: Keyed<T>): number => (typeof k.key === 'string' ? 1 : 0);
  keyed.sort((a, b) => {
    // Empty values last in both directions.
    if (a.key === null || b.key === null) return a.key === b.key ? 0 : a.key === null ? 1 : -1;
    return sign * (isText(a) - isText(b) || numOf(a) - numOf(b));
  });
  return keyed.map((k) => k.row);
}

function RowView<T>({
  row,
  index,
  top,
  columns,
  className,
  focused,
}: {
  row: T;
  index: number;
  top: number;
  columns: readonly TableColumn<T>[];
  className: string;
  focused: boolean;
}) {
  useTableTimeZone(); // re-render the row's times when the table's time zone changes
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-current={focused ? 'true' : undefined}
      className={`vt-row${index % 2 ? ' odd' : ''}${focused ? ' vt-row-focused' : ''} ${className}`}
      style={{ transform: `translateY(${top}px)` }}
    >
      {columns.map((c) => (
        <div role="cell" key={c.id} title={c.title?.(row)}>
          {c.cell(row)}
        </div>
      ))}
    </div>
  );
}
const MemoRow = memo(RowView) as typeof RowView;

/** The table. */
export function VirtualTable<T>({
  label,
  columns,
  rows,
  rowKey,
  initialSort,
  emptyText,
  rowClassName,
  focusKey = null,
}: VirtualTableProps<T>) {
  const [sort, setSort] = useState(initialSort);
  const sorted = useMemo(() => {
    const column = columns.find((c) => c.id === sort.column) ?? columns[0];
    return column ? sortRows(rows, column, sort.direction === 'ascending') : rows.slice();
  }, [rows, columns, sort]);

  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: sorted.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    scrollMargin: HEADER_HEIGHT,
  });
  const focusIndex = focusKey === null ? -1 : sorted.findIndex((r) => rowKey(r) === focusKey);
  // Scrolled to once per focused row, so that later updates do not fight the operator.
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    if (focusIndex < 0 || scrolledTo.current === focusKey) return;
    scrolledTo.current = focusKey;
    virtualizer.scrollToIndex(focusIndex, { align: 'center' });
  }, [focusIndex, focusKey, virtualizer]);
  const template = columns.map((c) => c.width).join(' ');
  // The narrowest the columns may get: below it the table scrolls sideways.
  const minWidth = columns.reduce(
    (sum, c) => sum + (Number(/(\d+)px/.exec(c.width)?.[1]) || 80),
    0,
  );

  return (
    <div
      ref={scrollRef}
      role="table"
      aria-label={label}
      aria-rowcount={sorted.length + 1}
      className="vt"
      style={columnsStyle(template, minWidth)}
    >
      <div role="rowgroup" className="vt-head">
        <div role="row" aria-rowindex={1} className="vt-head-row">
          {columns.map((c) => {
            const active = c.id === sort.column;
            return (
              <div
                role="columnheader"
                key={c.id}
                aria-sort={active ? sort.direction : 'none'}
                className={active ? 'sorted' : ''}
              >
                <SortButton
                  header={c.header}
                  direction={active ? sort.direction : undefined}
                  onClick={() =>
                    setSort({
                      column: c.id,
                      direction:
                        active && sort.direction === 'ascending' ? 'descending' : 'ascending',
                    })
                  }
                />
              </div>
            );
          })}
        </div>
      </div>
      <div role="rowgroup" className="vt-body" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((v) => {
          const row = sorted[v.index];
          return row === undefined ? null : (
            <MemoRow
              key={rowKey(row)}
              row={row}
              index={v.index}
              top={v.start - HEADER_HEIGHT}
              columns={columns}
              className={rowClassName?.(row) ?? ''}
              focused={v.index === focusIndex}
            />
          );
        })}
      </div>
      {sorted.length === 0 ? <div className="grid-empty">{emptyText}</div> : null}
    </div>
  );
}
