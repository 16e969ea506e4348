/**
 * Settings → Team (issue 14): the PostgreSQL that a team of consoles shares. The URL, the TLS
 * options and the password, which is write-only like the Client Secret (the page learns only
 * "set" or "not set"). "Test connection" tries what is in the form, saved or not, and shows
 * the server's version or the reason it failed. An empty URL means no team mode.
 */
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import {
  TEAM_TLS_MODES,
  type TeamSettingsUpdate,
  type TeamSettingsView,
  type TeamTlsMode,
} from '../../../shared/team-settings.js';
import { callMain } from '../api.js';
import { FormField } from '../components/form-field.js';
import { SecretInput } from '../components/secret-input.js';

const TLS_LABELS: Record<TeamTlsMode, string> = {
  off: 'Off (only on a network you trust)',
  require: 'Require TLS',
  'verify-ca': 'Require TLS and verify the CA',
};

interface Draft {
  postgresUrl: string;
  tls: TeamTlsMode;
  caFile: string;
  password: string;
}

const draftOf = (v: TeamSettingsView): Draft => ({ ...v.settings, password: '' });

/** Only what differs from the saved settings (and the password when one was typed). */
function changesOf(saved: TeamSettingsView, d: Draft): TeamSettingsUpdate {
  const update: TeamSettingsUpdate = {};
  if (d.postgresUrl.trim() !== saved.settings.postgresUrl)
    update.postgresUrl = d.postgresUrl.trim();
  if (d.tls !== saved.settings.tls) update.tls = d.tls;
  if (d.caFile.trim() !== saved.settings.caFile) update.caFile = d.caFile.trim();
  if (d.password !== '') update.password = d.password;
  return update;
}

/** The Team section of the Settings page. */
export function TeamSettingsSection() {
  const [saved, setSaved] = useState<TeamSettingsView | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [check, setCheck] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void callMain((api) => api.getTeamSettings()).then((r) => {
      if (!r.ok) return;
      setSaved(r.value);
      setDraft(draftOf(r.value));
    });
  }, []);

  if (!saved || !draft) return null;
  const set = <K extends keyof Draft>(key: K, value: Draft[K]): void => {
    setDraft({ ...draft, [key]: value });
    setMessage(null);
    setCheck(null);
  };
  const accepted = (view: TeamSettingsView, text: string): void => {
    setSaved(view);
    setDraft(draftOf(view));
    setErrors({});
    setMessage(text);
  };

  const onSave = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    const r = await callMain((api) => api.updateTeamSettings(changesOf(saved, draft)));
    if (!r.ok) {
      setErrors(r.error.fields ?? {});
      setMessage(r.error.message);
      return;
    }
    accepted(
      r.value,
      r.value.teamMode
        ? 'Team settings saved. The shared tables use them once team mode is available.'
        : 'Team settings saved: no team mode (this console keeps its own tables).',
    );
  };

  const onClearPassword = async (): Promise<void> => {
    const r = await callMain((api) => api.updateTeamSettings({ clearPassword: true }));
    if (r.ok) accepted(r.value, 'PostgreSQL password cleared.');
    else setMessage(r.error.message);
  };

  const onTest = async (): Promise<void> => {
    setBusy(true);
    setCheck(null);
    const r = await callMain((api) => api.testTeamConnection(changesOf(saved, draft)));
    setBusy(false);
    if (r.ok) {
      const tls = r.value.tls ? 'over TLS' : 'without TLS';
      setCheck({ ok: true, text: `Connected to PostgreSQL ${r.value.serverVersion} (${tls}).` });
      setErrors({});
    } else {
      setErrors(r.error.fields ?? {});
      setCheck({ ok: false, text: r.error.message });
    }
  };

  return (
    <form className="settings-form" noValidate onSubmit={(e) => void onSave(e)}>
      <fieldset className="panel" aria-describedby="team-settings-hint">
        <legend>Team</legend>
        <p id="team-settings-hint" className="field-hint">
          Consoles of a team share one PostgreSQL. Leave the URL empty for a console on its own.
        </p>
        <FormField
          label="PostgreSQL URL"
          error={errors.postgresUrl}
          hint="Such as postgres://console@db.example.com:5432/oceane (the password goes below)."
        >
          {(p) => (
            <input
              {...p}
              type="text"
              spellCheck={false}
              maxLength={2000}
              value={draft.postgresUrl}
              onChange={(e) => set('postgresUrl', e.target.value)}
            />
          )}
        </FormField>
        <FormField label="PostgreSQL password" error={errors.password}>
          {(p) => (
            <SecretInput
              control={p}
              value={draft.password}
              isSet={saved.passwordSet}
              statusTestId="team-password-status"
              onChange={(v) => set('password', v)}
              onClear={onClearPassword}
            />
          )}
        </FormField>
        <FormField label="TLS" error={errors.tls}>
          {(p) => (
            <select
              {...p}
              value={draft.tls}
              onChange={(e) => set('tls', e.target.value as TeamTlsMode)}
            >
              {TEAM_TLS_MODES.map((mode) => (
                <option key={mode} value={mode}>
                  {TLS_LABELS[mode]}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField
          label="CA certificate file"
          error={errors.caFile}
          hint="For Verify the CA: the PEM file of the CA that signed the server's certificate."
        >
          {(p) => (
            <input
              {...p}
              type="text"
              spellCheck={false}
              maxLength={4096}
              value={draft.caFile}
              onChange={(e) => set('caFile', e.target.value)}
            />
          )}
        </FormField>
        <div className="auth-row">
          <button type="button" disabled={busy} aria-busy={busy} onClick={() => void onTest()}>
            Test connection
          </button>
          {check ? (
            <span role="status" className={check.ok ? 'team-check-ok' : 'team-check-failed'}>
              {check.text}
            </span>
          ) : null}
        </div>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary">
          Save Team settings
        </button>
        {message ? <span role="status">{message}</span> : null}
      </div>
    </form>
  );
}
