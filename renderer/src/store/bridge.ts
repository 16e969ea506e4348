/**
 * Connects the store to main: module-level subscriptions to every event channel, then the
 * initial loads. Events that arrive before a table's initial list are kept and applied after
 * it (upserts by key are idempotent), so nothing is missed between subscribing and loading.
 * Alarm batches are coalesced to at most one update per animation frame. The UI never polls.
 */
import type { AlarmsChanged, FailedRequestRow, Notice, TicketRow } from '../../../shared/domain.js';
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

function applyRows<T>(
  current: ReadonlyMap<string, T>,
  change: { upserted: readonly T[]; removed: readonly string[] },
  keyOf: (row: T) => string,
): Map<string, T> {
  const next = new Map(current);
  for (const key of change.removed) next.delete(key);
  for (const row of change.upserted) next.set(keyOf(row), row);
  return next;
}

let ticketEventsBeforeList: { upserted: TicketRow[]; removed: string[] }[] | null = [];
let failedEventsBeforeList: { upserted: FailedRequestRow[]; removed: string[] }[] | null = [];

function applyTickets(change: { upserted: TicketRow[]; removed: string[] }): void {
  const tickets = applyRows(getState().tickets, change, (t) => t.instance);
  // The flags follow the batch only (not the whole table): see AlarmTicketFlags.
  const flags = getState().ticketFlags;
  if (flags.apply(change)) setState({ tickets, ticketFlagsVersion: flags.version });
  else setState({ tickets });
}

function applyFailed(change: { upserted: FailedRequestRow[]; removed: string[] }): void {
  setState({ failed: applyRows(getState().failed, change, (f) => f.instance) });
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
  api.on('failed:changed', (change) => {
    if (failedEventsBeforeList) failedEventsBeforeList.push(change);
    else applyFailed(change);
  });
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
  void callMain((a) => a.listTickets()).then((r) => {
    const early = ticketEventsBeforeList ?? [];
    ticketEventsBeforeList = null;
    if (!reportLoadFailure('the tickets', r)) {
      const tickets = new Map(r.value.map((t) => [t.instance, t]));
      const flags = getState().ticketFlags;
      flags.replaceAll(r.value);
      setState({ tickets, ticketFlagsVersion: flags.version });
    }
    for (const c of early) applyTickets(c);
    setState({ ticketsLoaded: true });
  });
  void callMain((a) => a.listFailedRequests()).then((r) => {
    const early = failedEventsBeforeList ?? [];
    failedEventsBeforeList = null;
    if (!reportLoadFailure('the failed ticket requests', r)) {
      setState({ failed: new Map(r.value.map((f) => [f.instance, f])) });
    }
    for (const c of early) applyFailed(c);
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
