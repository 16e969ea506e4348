/**
 * The alarm grid: virtualised rows of fixed height over the AlarmIndex's visible array.
 * Performance rules (issue 6): the grid subscribes only to the data version and the view;
 * each row is memoised and subscribes to its own selected flag and ticket flag (pending or
 * failed, kept per batch by AlarmTicketFlags), so selecting a row re-renders two rows, and the
 * context menu (its own component) never re-renders the grid. Ticket links are not Tab stops
 * (the grid is one Tab stop; its context menu offers Go To Ticket).
 */
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef } from 'react';
import type { KeyboardEvent, MouseEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { AlarmColumn, AlarmEntry } from '../alarms/alarm-index.js';
import { ALARM_COLUMNS } from '../alarms/alarm-index.js';
import { TicketLink } from '../components/ticket-link.js';
import { formatTime } from '../format.js';
import {
  HyperlinkCells,
  HyperlinkHeaderCells,
  hyperlinkColumnsStyle,
  useHyperlinkColumns,
} from '../hyperlinks/hyperlink-columns.js';
import { useAppStore } from '../store/store.js';
import type { AlarmTicketFlag } from '../store/ticket-flags.js';

/** Height of one alarm row in pixels (fixed, so virtualisation needs no measuring). */
export const ALARM_ROW_HEIGHT = 26;
const HEADER_HEIGHT = 30;
/** Longest slice of a progressive filter between two frames, ms. */
const SCAN_SLICE_MS = 8;

/** Column headers, as the seed and the issue name them. */
export const ALARM_COLUMN_LABELS: Record<AlarmColumn, string> = {
  element: 'Element',
  parameter: 'Parameter',
  value: 'Value',
  severity: 'Severity',
  time: 'Time',
  rootTime: 'Root Time',
  alarmId: 'Alarm ID',
  dmaId: 'DMA ID',
  ticketId: 'Oceane Ticket ID',
  ticketUrl: 'Oceane Ticket URL',
};

/** The DOM id of an alarm's row, for aria-activedescendant. */
export function alarmRowId(key: string): string {
  return `alarm-row-${key.replace('/', '-')}`;
}

/** "Pending" or "Failed" in the Oceane Ticket ID cell of an alarm without a ticket ID. */
function TicketFlagBadge({ flag }: { flag: AlarmTicketFlag }) {
  if (flag === 'pending') return <span className="badge badge-pending">Pending</span>;
  if (flag === 'failed') {
    return (
      <span
        className="badge badge-failed"
        title="The ticket request failed: see Failed Ticket Requests for why, and to retry"
      >
        Failed
      </span>
    );
  }
  return null;
}

const AlarmRow = memo(function AlarmRow({
  entry,
  index,
  top,
}: {
  entry: AlarmEntry;
  index: number;
  top: number;
}) {
  const selected = useAppStore((s) => s.selectedAlarmKey === entry.key);
  const flag = useAppStore((s) => s.ticketFlags.flagOf(entry.key));
  const a = entry.alarm;
  const sev = a.severity.toLowerCase();
  return (
    <div
      role="row"
      id={alarmRowId(entry.key)}
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-alarm-key={entry.key}
      className={`alarm-row sev-${sev}${selected ? ' selected' : ''}${index % 2 ? ' odd' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
    >
      <div role="gridcell" className="c-element" title={a.elementName}>
        {a.elementName}
      </div>
      <div role="gridcell" className="c-parameter" title={a.parameter}>
        {a.parameter}
      </div>
      <div role="gridcell" className="c-value" title={a.value}>
        {a.value}
      </div>
      <div role="gridcell" className="c-severity">
        <span className={`sev-chip sev-${sev}`}>{a.severity}</span>
      </div>
      <div role="gridcell" className="c-time">
        {formatTime(a.time)}
      </div>
      <div role="gridcell" className="c-time">
        {formatTime(a.rootTime)}
      </div>
      <div role="gridcell" className="c-num">
        {a.alarmId}
      </div>
      <div role="gridcell" className="c-num">
        {a.dmaId}
      </div>
      <div role="gridcell" className="c-ticket">
        {entry.ticketId}
        {entry.ticketId ? null : <TicketFlagBadge flag={flag} />}
      </div>
      <div role="gridcell" className="c-url">
        <TicketLink url={entry.ticketUrl} tabIndex={-1} />
      </div>
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
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ALARM_ROW_HEIGHT,
    overscan: 10,
    scrollMargin: HEADER_HEIGHT,
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
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
      Home: -Infinity,
      End: Infinity,
    };
    const delta = moves[e.key];
    if (delta === undefined || count === 0) return;
    e.preventDefault();
    const current = s.selectedAlarmKey
      ? visible.findIndex((x) => x.key === s.selectedAlarmKey)
      : -1;
    const next =
      current < 0 && Number.isFinite(delta)
        ? delta > 0
          ? 0
          : count - 1
        : Math.min(count - 1, Math.max(0, current + delta));
    s.selectAlarm(visible[next]!.key);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const rowKeyAt = (target: EventTarget): string | null => {
    const row = (target as HTMLElement).closest<HTMLElement>('[data-alarm-key]');
    return row?.dataset.alarmKey ?? null;
  };

  const onMouseDown = (e: MouseEvent<HTMLDivElement>): void => {
    const key = rowKeyAt(e.target);
    if (key) useAppStore.getState().selectAlarm(key);
  };

  const onContextMenu = (e: MouseEvent<HTMLDivElement>): void => {
    e.preventDefault();
    const key = rowKeyAt(e.target);
    const s = useAppStore.getState();
    if (key) s.openAlarmMenu(key, e.clientX, e.clientY);
    else if (!s.menu) openMenuForSelected();
  };

  const selectedVisible =
    selectedKey !== null &&
    virtualizer.getVirtualItems().some((v) => visible[v.index]?.key === selectedKey);

  return (
    <div
      ref={scrollRef}
      role="grid"
      aria-label="Alarms"
      aria-rowcount={count + 1}
      aria-busy={scanning || undefined}
      aria-colcount={ALARM_COLUMNS.length}
      aria-multiselectable={false}
      aria-activedescendant={selectedVisible && selectedKey ? alarmRowId(selectedKey) : undefined}
      tabIndex={0}
      className="alarm-grid"
      style={hyperlinkColumnsStyle(linkColumns)}
      onKeyDown={onKeyDown}
      onMouseDown={onMouseDown}
      onContextMenu={onContextMenu}
    >
      <div role="rowgroup" className="alarm-header">
        <div role="row" aria-rowindex={1} className="alarm-header-row">
          {ALARM_COLUMNS.map((c) => (
            <SortHeader key={c} column={c} />
          ))}
          <HyperlinkHeaderCells />
        </div>
      </div>
      <div role="rowgroup" className="alarm-body" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((v) => {
          const entry = visible[v.index];
          return entry ? (
            <AlarmRow key={entry.key} entry={entry} index={v.index} top={v.start - HEADER_HEIGHT} />
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
