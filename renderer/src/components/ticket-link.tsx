import type { MouseEvent } from 'react';
import { oceane } from '../api.js';
import { useAppStore } from '../store/store.js';

/**
 * Opens a ticket URL through main (which checks it against the Oceane origin) and tells the
 * operator when main refuses. Never lets the renderer navigate.
 */
export async function openTicket(url: string): Promise<void> {
  const result = await oceane().openTicketUrl(url);
  if (!result.ok) {
    useAppStore.getState().notify({
      level: 'error',
      title: 'Could not open the ticket',
      message: result.error.message,
    });
  }
}

/** A ticket URL shown as a link; activating it asks main to open it in the browser. */
export function TicketLink({ url, label }: { url: string; label?: string }) {
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
      onClick={onClick}
      onAuxClick={(e) => e.preventDefault()}
      title={url}
    >
      {label ?? url}
    </a>
  );
}
