/**
 * The alarm grid: virtualised rows of fixed height over the AlarmIndex's visible array.
 * Performance rules (issue 6): the grid subscribes only to the data version and the view;
 * each row is memoised and subscribes to its own selected flag and ticket flag (pending or
 * failed, kept per batch by AlarmTicketFlags), so selecting a row re-renders two rows, and the
 * context menu (its own component) never re-renders the grid. Ticket links are not Tab stops
 * (the grid is one Tab stop; its context menu offers Go To Ticket). Several alarms can be
 * selected (Shift/Ctrl with click and arrows, Ctrl+A); rows are tinted by severity and flash
 * when a live change lands; while the operator works in the grid, live changes wait
 * (held-updates.ts). Columns are shown, hidden and resized as the operator keeps them.
 */
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { CSSProperties, KeyboardEvent, MouseEvent } from 'react';
import { ALARM_COLUMN_LABELS, columnTemplate, shownColumns } from '../alarms/alarm-columns.js';
import type { AlarmColumn, AlarmEntry } from '../alarms/alarm-index.js';
import {
  HyperlinkCells,
  HyperlinkHeaderCells,
  LINK_COLUMN_WIDTH,
  hyperlinkColumnsStyle,
  useHyperlinkColumns,
} from '../hyperlinks/hyperlink-columns.js';
import { useAppStore } from '../store/store.js';
import { AlarmCell } from './alarm-cells.js';
import { ColumnResizer } from './alarm-column-resizer.js';
import { clickSelect, gridKeyAction } from './alarm-grid-selection.js';
import { useFixedRowWindow } from './fixed-row-window.js';

/** Height of one alarm row in pixels (fixed, so virtualisation needs no measuring). */
export const ALARM_ROW_HEIGHT = 26;
const HEADER_HEIGHT = 30;
/** Longest slice of a progressive filter between two frames, ms. */
const SCAN_SLICE_MS = 8;

export { ALARM_COLUMN_LABELS } from '../alarms/alarm-columns.js';
/** How long a changed row flashes, ms. */
const FLASH_MS = 1500;

/** The DOM id of an alarm's row, for aria-activedescendant. */
export function alarmRowId(key: string): string {
  return `alarm-row-${key.replace('/', '-')}`;
}

const AlarmRow = memo(function AlarmRow({
  entry,
  index,
  top,
  columns,
}: {
  entry: AlarmEntry;
  index: number;
  top: number;
  columns: readonly AlarmColumn[];
}) {
  const focused = useAppStore((s) => s.selectedAlarmKey === entry.key);
  const selected = useAppStore((s) => s.selection.has(entry.key));
  const flag = useAppStore((s) => s.ticketFlags.flagOf(entry.key));
  const sev = entry.cleared ? 'cleared' : entry.alarm.severity.toLowerCase();
  // The row remounts on each live change (its key), so this is decided once per change.
  const [flash] = useState(() => entry.changed > 0 && Date.now() - entry.changed < FLASH_MS);
  const ack = entry.alarm.state?.acknowledgedBy ? ' acked' : '';
  return (
    <div
      role="row"
      id={alarmRowId(entry.key)}
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-alarm-key={entry.key}
      className={`alarm-row tint sev-${sev}${ack}${selected ? ' selected' : ''}${focused ? ' focused' : ''}${flash ? ' flash' : ''}${index % 2 ? ' odd' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
    >
      {columns.map((c) => (
        <AlarmCell key={c} column={c} entry={entry} flag={flag} />
      ))}
      <HyperlinkCells alarmKey={entry.key} />
    </div>
  );
});

function SortHeader({ column }: { column: AlarmColumn }) {
  const sort = useAppStore((s) => s.alarmSort);
  const sortBy = useAppStore((s) => s.sortAlarmsBy);
  const active = sort.column === column;
  return (
    <div
      role="columnheader"
      aria-sort={active ? sort.direction : 'none'}
      className={`alarm-header-cell${active ? ' sorted' : ''}`}
    >
      <button type="button" className="sort-button" onClick={() => sortBy(column)}>
        {ALARM_COLUMN_LABELS[column]}
        <span className="sort-mark" aria-hidden="true">
          {active ? (sort.direction === 'ascending' ? '▲' : '▼') : ''}
        </span>
      </button>
      <ColumnResizer column={column} />
    </div>
  );
}

/** The alarm grid, labelled "Alarms". */
export function AlarmGrid() {
  const index = useAppStore((s) => s.alarmIndex);
  const version = useAppStore((s) => s.alarmsVersion);
  const loaded = useAppStore((s) => s.alarmsLoaded);
  const filter = useDeferredValue(useAppStore((s) => s.alarmFilter));
  const severities = useDeferredValue(useAppStore((s) => s.alarmSeverities));
  const sort = useAppStore((s) => s.alarmSort);
  const selectedKey = useAppStore((s) => s.selectedAlarmKey);
  const linkColumns = useHyperlinkColumns();

  const visible = useMemo(
    () => index.query({ text: filter, severities, sort }, { progressive: true }),
    // `version` is a dependency on purpose: the index changes in place.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [index, version, filter, severities, sort],
  );
  const count = visible.length;
  const scanning = index.scanning;
  useEffect(() => {
    if (useAppStore.getState().alarmShown !== count) useAppStore.setState({ alarmShown: count });
  }, [count, version]);

  // A new filter shows its first rows at once (the progressive query); the rest of the
  // matches are found in short slices after those rows are painted, off the render path, and
  // the row count grows to its final value when the scan is complete (issue 6, target 6).
  useEffect(() => {
    if (!scanning) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const step = (): void => {
      timer = undefined;
      if (cancelled) return;
      if (index.continueScan(SCAN_SLICE_MS)) useAppStore.setState({ alarmsVersion: index.version });
      else timer = setTimeout(step, 0);
    };
    const start = (): void => {
      if (timer === undefined && !cancelled) timer = setTimeout(step, 0);
    };
    const frame = requestAnimationFrame(start);
    // A hidden window gets no animation frames.
    const fallback = setTimeout(start, 250);
    return () => {
      cancelled = true;
      cancelAnimationFrame(frame);
      clearTimeout(fallback);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [index, visible, version, scanning]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const rowWindow = useFixedRowWindow({
    count,
    rowHeight: ALARM_ROW_HEIGHT,
    headerHeight: HEADER_HEIGHT,
    overscan: 10,
    scrollRef,
  });

  const openMenuForSelected = useCallback(() => {
    const s = useAppStore.getState();
    const key = s.selectedAlarmKey;
    if (!key) return;
    const row = document.getElementById(alarmRowId(key));
    const box = (row ?? scrollRef.current)?.getBoundingClientRect();
    s.openAlarmMenu(key, (box?.left ?? 0) + 48, (box?.top ?? 0) + ALARM_ROW_HEIGHT);
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.target !== e.currentTarget && (e.target as HTMLElement).tagName !== 'DIV') return;
    const s = useAppStore.getState();
    if (
      e.key === 'ContextMenu' ||
      (e.key === 'F10' && e.shiftKey) ||
      (e.key === 'Enter' && !e.altKey && !e.ctrlKey && !e.metaKey)
    ) {
      e.preventDefault();
      if (!s.selectedAlarmKey && count > 0) s.selectAlarm(visible[0]!.key);
      openMenuForSelected();
      return;
    }
    const page = Math.max(
      1,
      Math.floor((scrollRef.current?.clientHeight ?? 260) / ALARM_ROW_HEIGHT) - 2,
    );
    const scrollTo = rowWindow.scrollToIndex;
    if (gridKeyAction(e, { visible, page, scrollTo })) e.preventDefault();
  };

  const rowKeyAt = (target: EventTarget): string | null => {
    const row = (target as HTMLElement).closest<HTMLElement>('[data-alarm-key]');
    return row?.dataset.alarmKey ?? null;
  };

  const onMouseDown = (e: MouseEvent<HTMLDivElement>): void => {
    const key = rowKeyAt(e.target);
    if (!key || e.button !== 0) return;
    // Live changes wait while a selection is being made (until the button is released).
    const s = useAppStore.getState();
    s.setHold('selecting', true);
    window.addEventListener('mouseup', () => s.setHold('selecting', false), { once: true });
    clickSelect(visible, key, e);
  };

  // Rows hold still while the pointer is over the grid and the grid has the focus.
  const focusedGrid = useRef(false);
  const pointerIn = useRef(false);
  const updateHold = (): void =>
    useAppStore.getState().setHold('pointer', focusedGrid.current && pointerIn.current);
  const hold = {
    onPointerEnter: () => {
      pointerIn.current = true;
      updateHold();
    },
    onPointerLeave: () => {
      pointerIn.current = false;
      updateHold();
    },
    onFocus: () => {
      focusedGrid.current = true;
      updateHold();
    },
    onBlur: () => {
      focusedGrid.current = false;
      updateHold();
    },
  };
  const hidden = useAppStore((s) => s.hiddenColumns);
  const widths = useAppStore((s) => s.columnWidths);
  const columns = useMemo(() => shownColumns(hidden), [hidden]);
  const layout = useMemo(() => columnTemplate(columns, widths), [columns, widths]);

  const onContextMenu = (e: MouseEvent<HTMLDivElement>): void => {
    e.preventDefault();
    const key = rowKeyAt(e.target);
    const s = useAppStore.getState();
    if (key) s.openAlarmMenu(key, e.clientX, e.clientY);
    else if (!s.menu) openMenuForSelected();
  };

  const selectedVisible =
    selectedKey !== null && rowWindow.rows.some((v) => visible[v.index]?.key === selectedKey);

  return (
    <div
      ref={scrollRef}
      role="grid"
      aria-label="Alarms"
      aria-rowcount={count + 1}
      aria-busy={scanning || undefined}
      aria-colcount={columns.length}
      aria-multiselectable={true}
      aria-activedescendant={selectedVisible && selectedKey ? alarmRowId(selectedKey) : undefined}
      tabIndex={0}
      className="alarm-grid"
      style={
        {
          ...hyperlinkColumnsStyle(linkColumns),
          '--cols': `${layout.template} var(--link-cols,)`,
          '--grid-min-width': `${layout.minWidth + linkColumns.length * parseInt(LINK_COLUMN_WIDTH, 10)}px`,
        } as CSSProperties
      }
      {...hold}
      onKeyDown={onKeyDown}
      onMouseDown={onMouseDown}
      onContextMenu={onContextMenu}
    >
      <div role="rowgroup" className="alarm-header">
        <div role="row" aria-rowindex={1} className="alarm-header-row">
          {columns.map((c) => (
            <SortHeader key={c} column={c} />
          ))}
          <HyperlinkHeaderCells />
        </div>
      </div>
      <div role="rowgroup" className="alarm-body" style={{ height: rowWindow.totalSize }}>
        {rowWindow.rows.map((v) => {
          const entry = visible[v.index];
          return entry ? (
            <AlarmRow
              // A live change remounts the row, so its flash starts again.
              key={`${entry.key}:${entry.changed}`}
              entry={entry}
              index={v.index}
              top={v.start - HEADER_HEIGHT}
              columns={columns}
            />
          ) : null;
        })}
      </div>
      {loaded && count === 0 ? (
        <div className="grid-empty">
          {index.size === 0 ? 'No alarms' : 'No alarms match the filter'}
        </div>
      ) : null}
      {!loaded ? <div className="grid-empty">Loading alarms…</div> : null}
    </div>
  );
}
