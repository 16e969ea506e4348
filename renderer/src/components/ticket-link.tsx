import type { MouseEvent } from 'react';
import { callMain } from '../api.js';
import { useAppStore } from '../store/store.js';

/**
 * Opens a ticket URL through main (which checks it against the Oceane origin) and tells the
 * operator when it cannot, whether main refuses or the call itself fails. Never rejects, and
 * never lets the renderer navigate.
 */
export async function openTicket(url: string): Promise<void> {
  const result = await callMain((api) => api.openTicketUrl(url));
  if (result.ok) return;
  // An address main refused (not on Oceane's origin) is not one to suggest opening by hand.
  const browserFailed = result.error.code !== 'refused';
  const end = /[.!?]$/.test(result.error.message) ? '' : '.';
  useAppStore.getState().notify({
    level: 'error',
    title: 'Could not open the ticket',
    message: browserFailed
      ? `${result.error.message}${end} You can copy the ticket's address into a browser: ${url}`
      : result.error.message,
  });
}

/**
 * A ticket URL shown as a link; activating it asks main to open it in the browser. Inside the
 * alarm grid it takes `tabIndex={-1}`: the grid is one Tab stop and its context menu offers
 * Go To Ticket.
 */
export function TicketLink({
  url,
  label,
  tabIndex,
}: {
  url: string;
  label?: string;
  tabIndex?: number;
}) {
  if (!url) return null;
  const onClick = (e: MouseEvent<HTMLAnchorElement>): void => {
    e.preventDefault();
    e.stopPropagation();
    void openTicket(url);
  };
  return (
    <a
      className="ticket-link"
      href={url}
      tabIndex={tabIndex}
      onClick={onClick}
      onAuxClick={(e) => e.preventDefault()}
      title={url}
    >
      {label ?? url}
    </a>
  );
}

/** A ticket dialog's last buttons: Go To Ticket (when there is an address to open), Close. */
export function GoToTicketActions({ url, onClose }: { url?: string; onClose: () => void }) {
  return (
    <div className="modal-actions">
      {url ? (
        <button type="button" className="primary" onClick={() => void openTicket(url)}>
          Go To Ticket
        </button>
      ) : null}
      <button type="button" onClick={onClose}>
        Close
      </button>
    </div>
  );
}
