/**
 * Parts of the Create Ticket dialog: its ticket fields (the select fields and how errors are
 * split between them), and the view of a ticket an alarm already has. Kept apart so that the
 * dialog module holds the flow (check, form, single alarm or selection) only.
 */
import {
  CLIENT_IMPACTS,
  PRIORITIES,
  TECHNICAL_IMPACTS,
  URGENCIES,
  type ExistingTicket,
} from '../../../shared/domain.js';
import { FormField } from '../components/form-field.js';
import { GoToTicketActions } from '../components/ticket-link.js';

export type TicketField =
  'priority' | 'urgency' | 'technicalImpact' | 'clientImpact' | 'description';
export const TICKET_FIELDS: readonly TicketField[] = [
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

/** Errors keyed by field: the first for each of the form's fields, and the messages of the rest. */
export function splitErrors(errors: Iterable<readonly [string, string]>): {
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

export function ExistingTicketView({
  ticket,
  onClose,
}: {
  ticket: ExistingTicket;
  onClose: () => void;
}) {
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
      <GoToTicketActions url={ticket.ticketUrl ?? undefined} onClose={onClose} />
    </div>
  );
}

/** The select fields of the form, in order; all but Client Impact are required. */
export const SELECT_FIELDS: readonly {
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

export function SelectField({
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
