/** The Alarm Console view: the filter bar, the grid, and the alarm's context menu. */
import { SEVERITIES } from '../../../shared/domain.js';
import { FilterInput } from '../components/filter-input.js';
import { ViewFrame } from '../components/view-frame.js';
import { useAppStore } from '../store/store.js';
import { AlarmContextMenu } from './alarm-context-menu.js';
import { AlarmGrid } from './alarm-grid.js';
import { CreateTicketDialog } from './create-ticket-dialog.js';

function SeverityToggles() {
  const severities = useAppStore((s) => s.alarmSeverities);
  const toggle = useAppStore((s) => s.toggleAlarmSeverity);
  return (
    <fieldset className="severity-toggles">
      <legend className="visually-hidden">Severity</legend>
      {SEVERITIES.map((sev) => (
        <label key={sev} className={`severity-toggle sev-${sev.toLowerCase()}`}>
          <input type="checkbox" checked={severities.has(sev)} onChange={() => toggle(sev)} />
          <span>{sev}</span>
        </label>
      ))}
    </fieldset>
  );
}

function AlarmCount() {
  const index = useAppStore((s) => s.alarmIndex);
  useAppStore((s) => s.alarmsVersion);
  return <span className="alarm-count">{index.size.toLocaleString()} alarms</span>;
}

function FilterBox() {
  const filter = useAppStore((s) => s.alarmFilter);
  const setFilter = useAppStore((s) => s.setAlarmFilter);
  return (
    <FilterInput
      label="Filter alarms"
      placeholder="Filter: element, parameter, value, IDs"
      value={filter}
      onChange={setFilter}
    />
  );
}

/** The Alarm Console. */
export function AlarmConsole() {
  return (
    <ViewFrame
      title="Alarm Console"
      className="alarm-console"
      toolbar={
        <>
          <FilterBox />
          <SeverityToggles />
          <AlarmCount />
        </>
      }
    >
      <AlarmGrid />
      <AlarmContextMenu />
      <CreateTicketDialog />
    </ViewFrame>
  );
}
