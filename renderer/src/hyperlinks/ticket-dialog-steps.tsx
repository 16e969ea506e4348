/**
 * The Create Ticket script's options as the dialog honours them (HyperLinks.xml):
 * - without `NoConfirmation` the operator confirms before the ticket is sent
 *   (`useConfirmStep`);
 * - without `CloseWhenFinished` the dialog stays open on the outcome until closed
 *   (`finishTicketDialog`, `TicketOutcome`).
 * Also `SettingsLead`: a refusal that names a setting offers the way to Settings.
 */
import { useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { CreateTicketRequest } from '../../../shared/domain.js';
import { GoToTicketActions } from '../components/ticket-link.js';
import { useAppStore } from '../store/store.js';
import type { CreateTicketDialogState } from '../store/store-types.js';

/** " and N other alarms" for a ticket for several alarms (issue 11), else nothing. */
function othersText(request: CreateTicketRequest): string {
  const n = request.otherAlarms?.length ?? 0;
  return n === 0 ? '' : ` and ${n} other alarm${n === 1 ? '' : 's'}`;
}

/**
 * The confirmation step: `ask(request)` resolves true once the operator confirms, false when
 * they go back to the form; at once true when the hyperlink has `NoConfirmation`. `view` is
 * the panel to render while asking.
 */
export function useConfirmStep(needed: boolean): {
  ask: (request: CreateTicketRequest) => Promise<boolean>;
  view: ReactNode;
} {
  const [asking, setAsking] = useState<CreateTicketRequest | null>(null);
  const answer = useRef<((yes: boolean) => void) | null>(null);
  const settle = (yes: boolean): void => {
    answer.current?.(yes);
    answer.current = null;
    setAsking(null);
  };
  const ask = (request: CreateTicketRequest): Promise<boolean> => {
    if (!needed) return Promise.resolve(true);
    answer.current?.(false); // asked again before answering: the older question is void
    setAsking(request);
    return new Promise((resolve) => {
      answer.current = resolve;
    });
  };
  const view = asking ? (
    <div className="confirm-step" role="alertdialog" aria-label="Confirm the ticket">
      <p>
        Send this ticket to Oceane for {asking.elementName} (alarm {asking.dmaId}/{asking.alarmId})
        {othersText(asking)}, priority {asking.priority}, urgency {asking.urgency}?
      </p>
      <div className="modal-actions">
        <button type="button" className="primary" autoFocus onClick={() => settle(true)}>
          Send Ticket
        </button>
        <button type="button" onClick={() => settle(false)}>
          Back
        </button>
      </div>
    </div>
  ) : null;
  return { ask, view };
}

/**
 * After the request was queued: closes the dialog (`CloseWhenFinished`, and the default of a
 * dialog opened without options), or keeps it open on the request's outcome.
 */
export function finishTicketDialog(state: CreateTicketDialogState, instance: string): void {
  const s = useAppStore.getState();
  if (state.closeWhenFinished !== false) {
    s.closeDialogIfOpen(state);
    return;
  }
  if (s.dialog === state) useAppStore.setState({ dialog: { ...state, outcomeInstance: instance } });
}

/** The outcome of the dialog's request, followed live until the operator closes it. */
export function TicketOutcome({ instance, onClose }: { instance: string; onClose: () => void }) {
  const row = useAppStore((s) => s.recentTickets.get(instance));
  const failure = useAppStore((s) => {
    let latest = null;
    for (const f of s.recentFailed.values()) {
      if (f.ticketInstance === instance && (!latest || f.failedAt > latest.failedAt)) latest = f;
    }
    return latest;
  });
  const status = row?.status ?? 'Pending';
  return (
    <div className="modal-body" aria-live="polite">
      <p className="modal-lead" role="status">
        {status === 'Created'
          ? `Ticket ${row?.ticketId ?? ''} created in Oceane.`
          : status === 'Failed'
            ? `The ticket was not created: ${failure?.errorMessage || 'see Failed Ticket Requests'}.`
            : 'Ticket request queued; waiting for Oceane…'}
      </p>
      <GoToTicketActions
        url={status === 'Created' && row?.ticketUrl ? row.ticketUrl : undefined}
        onClose={onClose}
      />
    </div>
  );
}

/** A refusal's sentence, with an Open Settings button when it sends the operator there. */
export function SettingsLead({ text }: { text: string }) {
  if (!/\bin Settings\b/.test(text)) return <>{text}</>;
  return (
    <>
      {text}{' '}
      <button
        type="button"
        className="link-button"
        onClick={() => {
          const s = useAppStore.getState();
          s.closeDialog();
          s.setView('settings');
        }}
      >
        Open Settings
      </button>
    </>
  );
}
