/**
 * The Create Ticket dialog. It first asks main whether the alarm already has a ticket (or one
 * pending) and then shows that ticket instead of the form; otherwise the alarm's context,
 * read-only, and the ticket fields, checked here with the same schema main uses.
 */
import { ClosedTicketNote } from './ticket-life-panels.js';
import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import {
  CLIENT_IMPACTS,
  PRIORITIES,
  TECHNICAL_IMPACTS,
  URGENCIES,
  type CreateTicketRequest,
  type ExistingTicket,
} from '../../../shared/domain.js';
import { createTicketRequestSchema } from '../../../shared/schemas.js';
import { callMain } from '../api.js';
import { FormField } from '../components/form-field.js';
import { ModalDialog } from '../components/modal-dialog.js';
import { openTicket } from '../components/ticket-link.js';
import { formatTime } from '../format.js';
import {
  SettingsLead,
  TicketOutcome,
  finishTicketDialog,
  useConfirmStep,
} from '../hyperlinks/ticket-dialog-steps.js';
import { useAppStore } from '../store/store.js';
import { requestedToast } from '../store/ticket-notices.js';
import type { CreateTicketDialogState } from '../store/store-types.js';
import { AlarmParameterAndSeverity, ticketDefaults } from './ticket-defaults.js';

/** The hyperlink parameters the dialog shows, in order. */
const CONTEXT_PARAMS = [
  'DMA ID',
  'Element ID',
  'Alarm ID',
  'Element Name',
  'Alarm Value',
  'Root Time',
] as const;

type TicketField = 'priority' | 'urgency' | 'technicalImpact' | 'clientImpact' | 'description';
const TICKET_FIELDS: readonly TicketField[] = [
  'priority',
  'urgency',
  'technicalImpact',
  'clientImpact',
  'description',
];

const SOURCE_LABEL: Record<ExistingTicket['source'], string> = {
  property: 'alarm property',
  table: 'Tickets table',
  queue: 'pending queue',
  oceane: 'Oceane',
};

type Phase =
  | { kind: 'checking' }
  | { kind: 'existing'; ticket: ExistingTicket }
  | { kind: 'form' }
  | { kind: 'error'; message: string };

function buildRequest(
  params: Readonly<Record<string, string>>,
  form: Record<TicketField, string>,
): Record<string, unknown> {
  const opt = (v: string | undefined): string | undefined => (v && v.trim() !== '' ? v : undefined);
  return {
    dmaId: params['DMA ID'] ?? '',
    elementId: params['Element ID'] ?? '',
    alarmId: params['Alarm ID'] ?? '',
    elementName: params['Element Name'] ?? '',
    alarmValue: opt(params['Alarm Value']),
    rootTime: opt(params['Root Time']),
    priority: opt(form.priority),
    urgency: opt(form.urgency),
    technicalImpact: opt(form.technicalImpact),
    clientImpact: opt(form.clientImpact),
    description: opt(form.description),
  };
}

/** Errors keyed by field: the first for each of the form's fields, and the messages of the rest. */
function splitErrors(errors: Iterable<readonly [string, string]>): {
  fieldErrors: Partial<Record<TicketField, string>>;
  other: string[];
} {
  const fieldErrors: Partial<Record<TicketField, string>> = {};
  const other: string[] = [];
  for (const [key, message] of errors) {
    if ((TICKET_FIELDS as readonly string[]).includes(key)) {
      fieldErrors[key as TicketField] ??= message;
    } else other.push(message);
  }
  return { fieldErrors, other };
}

function ExistingTicketView({ ticket, onClose }: { ticket: ExistingTicket; onClose: () => void }) {
  return (
    <div className="modal-body">
      <p className="modal-lead">
        {ticket.status === 'Pending'
          ? 'A ticket for this alarm is already pending.'
          : 'This alarm already has a ticket.'}
      </p>
      <dl className="kv">
        <dt>Ticket ID</dt>
        <dd>{ticket.ticketId ?? '—'}</dd>
        <dt>Status</dt>
        <dd>
          <span className={`badge badge-${ticket.status.toLowerCase()}`}>{ticket.status}</span>
        </dd>
        <dt>Found in</dt>
        <dd>{SOURCE_LABEL[ticket.source]}</dd>
      </dl>
      <div className="modal-actions">
        {ticket.ticketUrl ? (
          <button
            type="button"
            className="primary"
            onClick={() => {
              if (ticket.ticketUrl) void openTicket(ticket.ticketUrl);
            }}
          >
            Go To Ticket
          </button>
        ) : null}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

/** The select fields of the form, in order; all but Client Impact are required. */
const SELECT_FIELDS: readonly {
  field: TicketField;
  label: string;
  options: readonly string[];
  optional?: true;
}[] = [
  { field: 'priority', label: 'Priority', options: PRIORITIES },
  { field: 'urgency', label: 'Urgency', options: URGENCIES },
  { field: 'technicalImpact', label: 'Technical Impact', options: TECHNICAL_IMPACTS },
  { field: 'clientImpact', label: 'Client Impact', options: CLIENT_IMPACTS, optional: true },
];

function SelectField({
  field,
  label,
  options,
  required,
  value,
  error,
  onChange,
  autoFocus = false,
}: {
  autoFocus?: boolean;
  field: TicketField;
  label: string;
  options: readonly string[];
  required: boolean;
  value: string;
  error: string | undefined;
  onChange: (field: TicketField, value: string) => void;
}) {
  return (
    <FormField
      label={
        <>
          {label}
          {required ? (
            <span className="required" aria-hidden="true">
              {' '}
              *
            </span>
          ) : null}
        </>
      }
      error={error}
    >
      {(p) => (
        <select
          {...p}
          autoFocus={autoFocus}
          value={value}
          required={required}
          aria-required={required}
          onChange={(e) => onChange(field, e.target.value)}
        >
          <option value="">{required ? 'Choose…' : '— none —'}</option>
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

function TicketForm({ state, onClose }: { state: CreateTicketDialogState; onClose: () => void }) {
  const [form, setForm] = useState<Record<TicketField, string>>(() => ({
    ...ticketDefaults(state.alarmKey),
    clientImpact: '',
    description: '',
  }));
  const [errors, setErrors] = useState<Partial<Record<TicketField, string>>>({});
  const [topError, setTopError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirmStep = useConfirmStep(state.confirm === true);

  const change = (field: TicketField, value: string): void => {
    setForm((f) => ({ ...f, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setTopError(null);
    // The alarm's parameter and severity go with the request, for the detail panes (issue 12).
    const alarm = useAppStore.getState().alarmIndex.get(state.alarmKey)?.alarm;
    const parsed = createTicketRequestSchema.safeParse({
      ...buildRequest(state.params, form),
      ...(alarm ? { parameter: alarm.parameter.slice(0, 200), severity: alarm.severity } : {}),
    });
    if (!parsed.success) {
      const { fieldErrors, other } = splitErrors(
        parsed.error.issues.map((issue) => [String(issue.path[0] ?? ''), issue.message]),
      );
      setErrors(fieldErrors);
      if (other.length > 0) setTopError(`This alarm cannot be ticketed: ${other.join('; ')}`);
      return;
    }
    const request: CreateTicketRequest = parsed.data;
    if (!(await confirmStep.ask(request))) return;
    setBusy(true);
    let result;
    try {
      result = await callMain((api) => api.createTicket(request));
    } finally {
      setBusy(false);
    }
    const s = useAppStore.getState();
    // The operator may have closed this dialog while waiting, and even opened another one:
    // then the outcome goes to a toast, and only this dialog is ever closed.
    const stillOpen = s.dialog === state;
    if (!result.ok && !stillOpen) {
      s.notify({
        level: 'error',
        title: 'Ticket not requested',
        message: `The ticket request for ${request.elementName} was not queued: ${result.error.message}`,
      });
      return;
    }
    if (!result.ok) {
      const { fieldErrors, other } = splitErrors(Object.entries(result.error.fields ?? {}));
      setErrors(fieldErrors);
      if (other.length > 0 || Object.keys(fieldErrors).length === 0) {
        setTopError([result.error.message, ...other].join(' — '));
      }
      return;
    }
    s.markAlarmQueued(state.alarmKey, result.value.instance);
    s.upsertToast(requestedToast(result.value.instance, request.elementName));
    finishTicketDialog(state, result.value.instance);
  };

  return (
    <form className="modal-body" noValidate aria-busy={busy} onSubmit={(e) => void submit(e)}>
      {topError ? (
        <p className="form-error" role="alert">
          <SettingsLead text={topError} />
        </p>
      ) : null}
      <ClosedTicketNote alarmKey={state.alarmKey} />
      <dl className="kv alarm-context" aria-label="Alarm">
        {CONTEXT_PARAMS.map((p) => (
          <div key={p} className="kv-row">
            <dt>{p}</dt>
            <dd>{p === 'Root Time' ? formatTime(state.params[p]) : (state.params[p] ?? '')}</dd>
          </div>
        ))}
        <AlarmParameterAndSeverity alarmKey={state.alarmKey} />
      </dl>
      <div className="form-grid">
        {SELECT_FIELDS.map((f, i) => (
          <SelectField
            key={f.field}
            field={f.field}
            autoFocus={i === 0}
            label={f.label}
            options={f.options}
            required={!f.optional}
            value={form[f.field]}
            error={errors[f.field]}
            onChange={change}
          />
        ))}
      </div>
      <FormField label="Description" error={errors.description}>
        {(p) => (
          <textarea
            {...p}
            rows={4}
            maxLength={4000}
            value={form.description}
            placeholder="Optional: when empty, a summary of the alarm is sent"
            onChange={(e) => change('description', e.target.value)}
          />
        )}
      </FormField>
      <div className="modal-actions">
        <button type="submit" className="primary" disabled={busy}>
          Create Ticket
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
      {confirmStep.view}
    </form>
  );
}

function DialogContent({
  state,
  onClose,
}: {
  state: CreateTicketDialogState;
  onClose: () => void;
}) {
  const [phase, setPhase] = useState<Phase>({ kind: 'checking' });
  useEffect(() => {
    let live = true;
    const [dmaId = '', alarmId = ''] = state.alarmKey.split('/');
    const key = {
      dmaId: state.params['DMA ID'] ?? dmaId,
      alarmId: state.params['Alarm ID'] ?? alarmId,
    };
    void callMain((api) => api.findExistingTicket(key)).then((r) => {
      if (!live) return;
      if (!r.ok) {
        setPhase({
          kind: 'error',
          message: `Could not check whether this alarm already has a ticket. ${r.error.message}`,
        });
      } else if (r.value) setPhase({ kind: 'existing', ticket: r.value });
      else setPhase({ kind: 'form' });
    });
    return () => {
      live = false;
    };
  }, [state]);

  switch (phase.kind) {
    case 'checking':
      return (
        <div className="modal-body" aria-busy="true">
          <p>Checking whether this alarm already has a ticket…</p>
        </div>
      );
    case 'existing':
      return <ExistingTicketView ticket={phase.ticket} onClose={onClose} />;
    case 'error':
      return (
        <div className="modal-body">
          <p className="form-error" role="alert">
            {phase.message}
          </p>
          <div className="modal-actions">
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </div>
      );
    case 'form':
      return <TicketForm state={state} onClose={onClose} />;
  }
}

const focusAlarmGrid = (): HTMLElement | null =>
  document.querySelector<HTMLElement>('[role="grid"][aria-label="Alarms"]');

/** The Create Ticket dialog, open while the ui slice holds one. */
export function CreateTicketDialog() {
  const dialog = useAppStore((s) => s.dialog);
  const close = useAppStore((s) => s.closeDialog);
  const titleId = useId();
  if (!dialog) return null;
  return (
    <ModalDialog
      title="Create Ticket"
      titleId={titleId}
      onClose={close}
      className="create-ticket"
      fallbackFocus={focusAlarmGrid}
    >
      {dialog.outcomeInstance ? (
        <TicketOutcome instance={dialog.outcomeInstance} onClose={close} />
      ) : (
        <DialogContent key={`${dialog.alarmKey}`} state={dialog} onClose={close} />
      )}
    </ModalDialog>
  );
}
