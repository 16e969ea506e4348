/**
 * What the operator sees of a ticket's life after creation (issue 13): its history in the
 * Tickets detail pane (Oceane's status changes and notes, the console's own on their way), the
 * "Add note to ticket…" dialog (opened from the alarm's menu and from the Tickets view), and
 * the Oceane status of an alarm's ticket in the console, flagged when the ticket was resolved
 * or closed while the alarm is still active (Create Ticket then makes a new ticket).
 */
import { useEffect, useId, useState } from 'react';
import { create } from 'zustand';
import { PROPERTY_TICKET_ID, PROPERTY_TICKET_STATUS, type Alarm } from '../../../shared/domain.js';
import {
  DONE_OCEANE_STATUSES,
  MAX_NOTE_LENGTH,
  type TicketHistory,
} from '../../../shared/ticket-life.js';
import { callMain } from '../api.js';
import { ModalDialog } from '../components/modal-dialog.js';
import { TextEntryForm, type TextEntryOutcome } from '../components/text-entry-form.js';
import { tableTimeZone } from '../components/time-zone-choice.js';
import { formatTime } from '../format.js';
import { useAppStore } from '../store/store.js';

/** The ticket the note dialog is open for, if any. */
export const useNoteDialog = create<{
  target: { ticketId: string; what: string } | null;
  open: (ticketId: string, what: string) => void;
  close: () => void;
}>((set) => ({
  target: null,
  open: (ticketId, what) => set({ target: { ticketId, what } }),
  close: () => set({ target: null }),
}));

/** The Oceane status of an alarm's ticket, from its "Oceane Ticket Status" property. */
export function alarmTicketStatus(alarm: Alarm): string {
  return alarm.properties[PROPERTY_TICKET_STATUS] ?? '';
}

/** True when the alarm is active and its ticket is resolved or closed in Oceane. */
export function ticketDoneWhileActive(alarm: Alarm): boolean {
  return !alarm.state?.clearedAt && DONE_OCEANE_STATUSES.has(alarmTicketStatus(alarm));
}

/** The status beside the ticket ID in the alarm console, flagged when done while active. */
export function AlarmTicketStatusBadge({ alarm }: { alarm: Alarm }) {
  const status = alarmTicketStatus(alarm);
  if (!status) return null;
  if (ticketDoneWhileActive(alarm)) {
    return (
      <span
        className="badge badge-failed"
        title={`The ticket is ${status} in Oceane while this alarm is still active: Create Ticket makes a new ticket`}
      >
        {status}
      </span>
    );
  }
  return <span className="badge">{status}</span>;
}

/**
 * In the Create Ticket form of an alarm whose ticket is resolved or closed in Oceane: that
 * ticket, and that the request makes a new one.
 */
export function ClosedTicketNote({ alarmKey }: { alarmKey: string }) {
  const alarm = useAppStore((s) => s.alarmIndex.get(alarmKey)?.alarm);
  if (!alarm || !ticketDoneWhileActive(alarm)) return null;
  const ticketId = alarm.properties[PROPERTY_TICKET_ID] ?? '';
  return (
    <p className="modal-lead" role="note">
      Ticket {ticketId} of this alarm is {alarmTicketStatus(alarm)} in Oceane while the alarm is
      still active. This request creates a new ticket.
    </p>
  );
}

/** "Add note to ticket…" as a menu item of an alarm that has a ticket. */
export function AddNoteMenuItem({ ticketId, what }: { ticketId: string; what: string }) {
  const open = useNoteDialog((s) => s.open);
  const closeMenu = useAppStore((s) => s.closeMenu);
  return (
    <button
      type="button"
      role="menuitem"
      tabIndex={-1}
      className="menu-item"
      onClick={() => {
        closeMenu();
        open(ticketId, what);
      }}
    >
      Add note to ticket…
    </button>
  );
}

function NoteForm({
  ticketId,
  what,
  onClose,
}: {
  ticketId: string;
  what: string;
  onClose: () => void;
}) {
  const notify = useAppStore((s) => s.notify);
  const send = async (text: string): Promise<TextEntryOutcome> => {
    const result = await callMain((api) => api.addTicketNote({ ticketId, text }));
    if (!result.ok) return { close: false, error: result.error.message };
    notify({
      level: 'success',
      title: 'Note queued',
      message: `The note goes to ticket ${ticketId} now (it is saved, and sent again if Oceane does not answer).`,
    });
    return { close: true };
  };
  return (
    <TextEntryForm
      lead={`A note on ticket ${ticketId} (${what}), signed with the User ID of the API settings.`}
      label="Note"
      maxLength={MAX_NOTE_LENGTH}
      submitLabel="Add Note"
      emptyError="Write the note first"
      send={send}
      onClose={onClose}
    />
  );
}

/** The note dialog, open while `useNoteDialog` names a ticket. */
export function AddNoteDialog() {
  const target = useNoteDialog((s) => s.target);
  const close = useNoteDialog((s) => s.close);
  const titleId = useId();
  if (!target) return null;
  return (
    <ModalDialog title="Add note to ticket" titleId={titleId} onClose={close}>
      <NoteForm ticketId={target.ticketId} what={target.what} onClose={close} />
    </ModalDialog>
  );
}

const time = (iso: string): string => (iso ? formatTime(iso, tableTimeZone()) : '—');
const STATE_LABELS = { done: '', queued: ' · on its way', failed: ' · not sent' } as const;

/**
 * The history of a ticket, read again whenever `version` changes (the row's last change in
 * Oceane, or a note queued here), with "Add note…".
 */
export function TicketHistoryPanel({
  ticketId,
  what,
  version,
}: {
  ticketId: string;
  what: string;
  version: string;
}) {
  const [history, setHistory] = useState<TicketHistory | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const noteOpen = useNoteDialog((s) => s.target !== null);
  const open = useNoteDialog((s) => s.open);
  useEffect(() => {
    let live = true;
    void callMain((api) => api.getTicketHistory(ticketId)).then((r) => {
      if (!live) return;
      if (r.ok) {
        setHistory(r.value);
        setProblem(null);
      } else setProblem(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [ticketId, version, noteOpen]);
  return (
    <section aria-label="Ticket history">
      <h2>History in Oceane</h2>
      {problem ? <p className="menu-note">{problem}</p> : null}
      {history && history.entries.length === 0 ? (
        <p className="menu-note">Nothing yet: the status shows after the next poll.</p>
      ) : null}
      <ol className="attempt-list" aria-label="History">
        {history?.entries.map((e, i) => (
          <li key={`${e.kind}-${e.at}-${i}`}>
            <span className="attempt-meta">
              {time(e.at)}
              {e.kind === 'note' ? ` · Note${e.author ? ` by ${e.author}` : ''}` : ' · Status'}
              {STATE_LABELS[e.state]}
            </span>
            <span>
              {e.kind === 'note'
                ? e.text
                : `${e.from ?? 'new'} → ${e.to}${e.reason ? ` (${e.reason})` : ''}`}
            </span>
          </li>
        ))}
      </ol>
      <button type="button" className="small" onClick={() => open(ticketId, what)}>
        Add note…
      </button>
    </section>
  );
}
