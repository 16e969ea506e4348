/**
 * The Alarm Console's toolbar: the filter (Ctrl+F reaches it), the severity toggles with their
 * counts, "446 of 501", the marker of live changes held while the operator works, the Columns
 * menu and the detail pane's toggle. The view state is kept across restarts (view-state.ts).
 */
import { useEffect, useRef, useState } from 'react';
import { SEVERITIES, type Severity } from '../../../shared/domain.js';
import { ALARM_COLUMN_LABELS } from '../alarms/alarm-columns.js';
import { ALARM_COLUMNS } from '../alarms/alarm-index.js';
import { saveViewState } from '../alarms/view-state.js';
import { FilterInput } from '../components/filter-input.js';
import { heldAlarmUpdates } from '../store/bridge.js';
import { useAppStore } from '../store/store.js';

/** The DOM id of the alarm filter, which Ctrl+F focuses. */
export const ALARM_FILTER_ID = 'alarm-filter';

/** Toggle label: active alarms are never Normal, so that toggle shows the cleared ones. */
function toggleLabel(sev: Severity): string {
  return sev === 'Normal' ? 'Cleared' : sev;
}

function SeverityToggles() {
  const severities = useAppStore((s) => s.alarmSeverities);
  const toggle = useAppStore((s) => s.toggleAlarmSeverity);
  const index = useAppStore((s) => s.alarmIndex);
  useAppStore((s) => s.alarmsVersion);
  return (
    <fieldset className="severity-toggles">
      <legend className="visually-hidden">Severity</legend>
      {SEVERITIES.map((sev) => {
        const count =
          sev === 'Normal'
            ? index.countOf('Cleared') + index.countOf('Normal')
            : index.countOf(sev);
        const css = sev === 'Normal' ? 'cleared' : sev.toLowerCase();
        return (
          <label key={sev} className={`severity-toggle sev-${css}`}>
            <input type="checkbox" checked={severities.has(sev)} onChange={() => toggle(sev)} />
            <span>{toggleLabel(sev)}</span>
            <span className="count">{count.toLocaleString('en-US')}</span>
          </label>
        );
      })}
    </fieldset>
  );
}

/** "446 of 501 alarms": what the filter shows of all there are. */
function AlarmCount() {
  const index = useAppStore((s) => s.alarmIndex);
  const shown = useAppStore((s) => s.alarmShown);
  useAppStore((s) => s.alarmsVersion);
  const total = index.size.toLocaleString('en-US');
  return (
    <span className="alarm-count" role="status">
      {shown === index.size ? `${total} alarms` : `${shown.toLocaleString('en-US')} of ${total}`}
    </span>
  );
}

/** How many alarms have live changes waiting, and a way to apply them now. */
function HeldMarker() {
  const held = useAppStore((s) => s.heldChanges);
  if (held === 0) return null;
  return (
    <span className="held-marker" role="status">
      ⏸ {held} {held === 1 ? 'alarm changed' : 'alarms changed'}, held while you work
      <button type="button" className="link-button" onClick={() => heldAlarmUpdates.release()}>
        Show now
      </button>
    </span>
  );
}

function ColumnsMenu() {
  const hidden = useAppStore((s) => s.hiddenColumns);
  const toggle = useAppStore((s) => s.toggleColumn);
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent): void => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown, true);
    return () => document.removeEventListener('pointerdown', onDown, true);
  }, [open]);
  return (
    <div
      ref={ref}
      className="columns-menu"
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
      }}
    >
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        Columns
      </button>
      {open ? (
        <fieldset className="columns-menu-list">
          <legend className="visually-hidden">Shown columns</legend>
          {ALARM_COLUMNS.filter((c) => c !== 'severity').map((c) => (
            <label key={c} className="inline-field">
              <input type="checkbox" checked={!hidden.has(c)} onChange={() => toggle(c)} />
              {ALARM_COLUMN_LABELS[c]}
            </label>
          ))}
        </fieldset>
      ) : null}
    </div>
  );
}

function DetailToggle() {
  const open = useAppStore((s) => s.detailOpen);
  const setOpen = useAppStore((s) => s.setDetailOpen);
  return (
    <button
      type="button"
      aria-pressed={open}
      title="Alarm details (I)"
      onClick={() => setOpen(!open)}
    >
      Details
    </button>
  );
}

/** Keeps the view state whenever it changes, and lets Ctrl+F reach the filter. */
function useConsoleEffects(): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = useAppStore.subscribe((s, prev) => {
      if (
        s.alarmSort === prev.alarmSort &&
        s.alarmFilter === prev.alarmFilter &&
        s.alarmSeverities === prev.alarmSeverities &&
        s.hiddenColumns === prev.hiddenColumns &&
        s.columnWidths === prev.columnWidths &&
        s.detailOpen === prev.detailOpen
      ) {
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          saveViewState({
            sort: s.alarmSort,
            filter: s.alarmFilter,
            severities: s.alarmSeverities,
            hiddenColumns: s.hiddenColumns,
            columnWidths: s.columnWidths,
            detailOpen: s.detailOpen,
          }),
        200,
      );
    });
    const onKey = (e: KeyboardEvent): void => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'f') {
        const input = document.getElementById(ALARM_FILTER_ID) as HTMLInputElement | null;
        if (!input || useAppStore.getState().dialog) return;
        e.preventDefault();
        input.focus();
        input.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      unsubscribe();
      window.removeEventListener('keydown', onKey);
      clearTimeout(timer);
    };
  }, []);
}

/** The toolbar's controls after the title. */
export function AlarmConsoleToolbar() {
  const filter = useAppStore((s) => s.alarmFilter);
  const setFilter = useAppStore((s) => s.setAlarmFilter);
  useConsoleEffects();
  return (
    <>
      <FilterInput
        id={ALARM_FILTER_ID}
        label="Filter alarms"
        placeholder="Filter (Ctrl+F): element, parameter, value, IDs, owner"
        value={filter}
        onChange={setFilter}
      />
      <SeverityToggles />
      <HeldMarker />
      <AlarmCount />
      <ColumnsMenu />
      <DetailToggle />
    </>
  );
}
