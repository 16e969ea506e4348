/**
 * Settings → Ticket follow-up (issue 13): how often Oceane is asked for ticket changes, what
 * happens to an open ticket when its alarms clear (nothing, a note, or resolve it), and the
 * address the console listens on for Oceane's events (empty: polling only; read at start).
 * Its own form and Save, beside the connector's.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { CLEAR_ACTION_CHOICES, SETTINGS_BOUNDS } from '../../../shared/settings-rules.js';
import { callMain } from '../api.js';
import { FormField } from '../components/form-field.js';
import { useAppStore } from '../store/store.js';

const CLEAR_LABELS: Record<(typeof CLEAR_ACTION_CHOICES)[number], string> = {
  nothing: 'Nothing',
  note: 'Add a note to the ticket',
  resolve: 'Resolve the ticket',
};

interface Draft {
  ticketStatusPollSeconds: string;
  clearAction: (typeof CLEAR_ACTION_CHOICES)[number];
  eventListenerUrl: string;
}

function FollowUpForm({ initial }: { initial: Draft }) {
  const [draft, setDraft] = useState<Draft>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]): void => {
    setDraft({ ...draft, [key]: value });
    setMessage(null);
  };
  const bounds = SETTINGS_BOUNDS.ticketStatusPollSeconds;
  const onSave = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    const seconds = Number(draft.ticketStatusPollSeconds);
    const element = {
      ticketStatusPollSeconds: Number.isFinite(seconds) ? seconds : -1,
      clearAction: draft.clearAction,
      eventListenerUrl: draft.eventListenerUrl.trim(),
    };
    const r = await callMain((api) => api.updateSettings({ element }));
    if (!r.ok) {
      const fields = r.error.fields ?? {};
      setErrors(
        Object.fromEntries(
          Object.entries(fields).map(([k, v]) => [k.replace(/^element\./, ''), v]),
        ),
      );
      setMessage(r.error.message);
      return;
    }
    setErrors({});
    useAppStore.setState({ settings: r.value });
    setMessage('Ticket follow-up settings saved.');
  };
  return (
    <form className="settings-form" noValidate onSubmit={(e) => void onSave(e)}>
      <fieldset className="panel">
        <legend>Ticket follow-up</legend>
        <FormField
          label={`Ticket status poll interval (seconds, ${bounds.min}–${bounds.max})`}
          error={errors.ticketStatusPollSeconds}
        >
          {(p) => (
            <input
              {...p}
              type="number"
              min={bounds.min}
              max={bounds.max}
              value={draft.ticketStatusPollSeconds}
              onChange={(e) => set('ticketStatusPollSeconds', e.target.value)}
            />
          )}
        </FormField>
        <FormField label="When an alarm with an open ticket clears" error={errors.clearAction}>
          {(p) => (
            <select
              {...p}
              value={draft.clearAction}
              onChange={(e) => set('clearAction', e.target.value as Draft['clearAction'])}
            >
              {CLEAR_ACTION_CHOICES.map((c) => (
                <option key={c} value={c}>
                  {CLEAR_LABELS[c]}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField
          label="Events listener address (empty: polling only; applies at the next start)"
          error={errors.eventListenerUrl}
        >
          {(p) => (
            <input
              {...p}
              type="text"
              maxLength={500}
              placeholder="http://10.0.0.5:47900"
              value={draft.eventListenerUrl}
              onChange={(e) => set('eventListenerUrl', e.target.value)}
            />
          )}
        </FormField>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary">
          Save Ticket Follow-up
        </button>
        {message ? <span role="status">{message}</span> : null}
      </div>
    </form>
  );
}

/** The Ticket follow-up section of the Settings page. */
export function TicketLifeSettingsSection() {
  const element = useAppStore((s) => s.settings?.element);
  if (!element) return null;
  return (
    <FollowUpForm
      initial={{
        ticketStatusPollSeconds: String(element.ticketStatusPollSeconds),
        clearAction: element.clearAction,
        eventListenerUrl: element.eventListenerUrl,
      }}
    />
  );
}
