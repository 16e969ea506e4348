/**
 * One notice per ticket (issue 12): the toast of a ticket request has the id of its request,
 * so "requested", then "created" or "not created" replace each other instead of stacking. A
 * failure's toast leads to its row in Failed Ticket Requests. Texts never carry markup.
 */
import type { Notice } from '../../../shared/domain.js';
import { withoutMarkup } from '../../../shared/plain-text.js';
import type { Toast } from './store-types.js';
import { TICKET_FAILED_GROUP } from './toast-stack.js';

/** The id of the toast of a ticket request. */
export function ticketToastId(instance: string): string {
  return `ticket:${instance}`;
}

/** The toast of a request just queued (by the Create Ticket dialog or Retry). */
export function requestedToast(instance: string, elementName: string): Toast {
  return {
    id: ticketToastId(instance),
    level: 'info',
    title: 'Ticket requested',
    message: `Ticket request queued for ${elementName}`,
  };
}

/** The toast of a notice; a ticket's notice takes the place of that ticket's toast. */
export function toastOfNotice(notice: Notice): Toast {
  const message = withoutMarkup(notice.message);
  const instance = notice.ticketInstance;
  if (instance === undefined) {
    return { id: notice.id, level: notice.level, title: notice.title, message };
  }
  const failed = notice.level === 'error';
  return {
    id: ticketToastId(instance),
    level: notice.level,
    title: notice.title,
    message,
    ...(failed
      ? {
          group: TICKET_FAILED_GROUP,
          action: {
            label: 'Show in Failed Ticket Requests',
            view: 'failed',
            failedTicket: instance,
          },
        }
      : {}),
  };
}
