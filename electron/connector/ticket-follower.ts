/**
 * Following tickets in Oceane after creation (oceane-api.md section 7), as pure functions: no
 * I/O and no clock. Given what the console knows of its tickets and a batch of changes (a poll
 * page of 7.1 or an event of 7.5), it says what to store for each ticket (status, status
 * change date and reason, resolution date, notes seen) with the history entries to add, which
 * changes are new (the same change twice changes nothing; an older one never undoes a newer
 * one), the next "since" cursor of the poll, and how long to wait before the next poll while
 * Oceane answers, while it does not, and while events arrive. A driver performs the calls,
 * the store transactions and the timers.
 */
import { OCEANE_TICKET_STATUSES, type OceaneTicketStatus } from '../../shared/domain.js';

/** The ticket statuses of TMF621 v5 (section 7.2), as the simulator knows them too. */
export const OCEANE_STATUSES = OCEANE_TICKET_STATUSES;

/** A status of section 7.2. */
export type { OceaneTicketStatus };

/** The final statuses: nothing changes a ticket in one of them (7.4). */
export const FINAL_OCEANE_STATUSES: ReadonlySet<OceaneTicketStatus> = new Set([
  'closed',
  'cancelled',
  'rejected',
]);

/** True for a status of section 7.2. */
export function isOceaneStatus(value: unknown): value is OceaneTicketStatus {
  return (OCEANE_STATUSES as readonly unknown[]).includes(value);
}

/** A note as Oceane shows it. */
export interface SeenNote {
  id: string;
  author: string | null;
  date: string | null;
  text: string;
}

/** A ticket's state as one change reports it (a poll item, an event, a GET). */
export interface TicketChange {
  ticketId: string;
  status: OceaneTicketStatus;
  statusChangeDate: string | null;
  statusChangeReason: string | null;
  resolutionDate: string | null;
  /** ISO 8601 UTC with milliseconds (normalised when read). */
  lastUpdate: string;
  /** The `<DMA ID>/<Alarm ID>` of each alarm of the ticket (7.6). */
  alarmIds: string[];
  notes: SeenNote[];
}

/** What the console stores of a followed ticket. */
export interface FollowedTicket {
  ticketId: string;
  /** Null until Oceane has said anything after creation. */
  status: OceaneTicketStatus | null;
  statusChangeDate: string | null;
  statusChangeReason: string | null;
  resolutionDate: string | null;
  /** The newest `lastUpdate` applied, or null. */
  lastUpdate: string | null;
  /** Ids of the notes already in the history. */
  noteIds: string[];
}

/** One entry of a ticket's history in the console. */
export type TicketHistoryEntry =
  | {
      kind: 'status';
      ticketId: string;
      at: string;
      from: OceaneTicketStatus | null;
      to: OceaneTicketStatus;
      reason: string | null;
    }
  | {
      kind: 'note';
      ticketId: string;
      at: string;
      noteId: string;
      author: string | null;
      text: string;
    };

/** What to store for one ticket after a batch. */
export interface TicketUpdate {
  ticket: FollowedTicket;
  /** The entries to add to its history, oldest first. */
  history: TicketHistoryEntry[];
  /** The ticket reached a final status in this batch (it need not be followed any more). */
  becameFinal: boolean;
}

/** The outcome of a batch of changes. */
export interface FollowResult {
  /** One per ticket that changed, in the order of their first change. */
  updates: TicketUpdate[];
  /** Changes that changed nothing: repeats, and changes older than what is known. */
  unchanged: number;
  /** Tickets the console does not follow (another console's, or forgotten), once each. */
  notFollowed: string[];
}

/** A ticket the console knows only from its creation. */
export function newFollowedTicket(ticketId: string): FollowedTicket {
  return {
    ticketId,
    status: null,
    statusChangeDate: null,
    statusChangeReason: null,
    resolutionDate: null,
    lastUpdate: null,
    noteIds: [],
  };
}

function instant(iso: string | null): number {
  return iso === null ? Number.NaN : Date.parse(iso);
}

/** The state fields of a ticket or change, as one comparable text. */
function contentKey(state: {
  status: OceaneTicketStatus | null;
  statusChangeDate: string | null;
  statusChangeReason: string | null;
  resolutionDate: string | null;
}): string {
  return JSON.stringify([
    state.status,
    state.statusChangeDate,
    state.statusChangeReason,
    state.resolutionDate,
  ]);
}

/** Applies one change to one ticket; null when it changes nothing. */
function applyOne(
  known: FollowedTicket,
  change: TicketChange,
): { ticket: FollowedTicket; history: TicketHistoryEntry[] } | null {
  const knownAt = instant(known.lastUpdate);
  const changeAt = instant(change.lastUpdate);
  // An older change (a late event, an overlapping poll) never undoes a newer one.
  if (!Number.isNaN(knownAt) && changeAt < knownAt) return null;
  // Two different states with the same lastUpdate: the greater content wins, whatever the
  // order they arrive in, so that repeats and batches of any size end the same.
  const takeFields =
    Number.isNaN(knownAt) || changeAt > knownAt || contentKey(change) > contentKey(known);
  const history: TicketHistoryEntry[] = [];
  if (takeFields && change.status !== known.status) {
    history.push({
      kind: 'status',
      ticketId: known.ticketId,
      at: change.statusChangeDate ?? change.lastUpdate,
      from: known.status,
      to: change.status,
      reason: change.statusChangeReason,
    });
  }
  const seen = new Set(known.noteIds);
  for (const note of change.notes) {
    if (seen.has(note.id)) continue;
    seen.add(note.id);
    history.push({
      kind: 'note',
      ticketId: known.ticketId,
      at: note.date ?? change.lastUpdate,
      noteId: note.id,
      author: note.author,
      text: note.text,
    });
  }
  const fields = takeFields ? change : known;
  const ticket: FollowedTicket = {
    ticketId: known.ticketId,
    status: fields.status,
    statusChangeDate: fields.statusChangeDate,
    statusChangeReason: fields.statusChangeReason,
    resolutionDate: fields.resolutionDate,
    lastUpdate: Number.isNaN(knownAt) || changeAt > knownAt ? change.lastUpdate : known.lastUpdate,
    noteIds: [...seen],
  };
  const same =
    history.length === 0 &&
    ticket.status === known.status &&
    ticket.statusChangeDate === known.statusChangeDate &&
    ticket.statusChangeReason === known.statusChangeReason &&
    ticket.resolutionDate === known.resolutionDate &&
    ticket.lastUpdate === known.lastUpdate;
  return same ? null : { ticket, history };
}

/**
 * Applies a batch of changes, in order, to the known tickets. Applying the same changes again,
 * or the same changes cut into batches of any size (feeding each batch's tickets into the
 * next), gives the same tickets and the same history.
 */
export function applyChanges(
  known: ReadonlyMap<string, FollowedTicket>,
  changes: readonly TicketChange[],
): FollowResult {
  const current = new Map<string, FollowedTicket>();
  const updates = new Map<string, TicketUpdate>();
  const notFollowed = new Set<string>();
  let unchanged = 0;
  for (const change of changes) {
    const before = current.get(change.ticketId) ?? known.get(change.ticketId);
    if (!before) {
      notFollowed.add(change.ticketId);
      continue;
    }
    const applied = applyOne(before, change);
    if (!applied) {
      unchanged += 1;
      continue;
    }
    current.set(change.ticketId, applied.ticket);
    const update = updates.get(change.ticketId);
    const wasFinal = before.status !== null && FINAL_OCEANE_STATUSES.has(before.status);
    const isFinal = FINAL_OCEANE_STATUSES.has(applied.ticket.status as OceaneTicketStatus);
    updates.set(change.ticketId, {
      ticket: applied.ticket,
      history: [...(update?.history ?? []), ...applied.history],
      becameFinal: (update?.becameFinal ?? false) || (!wasFinal && isFinal),
    });
  }
  return { updates: [...updates.values()], unchanged, notFollowed: [...notFollowed] };
}

/**
 * The cursor after a poll: the newest `lastUpdate` seen, never moving back. When the pages of
 * the poll were not consistent (a ticket changed while it was paged through, so another may
 * have been skipped), the cursor stays where it was and the next poll reads those changes
 * again: repeats change nothing, a skipped change is never lost.
 */
export function nextCursor(
  cursor: string | null,
  changes: readonly TicketChange[],
  consistent: boolean,
): string | null {
  if (!consistent) return cursor;
  let newest = instant(cursor);
  for (const change of changes) {
    const at = instant(change.lastUpdate);
    if (Number.isNaN(newest) || at > newest) newest = at;
  }
  return Number.isNaN(newest) ? cursor : new Date(newest).toISOString();
}

/** How far back each poll reaches before the cursor (clocks, equal time stamps). */
export const POLL_OVERLAP_MS = 5_000;

/** The `lastUpdate.gt` of the next poll: the cursor minus the overlap. */
export function pollSince(cursor: string, overlapMs = POLL_OVERLAP_MS): string {
  return new Date(Date.parse(cursor) - overlapMs).toISOString();
}

/** The first cursor: the oldest creation time of the tickets to follow, or null for none. */
export function firstCursor(createdAt: readonly string[]): string | null {
  const times = createdAt.map((t) => Date.parse(t)).filter((t) => !Number.isNaN(t));
  return times.length === 0 ? null : new Date(Math.min(...times)).toISOString();
}

/** The poll interval setting: default 60 s, from 10 s to 1 h. */
export const DEFAULT_POLL_INTERVAL_MS = 60_000;
export const MIN_POLL_INTERVAL_MS = 10_000;
export const MAX_POLL_INTERVAL_MS = 3_600_000;
/** The longest wait between polls while Oceane is unreachable (unless the interval is longer). */
export const MAX_POLL_BACKOFF_MS = 10 * 60_000;
/** While events arrive (7.5), polling goes on this many times slower, as the safety net. */
export const EVENTS_SLOWDOWN = 5;

/** The poll interval from the setting in seconds (absent or out of range: clamped, default). */
export function pollIntervalMs(seconds: number | undefined): number {
  if (seconds === undefined || !Number.isFinite(seconds)) return DEFAULT_POLL_INTERVAL_MS;
  return Math.min(MAX_POLL_INTERVAL_MS, Math.max(MIN_POLL_INTERVAL_MS, Math.round(seconds * 1000)));
}

/** What decides the wait before the next poll. */
export interface PollTiming {
  intervalMs: number;
  /** Polls in a row that got no usable answer (0 after a good poll). */
  failures: number;
  /** A subscription is active and events arrive. */
  eventsActive: boolean;
  /** The server's Retry-After of the last failure, in ms. */
  retryAfterMs: number | null;
}

/**
 * The wait before the next poll: the interval (times EVENTS_SLOWDOWN with events), doubled for
 * each failure in a row up to MAX_POLL_BACKOFF_MS (or the interval, when it is longer), and
 * never shorter than the server's Retry-After.
 */
export function nextPollDelayMs(timing: PollTiming): number {
  const base = timing.intervalMs * (timing.eventsActive ? EVENTS_SLOWDOWN : 1);
  if (timing.failures <= 0) return base;
  const cap = Math.max(MAX_POLL_BACKOFF_MS, timing.intervalMs);
  const backoff = Math.min(cap, timing.intervalMs * 2 ** Math.min(timing.failures, 20));
  return Math.max(backoff, timing.retryAfterMs ?? 0);
}

function duration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  return `${minutes} min`;
}

/** The sentence for the health light while polls fail: what happened and what happens next. */
export function followFailureMessage(failures: number, cause: string, nextDelayMs: number): string {
  const times = failures === 1 ? 'the last poll' : `${failures} polls in a row`;
  return (
    `Oceane could not be asked for ticket changes (${times}: ${cause}). ` +
    `The console keeps the statuses it has and asks again in ${duration(nextDelayMs)}; ` +
    'if this lasts, check the Base URL and the network in Settings → API Settings.'
  );
}
