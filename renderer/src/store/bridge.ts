/**
 * Connects the store to main: module-level subscriptions to every event channel, then the
 * initial loads. The store never holds a whole ticket table (the views fetch windows): it
 * keeps the rows that changed lately, the alarm flags (from the Pending and Failed rows) and
 * the failed-request count. Ticket events that arrive before the flags' initial load are kept
 * and applied after it (upserts by key are idempotent), so nothing is missed.
 * Alarm batches are coalesced to at most one update per animation frame. The UI never polls.
 */
import type { AlarmsChanged, FailedRequestRow, Notice, TicketRow } from '../../../shared/domain.js';
import {
  TABLE_PAGE_MAX_ROWS,
  firstFailedPage,
  firstTicketPage,
  type TicketPageQuery,
} from '../../../shared/table-page.js';
import { callMain, oceane, type CallResult } from '../api.js';
import { HeldUpdates, isHolding } from '../alarms/held-updates.js';
import { useAppStore } from './store.js';
import { toastOfNotice } from './ticket-notices.js';

const { setState, getState } = useAppStore;

let pendingAlarmBatches: AlarmsChanged[] = [];
/** Live batches wait here while the operator works in the console (rows hold still). */
export const heldAlarmUpdates = new HeldUpdates(getState, setState);
useAppStore.subscribe((s, prev) => {
  if (isHolding(prev) && !isHolding(s)) heldAlarmUpdates.release();
});
let alarmsFlushScheduled = false;
let alarmsListed = false;

function flushAlarms(): void {
  alarmsFlushScheduled = false;
  if (!alarmsListed || pendingAlarmBatches.length === 0) return;
  const batches = pendingAlarmBatches;
  pendingAlarmBatches = [];
  heldAlarmUpdates.deliver(batches);
}

function scheduleAlarmFlush(): void {
  if (alarmsFlushScheduled) return;
  alarmsFlushScheduled = true;
  // A hidden window gets no animation frames: the timer makes sure batches still land.
  requestAnimationFrame(flushAlarms);
  setTimeout(() => {
    if (alarmsFlushScheduled) flushAlarms();
  }, 250);
}

/** Builds the cached sort orders while the main thread is idle, one column per callback. */
function warmSortOrders(): void {
  const step = (): void => {
    if (getState().alarmIndex.warmOne()) schedule();
  };
  const schedule = (): void => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(step, { timeout: 2000 });
    else setTimeout(step, 50);
  };
  schedule();
}

/** How many changed rows of each table the store keeps (the Create Ticket dialog's outcome). */
export const RECENT_ROWS = 500;

/** `current` with the batch applied, the rows changed last at the end, at most `cap` rows. */
export function applyRecent<T>(
  current: ReadonlyMap<string, T>,
  change: { upserted: readonly T[]; removed: readonly string[] },
  keyOf: (row: T) => string,
  cap = RECENT_ROWS,
): Map<string, T> {
  const next = new Map(current);
  for (const key of change.removed) next.delete(key);
  for (const row of change.upserted) {
    next.delete(keyOf(row));
    next.set(keyOf(row), row);
  }
  for (const key of next.keys()) {
    if (next.size <= cap) break;
    next.delete(key);
  }
  return next;
}

let ticketEventsBeforeList: { upserted: TicketRow[]; removed: string[] }[] | null = [];

function applyTickets(change: { upserted: TicketRow[]; removed: string[] }): void {
  const recentTickets = applyRecent(getState().recentTickets, change, (t) => t.instance);
  // The flags follow the batch only (not the whole table): see AlarmTicketFlags.
  const flags = getState().ticketFlags;
  if (flags.apply(change)) setState({ recentTickets, ticketFlagsVersion: flags.version });
  else setState({ recentTickets });
}

let failedTotalTimer: ReturnType<typeof setTimeout> | null = null;

/** Asks main how many failed requests there are (coalesced: once per quarter second). */
function refreshFailedTotal(): void {
  if (failedTotalTimer !== null) return;
  failedTotalTimer = setTimeout(() => {
    failedTotalTimer = null;
    void callMain((a) => a.tablePage(firstFailedPage(1))).then((r) => {
      if (r.ok) setState({ failedTotal: r.value.total });
    });
  }, 250);
}

function applyFailed(change: { upserted: FailedRequestRow[]; removed: string[] }): void {
  setState({ recentFailed: applyRecent(getState().recentFailed, change, (f) => f.instance) });
  refreshFailedTotal();
}

/**
 * The Pending and Failed ticket rows, page by page: all the alarm console's flags need
 * (a Created row only clears a flag, and the alarm then has its ticket ID).
 */
async function loadOpenTickets(): Promise<CallResult<TicketRow[]>> {
  const rows: TicketRow[] = [];
  const query = {
    ...firstTicketPage(TABLE_PAGE_MAX_ROWS),
    sort: { column: 'createdAt', direction: 'asc' },
    statuses: ['Pending', 'Failed'],
  } satisfies TicketPageQuery;
  for (let offset = 0; ; offset += TABLE_PAGE_MAX_ROWS) {
    const r = await callMain((a) => a.tablePage({ ...query, offset }));
    if (!r.ok) return r;
    rows.push(...r.value.rows);
    if (offset + TABLE_PAGE_MAX_ROWS >= r.value.total) return { ok: true, value: rows };
  }
}

function showNotice(notice: Notice): void {
  const toast = toastOfNotice(notice);
  // A ticket's notice replaces that ticket's toast; others are shown once each.
  if (notice.ticketInstance !== undefined) getState().upsertToast(toast);
  else getState().notify(toast);
}

function reportLoadFailure<T>(
  what: string,
  result: CallResult<T>,
): result is CallResult<T> & { ok: false } {
  if (result.ok) return false;
  getState().notify({
    level: 'error',
    title: `Could not load ${what}`,
    message: result.error.message,
  });
  return true;
}

let started = false;

/** Subscribes to every event channel and loads the initial data. Call once, at start-up. */
export function startBridge(): void {
  if (started) return;
  started = true;
  const api = oceane();

  api.on('alarms:changed', (batch) => {
    pendingAlarmBatches.push(batch);
    scheduleAlarmFlush();
  });
  api.on('tickets:changed', (change) => {
    if (ticketEventsBeforeList) ticketEventsBeforeList.push(change);
    else applyTickets(change);
  });
  api.on('failed:changed', applyFailed);
  api.on('queue:changed', (queue) => setState({ queue }));
  api.on('settings:changed', (settings) => setState({ settings }));
  api.on('notice', showNotice);
  api.on('health:changed', (health) => setState({ health }));

  void callMain((a) => a.getAppInfo()).then((r) => {
    if (reportLoadFailure('the app information', r)) return;
    setState({ appInfo: r.value });
    for (const n of r.value.notices) showNotice(n);
  });
  void callMain((a) => a.getSettings()).then((r) => {
    if (reportLoadFailure('the settings', r)) return;
    setState({ settings: r.value });
  });
  void callMain((a) => a.getHealth()).then((r) => {
    if (r.ok) setState((s) => ({ health: s.health ?? r.value }));
  });
  void callMain((a) => a.getQueueStatus()).then((r) => {
    if (reportLoadFailure('the ticket queue', r)) return;
    setState({ queue: r.value });
  });
  void loadOpenTickets().then((r) => {
    const early = ticketEventsBeforeList ?? [];
    ticketEventsBeforeList = null;
    if (!reportLoadFailure('the tickets', r)) {
      const flags = getState().ticketFlags;
      flags.replaceAll(r.value);
      setState({ ticketFlagsVersion: flags.version });
    }
    for (const c of early) applyTickets(c);
    setState({ ticketsLoaded: true });
  });
  void callMain((a) => a.tablePage(firstFailedPage(1))).then((r) => {
    if (!reportLoadFailure('the failed ticket requests', r)) {
      setState((s) => ({ failedTotal: failedTotalTimer === null ? r.value.total : s.failedTotal }));
    }
    setState({ failedLoaded: true });
  });
  void callMain((a) => a.listAlarms()).then((r) => {
    const index = getState().alarmIndex;
    if (!reportLoadFailure('the alarms', r)) index.replaceAll(r.value);
    alarmsListed = true;
    setState({ alarmsLoaded: true, alarmsVersion: index.version });
    flushAlarms();
    warmSortOrders();
  });
}
