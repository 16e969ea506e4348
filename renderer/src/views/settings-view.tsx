/**
 * The Settings view: the seed's Element Settings and API Settings. Save sends only what
 * changed; errors (checked here with the shared schema, then by main) show beside each field
 * under keys such as "element.ticketStorageCountLimit". The Client Secret is write-only.
 */
import { useId, useState } from 'react';
import type { FormEvent, InputHTMLAttributes } from 'react';
import type { SettingsUpdate, SettingsView as Settings } from '../../../shared/domain.js';
import type { Result } from '../../../shared/result.js';
import { settingsUpdateSchema } from '../../../shared/schemas.js';
import { callMain, type CallResult } from '../api.js';
import type { OceaneApi } from '../../../shared/ipc-contract.js';
import { FormField } from '../components/form-field.js';
import { SecretInput } from '../components/secret-input.js';
import { HyperLinksFilePanel } from './hyperlinks-file-panel.js';
import { ViewFrame } from '../components/view-frame.js';
import { formatAuthResult } from '../format.js';
import { useAppStore } from '../store/store.js';
import { ConsoleAndTeamSettings } from './settings-sections.js';

interface Draft {
  ticketStorageDurationDays: string;
  ticketStorageCountLimit: string;
  ticketCreationRetryCount: string;
  displayDebugPage: boolean;
  desktopNotifications: boolean;
  baseUrl: string;
  clientId: string;
  userId: string;
  ticketUrlTemplate: string;
  requestTimeoutSeconds: string;
  extraCaCertificate: string;
  clientSecret: string;
}

function draftOf(s: Settings): Draft {
  return {
    ticketStorageDurationDays: String(s.element.ticketStorageDurationDays),
    ticketStorageCountLimit: String(s.element.ticketStorageCountLimit),
    ticketCreationRetryCount: String(s.element.ticketCreationRetryCount),
    displayDebugPage: s.element.displayDebugPage,
    desktopNotifications: s.element.desktopNotifications,
    baseUrl: s.api.baseUrl,
    clientId: s.api.clientId,
    userId: s.api.userId,
    ticketUrlTemplate: s.api.ticketUrlTemplate,
    requestTimeoutSeconds: String(s.api.requestTimeoutSeconds),
    extraCaCertificate: s.api.extraCaCertificate,
    clientSecret: '',
  };
}

const toNumber = (v: string): number => (v.trim() === '' ? Number.NaN : Number(v));

/** Only the fields that differ from the saved settings. */
function changesOf(s: Settings, d: Draft): SettingsUpdate {
  const element: NonNullable<SettingsUpdate['element']> = {};
  const api: NonNullable<SettingsUpdate['api']> = {};
  const num = <
    K extends 'ticketStorageDurationDays' | 'ticketStorageCountLimit' | 'ticketCreationRetryCount',
  >(
    k: K,
  ): void => {
    if (d[k] !== String(s.element[k])) element[k] = toNumber(d[k]);
  };
  num('ticketStorageDurationDays');
  num('ticketStorageCountLimit');
  num('ticketCreationRetryCount');
  if (d.displayDebugPage !== s.element.displayDebugPage)
    element.displayDebugPage = d.displayDebugPage;
  if (d.desktopNotifications !== s.element.desktopNotifications)
    element.desktopNotifications = d.desktopNotifications;
  if (d.baseUrl !== s.api.baseUrl) api.baseUrl = d.baseUrl.trim();
  if (d.clientId !== s.api.clientId) api.clientId = d.clientId;
  if (d.userId !== s.api.userId) api.userId = d.userId;
  if (d.ticketUrlTemplate !== s.api.ticketUrlTemplate) api.ticketUrlTemplate = d.ticketUrlTemplate;
  if (d.requestTimeoutSeconds !== String(s.api.requestTimeoutSeconds)) {
    api.requestTimeoutSeconds = toNumber(d.requestTimeoutSeconds);
  }
  if (d.extraCaCertificate !== s.api.extraCaCertificate) {
    api.extraCaCertificate = d.extraCaCertificate;
  }
  const update: SettingsUpdate = {};
  if (Object.keys(element).length > 0) update.element = element;
  if (Object.keys(api).length > 0) update.api = api;
  if (d.clientSecret !== '') update.clientSecret = d.clientSecret;
  return update;
}

type Errors = Record<string, string>;

/** The draft values edited in a plain input: all but the checkbox and the Client Secret. */
type InputKey = Exclude<keyof Draft, 'displayDebugPage' | 'desktopNotifications' | 'clientSecret'>;

/** One plain input of the form: its draft value, label, error key, hint and input kind. */
interface InputSpec {
  key: InputKey;
  label: string;
  /** Where the schema and main report its error, e.g. "element.ticketStorageCountLimit". */
  errorKey: string;
  hint?: string | undefined;
  input: InputHTMLAttributes<HTMLInputElement>;
}

const numberInput = (min: number) => ({ type: 'number', inputMode: 'numeric', min }) as const;
const textInput = { type: 'text', spellCheck: false } as const;

const elementInput = (key: InputKey, label: string, min: number): InputSpec => ({
  key,
  label,
  errorKey: `element.${key}`,
  input: numberInput(min),
});
const apiInput = (
  key: InputKey,
  label: string,
  input: InputSpec['input'],
  hint?: string,
): InputSpec => ({ key, label, errorKey: `api.${key}`, hint, input });

const ELEMENT_INPUTS: readonly InputSpec[] = [
  elementInput('ticketStorageDurationDays', 'Ticket Storage Duration Limit (days)', 1),
  elementInput('ticketStorageCountLimit', 'Ticket Storage Count Limit', 1),
  elementInput('ticketCreationRetryCount', 'Ticket Creation Retry Count', 0),
];

/** The API inputs above the Client Secret. */
const API_INPUTS_BEFORE_SECRET: readonly InputSpec[] = [
  apiInput(
    'baseUrl',
    'Base URL',
    { type: 'url', spellCheck: false },
    'https://… (plain http only for this machine)',
  ),
  apiInput('clientId', 'Client ID', { ...textInput, autoComplete: 'off' }),
];

/** The API inputs below the Client Secret. */
const API_INPUTS_AFTER_SECRET: readonly InputSpec[] = [
  apiInput('userId', 'User ID', textInput),
  apiInput(
    'ticketUrlTemplate',
    'Ticket URL template',
    textInput,
    '{base} is the Base URL, {id} the ticket ID',
  ),
  apiInput('requestTimeoutSeconds', 'Request time-out (seconds)', numberInput(1)),
  apiInput(
    'extraCaCertificate',
    'Extra trusted CA certificate',
    textInput,
    "PEM, only for an Oceane behind your company's own certificate authority",
  ),
];

/** The fields whose edit makes the last Authenticate result stale. */
const CREDENTIAL_FIELDS: ReadonlySet<keyof Draft> = new Set([
  'baseUrl',
  'clientId',
  'clientSecret',
]);

/** A call to main with its busy flag; never rejects and never leaves the flag set. */
function useSettingsCall() {
  const [busy, setBusy] = useState(false);
  const run = async <T,>(call: (api: OceaneApi) => Promise<Result<T>>): Promise<CallResult<T>> => {
    setBusy(true);
    try {
      return await callMain(call);
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

function SecretStorageNotice({ settings }: { settings: Settings }) {
  const { busy, run } = useSettingsCall();
  const st = settings.secretStorage;
  if (!st.weak) {
    return (
      <p className="field-hint">The secret is encrypted by the operating system ({st.backend}).</p>
    );
  }
  const toggle = async (allow: boolean): Promise<void> => {
    const r = await run((api) => api.updateSettings({ allowWeakSecretStorage: allow }));
    if (r.ok) useAppStore.setState({ settings: r.value });
    else
      useAppStore
        .getState()
        .notify({ level: 'error', title: 'Settings not saved', message: r.error.message });
  };
  return (
    <div className="warning-box" role="note" aria-label="Secret storage warning">
      <p>
        <strong>This system has no OS key store</strong> (backend “{st.backend}”). The Client Secret
        is{' '}
        {st.persisted
          ? 'stored on disk, only weakly protected'
          : 'kept in memory only and is lost when the app restarts'}
        .
      </p>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={st.weakConsent}
          disabled={busy}
          onChange={(e) => void toggle(e.target.checked)}
        />
        <span>Store the secret on disk weakly protected</span>
      </label>
    </div>
  );
}

/** The outcome of a save or an authentication, as shown to the operator. */
interface Outcome {
  ok: boolean;
  text: string;
}

/** A live status line: the outcome's text in the ok or bad colour, empty without one. */
function OutcomeStatus({ className, outcome }: { className: string; outcome: Outcome | null }) {
  return (
    <p role="status" className={`${className} ${outcome ? (outcome.ok ? 'ok' : 'bad') : ''}`}>
      {outcome?.text ?? ''}
    </p>
  );
}

/** The Settings view. */
export function SettingsView() {
  const settings = useAppStore((s) => s.settings);
  const [baseline, setBaseline] = useState<Settings | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<Outcome | null>(null);
  const [authText, setAuthText] = useState<Outcome | null>(null);
  const save = useSettingsCall();
  const auth = useSettingsCall();
  const authHintId = useId();

  // Take settings from main when nothing is being edited (or on first load); adjusting state
  // while rendering is React's way to follow a changed input without an effect.
  const [seen, setSeen] = useState<Settings | null>(null);
  if (settings && settings !== seen) {
    setSeen(settings);
    if (!baseline || !draft || Object.keys(changesOf(baseline, draft)).length === 0) {
      setBaseline(settings);
      setDraft(draftOf(settings));
    }
  }

  if (!settings || !draft || !baseline) {
    return (
      <ViewFrame title="Settings">
        <p>Loading settings…</p>
      </ViewFrame>
    );
  }

  const set = <K extends keyof Draft>(k: K, v: Draft[K]): void => {
    setDraft({ ...draft, [k]: v });
    setMessage(null);
    // "Token valid until…" described the credentials being edited: it no longer applies.
    if (CREDENTIAL_FIELDS.has(k)) setAuthText(null);
  };
  const inputField = (f: InputSpec) => (
    <FormField key={f.key} label={f.label} error={errors[f.errorKey]} hint={f.hint}>
      {(p) => (
        <input
          {...p}
          {...f.input}
          value={draft[f.key]}
          onChange={(e) => set(f.key, e.target.value)}
        />
      )}
    </FormField>
  );
  const update = changesOf(baseline, draft);
  const dirty = Object.keys(update).length > 0;

  const onSave = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setMessage(null);
    if (!dirty) {
      setMessage({ ok: true, text: 'No changes to save' });
      return;
    }
    const parsed = settingsUpdateSchema.safeParse(update);
    if (!parsed.success) {
      const next: Errors = {};
      for (const issue of parsed.error.issues) next[issue.path.join('.')] ??= issue.message;
      setErrors(next);
      setMessage({ ok: false, text: 'Some settings need attention' });
      return;
    }
    const r = await save.run((api) => api.updateSettings(parsed.data));
    if (!r.ok) {
      setErrors(r.error.fields ?? {});
      setMessage({ ok: false, text: r.error.message });
      return;
    }
    // A result of Authenticate described the API settings as they were before.
    if (parsed.data.api || parsed.data.clientSecret !== undefined) setAuthText(null);
    setErrors({});
    useAppStore.setState({ settings: r.value });
    setBaseline(r.value);
    setDraft(draftOf(r.value));
    setMessage({ ok: true, text: 'Settings saved' });
  };

  const onClearSecret = async (): Promise<void> => {
    const r = await save.run((api) => api.updateSettings({ clearClientSecret: true }));
    if (r.ok) {
      useAppStore.setState({ settings: r.value });
      setAuthText(null);
      setMessage({ ok: true, text: 'Client Secret cleared' });
    } else setMessage({ ok: false, text: r.error.message });
  };

  // Authenticate tests the saved settings: with API changes not saved yet, it would test
  // something other than what the form shows, so it waits for Save.
  const apiUnsaved = update.api !== undefined || update.clientSecret !== undefined;
  const configured =
    settings.api.baseUrl !== '' && settings.api.clientId !== '' && settings.clientSecretSet;

  const onAuthenticate = async (): Promise<void> => {
    setAuthText(null);
    const r = await auth.run((api) => api.authenticate());
    if (!r.ok) setAuthText({ ok: false, text: `Authentication failed: ${r.error.message}` });
    else setAuthText({ ok: r.value.ok, text: formatAuthResult(r.value, configured) });
  };

  return (
    <ViewFrame title="Settings" className="settings-view">
      <div className="settings-scroll">
        {/* Demo mode is said once, by the banner above every view (app.tsx). */}
        <form className="settings-form" noValidate onSubmit={(e) => void onSave(e)}>
          <fieldset className="panel">
            <legend>Element Settings</legend>
            {ELEMENT_INPUTS.map(inputField)}
            <div className="field checkbox-field">
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={draft.displayDebugPage}
                  onChange={(e) => set('displayDebugPage', e.target.checked)}
                />
                <span>Display Debug Page</span>
              </label>
              {errors['element.displayDebugPage'] ? (
                <p className="field-error">{errors['element.displayDebugPage']}</p>
              ) : null}
            </div>
            <div className="field checkbox-field">
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={draft.desktopNotifications}
                  onChange={(e) => set('desktopNotifications', e.target.checked)}
                />
                <span>Desktop notifications (failed tickets, Oceane unreachable or back)</span>
              </label>
            </div>
          </fieldset>

          <fieldset className="panel">
            <legend>API Settings</legend>
            {API_INPUTS_BEFORE_SECRET.map(inputField)}
            <FormField
              label="Client Secret"
              error={errors.clientSecret}
              hint={
                settings.clientSecretSet
                  ? 'A secret is set. Type a new one to replace it.'
                  : 'No secret is set.'
              }
            >
              {(p) => (
                <SecretInput
                  control={p}
                  value={draft.clientSecret}
                  isSet={settings.clientSecretSet}
                  statusTestId="client-secret-status"
                  busy={save.busy}
                  onChange={(v) => set('clientSecret', v)}
                  onClear={onClearSecret}
                />
              )}
            </FormField>
            <SecretStorageNotice settings={settings} />
            {API_INPUTS_AFTER_SECRET.map(inputField)}
            <div className="auth-row">
              <button
                type="button"
                disabled={auth.busy || apiUnsaved}
                aria-busy={auth.busy}
                aria-describedby={apiUnsaved ? authHintId : undefined}
                onClick={() => void onAuthenticate()}
              >
                Authenticate
              </button>
              {apiUnsaved ? (
                <p id={authHintId} className="field-hint auth-hint">
                  Save the settings first: Authenticate tests the saved API settings.
                </p>
              ) : null}
              <OutcomeStatus className="auth-result" outcome={authText} />
            </div>
          </fieldset>

          <div className="form-actions">
            <button type="submit" className="primary" disabled={save.busy}>
              Save settings
            </button>
            <button
              type="button"
              disabled={!dirty}
              onClick={() => {
                setDraft(draftOf(baseline));
                setErrors({});
                setMessage(null);
              }}
            >
              Discard changes
            </button>
            <OutcomeStatus className="save-result" outcome={message} />
          </div>
        </form>
        <HyperLinksFilePanel />
        <ConsoleAndTeamSettings />
      </div>
    </ViewFrame>
  );
}
