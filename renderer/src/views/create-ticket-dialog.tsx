/**
 * The Create Ticket dialog. It first asks main whether the alarm already has a ticket (or one
 * pending) and then shows that ticket instead of the form; otherwise the alarm's context,
 * read-only, and the ticket fields, checked here with the same schema main uses.
 */
import { ClosedTicketNote } from './ticket-life-panels.js';
import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { CreateTicketRequest, ExistingTicket } from '../../../shared/domain.js';
import { createTicketRequestSchema } from '../../../shared/schemas.js';
import { callMain } from '../api.js';
import { FormField } from '../components/form-field.js';
import { ModalDialog } from '../components/modal-dialog.js';
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
import { GroupMemberList, useGroupCheck } from './group-ticket-members.js';
import { groupRequest, type GroupMember } from './group-ticket-request.js';
import {
  ExistingTicketView,
  SELECT_FIELDS,
  SelectField,
  splitErrors,
  type TicketField,
} from './ticket-form-parts.js';

/** The hyperlink parameters the dialog shows, in order. */
const CONTEXT_PARAMS = [
  'DMA ID',
  'Element ID',
  'Alarm ID',
  'Element Name',
  'Alarm Value',
  'Root Time',
] as const;

type Phase =
  | { kind: 'checking' }
  | { kind: 'existing'; ticket: ExistingTicket }
  | { kind: 'form' }
  | { kind: 'error'; message: string };

const opt = (v: string | undefined): string | undefined => (v && v.trim() !== '' ? v : undefined);

/** The form's ticket fields, empty ones left out. */
function formFields(form: Record<TicketField, string>): Record<TicketField, string | undefined> {
  return {
    priority: opt(form.priority),
    urgency: opt(form.urgency),
    technicalImpact: opt(form.technicalImpact),
    clientImpact: opt(form.clientImpact),
    description: opt(form.description),
  };
}

function buildRequest(
  params: Readonly<Record<string, string>>,
  form: Record<TicketField, string>,
): Record<string, unknown> {
  return {
    dmaId: params['DMA ID'] ?? '',
    elementId: params['Element ID'] ?? '',
    alarmId: params['Alarm ID'] ?? '',
    elementName: params['Element Name'] ?? '',
    alarmValue: opt(params['Alarm Value']),
    rootTime: opt(params['Root Time']),
    ...formFields(form),
  };
}

/** The request the form sends: for the dialog's alarm, or one for the group's alarms. */
function requestOf(
  state: CreateTicketDialogState,
  form: Record<TicketField, string>,
  members: readonly GroupMember[] | undefined,
): { request: Record<string, unknown>; keys: string[] } | { error: string } {
  if (members) {
    const built = groupRequest(members, formFields(form));
    if ('error' in built) return built;
    return { request: built.request, keys: built.included.map((m) => m.key) };
  }
  // The alarm's parameter and severity go with the request, for the detail panes (issue 12).
  const alarm = useAppStore.getState().alarmIndex.get(state.alarmKey)?.alarm;
  return {
    request: {
      ...buildRequest(state.params, form),
      ...(alarm ? { parameter: alarm.parameter.slice(0, 200), severity: alarm.severity } : {}),
    },
    keys: [state.alarmKey],
  };
}

function TicketForm({
  state,
  onClose,
  group,
}: {
  state: CreateTicketDialogState;
  onClose: () => void;
  /** The alarms of a selection's dialog, with the operator's choices (issue 11). */
  group?: { members: GroupMember[]; onInclude: (key: string, included: boolean) => void };
}) {
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
    const built = requestOf(state, form, group?.members);
    if ('error' in built) {
      setTopError(built.error);
      return;
    }
    const parsed = createTicketRequestSchema.safeParse(built.request);
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
    for (const key of built.keys) s.markAlarmQueued(key, result.value.instance);
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
      {group ? (
        <GroupMemberList members={group.members} onInclude={group.onInclude} />
      ) : (
        <dl className="kv alarm-context" aria-label="Alarm">
          {CONTEXT_PARAMS.map((p) => (
            <div key={p} className="kv-row">
              <dt>{p}</dt>
              <dd>{p === 'Root Time' ? formatTime(state.params[p]) : (state.params[p] ?? '')}</dd>
            </div>
          ))}
          <AlarmParameterAndSeverity alarmKey={state.alarmKey} />
        </dl>
      )}
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
    if (state.groupKeys && state.groupKeys.length > 1) return;
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

  if (state.groupKeys && state.groupKeys.length > 1) {
    return <GroupDialogContent state={state} onClose={onClose} />;
  }
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
      return <DialogError message={phase.message} onClose={onClose} />;
    case 'form':
      return <TicketForm state={state} onClose={onClose} />;
  }
}

/** A check that could not be made: its sentence, and Close. */
function DialogError({ message, onClose }: { message: string; onClose: () => void }) {
  return (
    <div className="modal-body">
      <p className="form-error" role="alert">
        {message}
      </p>
      <div className="modal-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

/** The dialog for a selection: every alarm checked at once, then the form with the list. */
function GroupDialogContent({
  state,
  onClose,
}: {
  state: CreateTicketDialogState;
  onClose: () => void;
}) {
  const check = useGroupCheck(state.groupKeys ?? []);
  if (check.kind === 'checking') {
    return (
      <div className="modal-body" aria-busy="true">
        <p>Checking whether the selected alarms already have tickets…</p>
      </div>
    );
  }
  if (check.kind === 'error') {
    return <DialogError message={check.message} onClose={onClose} />;
  }
  return (
    <TicketForm
      state={state}
      onClose={onClose}
      group={{ members: check.members, onInclude: check.include }}
    />
  );
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
