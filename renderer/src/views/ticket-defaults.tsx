/**
 * What the Create Ticket dialog starts from: Priority and Urgency from the console settings,
 * Technical Impact from the alarm's severity (the mapping is a setting), and the alarm's
 * parameter and severity shown beside its hyperlink context. The operator can change each.
 */
import { useAppStore } from '../store/store.js';
import { severityLabel } from './alarm-cells.js';

/** The preselected ticket fields for the alarm of `alarmKey` ('' where there is no default). */
export function ticketDefaults(alarmKey: string): {
  priority: string;
  urgency: string;
  technicalImpact: string;
} {
  const s = useAppStore.getState();
  const settings = s.consoleSettings;
  const alarm = s.alarmIndex.get(alarmKey)?.alarm;
  return {
    priority: settings?.defaultPriority ?? '',
    urgency: settings?.defaultUrgency ?? '',
    technicalImpact: settings && alarm ? settings.impactBySeverity[alarm.severity] : '',
  };
}

/** The alarm's parameter and severity, read-only, in the dialog's alarm context. */
export function AlarmParameterAndSeverity({ alarmKey }: { alarmKey: string }) {
  const entry = useAppStore((s) => s.alarmIndex.get(alarmKey));
  if (!entry) return null;
  const label = severityLabel(entry);
  return (
    <>
      <div className="kv-row">
        <dt>Parameter</dt>
        <dd>{entry.alarm.parameter}</dd>
      </div>
      <div className="kv-row">
        <dt>Severity</dt>
        <dd>
          <span className={`sev-chip sev-${label.toLowerCase()}`}>{label}</span>
        </dd>
      </div>
    </>
  );
}
