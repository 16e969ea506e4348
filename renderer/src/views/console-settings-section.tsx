/**
 * Settings → Alarm Console: the operator's name (recorded on acknowledgements, ownership and
 * comments), the Create Ticket defaults (Priority, Urgency, Technical Impact per alarm
 * severity), how long cleared alarms stay, the team's DataMiner address (empty: the built-in
 * one) and how long Oceane may stay unreachable before the "Oceane Connector" alarm is raised. Its own form and Save, beside the connector's.
 */
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import {
  PRIORITIES,
  SEVERITIES,
  TECHNICAL_IMPACTS,
  URGENCIES,
  type ConsoleSettings,
} from '../../../shared/domain.js';
import { callMain } from '../api.js';
import { FormField } from '../components/form-field.js';
import { useAppStore } from '../store/store.js';

function Select({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: readonly string[];
  onChange: (v: string) => void;
}) {
  return (
    <FormField label={label}>
      {(p) => (
        <select {...p} value={value} onChange={(e) => onChange(e.target.value)}>
          {options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}

/** The Alarm Console section of the Settings page. */
export function ConsoleSettingsSection() {
  const stored = useAppStore((s) => s.consoleSettings);
  const [draft, setDraft] = useState<ConsoleSettings | null>(stored);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    if (stored) return;
    void callMain((api) => api.getConsoleSettings()).then((r) => {
      if (!r.ok) return;
      useAppStore.getState().setConsoleSettings(r.value);
      setDraft(r.value);
    });
  }, [stored]);

  if (!draft) return null;
  const set = <K extends keyof ConsoleSettings>(key: K, value: ConsoleSettings[K]): void => {
    setDraft({ ...draft, [key]: value });
    setMessage(null);
  };

  const onSave = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    const r = await callMain((api) => api.updateConsoleSettings(draft));
    if (!r.ok) {
      setErrors(r.error.fields ?? {});
      setMessage(r.error.message);
      return;
    }
    setErrors({});
    useAppStore.getState().setConsoleSettings(r.value);
    setDraft(r.value);
    setMessage('Alarm Console settings saved.');
  };

  return (
    <form className="settings-form" noValidate onSubmit={(e) => void onSave(e)}>
      <fieldset className="panel">
        <legend>Alarm Console</legend>
        <FormField label="Operator name" error={errors.operatorName}>
          {(p) => (
            <input
              {...p}
              type="text"
              maxLength={100}
              value={draft.operatorName}
              onChange={(e) => set('operatorName', e.target.value)}
            />
          )}
        </FormField>
        <Select
          label="Default Priority"
          value={draft.defaultPriority}
          options={PRIORITIES}
          onChange={(v) => set('defaultPriority', v as ConsoleSettings['defaultPriority'])}
        />
        <Select
          label="Default Urgency"
          value={draft.defaultUrgency}
          options={URGENCIES}
          onChange={(v) => set('defaultUrgency', v as ConsoleSettings['defaultUrgency'])}
        />
        {SEVERITIES.map((sev) => (
          <Select
            key={sev}
            label={`Technical Impact for ${sev === 'Normal' ? 'Cleared' : sev} alarms`}
            value={draft.impactBySeverity[sev]}
            options={TECHNICAL_IMPACTS}
            onChange={(v) =>
              set('impactBySeverity', {
                ...draft.impactBySeverity,
                [sev]: v as ConsoleSettings['impactBySeverity'][typeof sev],
              })
            }
          />
        ))}
        <FormField label="Cleared alarms stay (seconds)" error={errors.clearedVisibleSeconds}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              max={86400}
              value={draft.clearedVisibleSeconds}
              onChange={(e) => set('clearedVisibleSeconds', Number(e.target.value))}
            />
          )}
        </FormField>
        <FormField
          label="DataMiner address"
          error={errors.dataMinerUrl}
          hint="The team's DataMiner process (npm run dataminer), such as http://127.0.0.1:47830. Empty: the DataMiner built into this app. Applies when the app starts again."
        >
          {(p) => (
            <input
              {...p}
              type="text"
              spellCheck={false}
              maxLength={500}
              value={draft.dataMinerUrl}
              onChange={(e) => set('dataMinerUrl', e.target.value)}
            />
          )}
        </FormField>
        <FormField
          label="Oceane Connector alarm after (minutes unreachable)"
          error={errors.connectorAlarmMinutes}
        >
          {(p) => (
            <input
              {...p}
              type="number"
              min={1}
              max={1440}
              value={draft.connectorAlarmMinutes}
              onChange={(e) => set('connectorAlarmMinutes', Number(e.target.value))}
            />
          )}
        </FormField>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary">
          Save Alarm Console settings
        </button>
        {message ? <span role="status">{message}</span> : null}
      </div>
    </form>
  );
}
