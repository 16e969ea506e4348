/**
 * How the toast stack grows, as a pure function. Successes and information fade and only the
 * latest few are kept, so a burst of them never pushes a warning or an error off the screen.
 * Warnings and errors stay until dismissed; when many of one kind pile up (a group), they
 * collapse into one toast that counts them, so the stack stays readable during an outage.
 */
import type { Toast, ToastAction } from './store-types.js';

/** At most this many success or information toasts are shown; the oldest go first. */
export const MAX_PASSING_TOASTS = 2;
/** Warnings or errors of one group shown one by one up to this many, then collapsed. */
export const MAX_GROUP_TOASTS = 3;
/** The group of the connector's "Ticket not created" notices. */
export const TICKET_FAILED_GROUP = 'ticket-failed';

const OPEN_FAILED: ToastAction = { label: 'Open Failed Ticket Requests', view: 'failed' };

/** Success and information toasts fade on their own. */
export function isPassing(toast: Pick<Toast, 'level'>): boolean {
  return toast.level === 'success' || toast.level === 'info';
}

/** The group a warning or error belongs to: its own, or its level and title. */
export function groupOf(toast: Pick<Toast, 'group' | 'level' | 'title'>): string {
  return toast.group ?? `${toast.level}:${toast.title}`;
}

/** The id of the toast that stands for a collapsed group. */
export function summaryId(group: string): string {
  return `summary:${group}`;
}

/** The one toast that stands for `count` toasts of a group, the latest being `latest`. */
function summaryOf(group: string, count: number, latest: Toast): Toast {
  if (group === TICKET_FAILED_GROUP) {
    return {
      id: summaryId(group),
      level: 'error',
      title: `${count} tickets failed`,
      message: `Open Failed Ticket Requests to see why and to retry them. Latest: ${latest.message}`,
      group,
      count,
      action: OPEN_FAILED,
    };
  }
  return {
    ...latest,
    id: summaryId(group),
    title: `${latest.title} (${count} times)`,
    group,
    count,
  };
}

/**
 * The stack after `toast` replaces the toast with its id (or arrives, when none has it): a
 * ticket's one notice goes from requested to created or failed, newest last.
 */
export function upsertToast(toasts: readonly Toast[], toast: Toast): readonly Toast[] {
  return pushToast(
    toasts.filter((t) => t.id !== toast.id),
    toast,
  );
}

/**
 * The stack after `toast` arrives. A toast whose id is already shown is ignored (the same
 * notice delivered twice). The result keeps the order of arrival, newest last.
 */
export function pushToast(toasts: readonly Toast[], toast: Toast): readonly Toast[] {
  if (toasts.some((t) => t.id === toast.id)) return toasts;
  const next = [...toasts, toast];
  if (isPassing(toast)) {
    const passing = next.filter(isPassing);
    const extra = passing.length - MAX_PASSING_TOASTS;
    if (extra <= 0) return next;
    const drop = new Set(passing.slice(0, extra));
    return next.filter((t) => !drop.has(t));
  }
  const group = groupOf(toast);
  const same = next.filter((t) => !isPassing(t) && groupOf(t) === group);
  const collapsed = same.some((t) => t.id === summaryId(group));
  if (!collapsed && same.length <= MAX_GROUP_TOASTS) return next;
  const count = same.reduce((n, t) => n + (t.count ?? 1), 0);
  const members = new Set(same);
  return [...next.filter((t) => !members.has(t)), summaryOf(group, count, toast)];
}
