/**
 * The Pending Ticket Creation Queue and its processing lock (the seed's terms). A request is
 * durable (its Pending ticket row is fsync'd; a queue line lost in a crash is re-derived from
 * that row) before the caller hears "Pending". One request at a time holds the lock, in FIFO
 * order; a request that waits (its retry delay, or its last send plus the time-out before a
 * look-up) releases it, so later requests (other alarms: an alarm has at most one queued
 * request) proceed meanwhile, and it goes first again once its wait is over.
 */
import {
  alarmKeyString,
  type CreateTicketOutcome,
  type QueueEntryView,
  type QueueStatus,
  type TicketRow,
} from '../../shared/domain.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { ConnectorCore } from './connector-core.js';
import { errorText, shortError } from './connector-notices.js';
import type { TicketAttempts } from './ticket-attempts.js';
import { isSettled, readyAt } from './ticket-request-machine.js';
import type { QueueEntry } from './ticket-tables.js';

const HOUR_MS = 60 * 60 * 1000;

/** The queue, its processing lock and its wake-up timer. */
export class TicketQueue {
  /** Requests whose first durable write has not finished: not yet processable. */
  private readonly notYetDurable = new Set<string>();
  private lockedBy: string | null = null;
  private loop: Promise<void> | null = null;
  private kickAgain = false;
  private started = false;
  private wakeTimer: unknown = null;
  private quietWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly core: ConnectorCore,
    private readonly attempts: TicketAttempts,
  ) {}

  /** Starts processing (when the connector was opened with autoStart false). */
  start(): void {
    if (this.started || this.core.closing) return;
    this.started = true;
    this.kick();
  }

  /**
   * Writes a request (its Pending row, durably, and its queue line) and answers "Pending" once
   * both are on disk. `previousRow`: the row a Retry replaces, restored if the write fails.
   */
  async enqueue(
    row: TicketRow,
    entry: QueueEntry,
    previousRow: TicketRow | undefined,
  ): Promise<Result<CreateTicketOutcome>> {
    const key = alarmKeyString(entry.request);
    const instance = entry.instance;
    // A new request (or a Retry) supersedes whatever this run remembered of an older one.
    this.attempts.forget(instance);
    // The alarm is reserved by the row written below, synchronously (no await before it),
    // so that a concurrent request for it is refused.
    this.notYetDurable.add(instance);
    let answer = (): void => undefined;
    this.attempts.enqueueAnswered.set(instance, new Promise<void>((resolve) => (answer = resolve)));
    try {
      return await this.write(row, entry, key, previousRow);
    } finally {
      this.attempts.enqueueAnswered.delete(instance);
      answer();
    }
  }

  private async write(
    row: TicketRow,
    entry: QueueEntry,
    key: string,
    previousRow: TicketRow | undefined,
  ): Promise<Result<CreateTicketOutcome>> {
    const core = this.core;
    const { tables } = core;
    const instance = entry.instance;
    // The request may be processed once its row and queue line are written (handed to the
    // OS, so they survive a crash of the app), while the row's fsync is still running: the
    // fsync then overlaps the call to Oceane instead of preceding it (issue 6, target 1).
    // The operator still hears "Pending" only after the fsync.
    let rowWritten = false;
    let queueWritten = false;
    let released = false;
    const release = (): void => {
      if (!rowWritten || !queueWritten || released) return;
      released = true;
      this.notYetDurable.delete(instance);
      queueMicrotask(() => this.kick());
    };
    // One fsync per request (issue 6, targets 1 and 4): the Pending row is the durable record
    // of the request; if its queue line is lost in a crash, reconcile() queues the Pending row
    // again (as possibly sent, so it is looked up before any create).
    const [rowWrite, queueWrite] = await Promise.allSettled([
      tables.tickets.commit([{ key: instance, value: row }], {
        onWritten: () => {
          rowWritten = true;
          release();
        },
      }),
      tables.queue.commit([{ key: instance, value: entry }], { durable: false }).then(() => {
        queueWritten = true;
        release();
      }),
    ]);
    this.notYetDurable.delete(instance);
    if (rowWrite.status === 'rejected' && released) {
      // Written but not fsync'd: the request is already on its way, so it is not undone.
      const reason = errorText(rowWrite.reason);
      core.logger.error('A ticket request could not be confirmed on disk', { instance, reason });
      return fail(
        'storage',
        `The request could not be confirmed on disk (${reason}); it is being sent to Oceane anyway. Check the free disk space and the data folder.`,
      );
    }
    if (rowWrite.status === 'rejected' || queueWrite.status === 'rejected') {
      const reason: unknown =
        rowWrite.status === 'rejected'
          ? rowWrite.reason
          : (queueWrite as PromiseRejectedResult).reason;
      // Undo the half that was written, so that nothing is sent later either.
      const undo: Promise<void>[] = [];
      if (rowWrite.status === 'fulfilled') {
        undo.push(
          tables.tickets.commit([
            previousRow ? { key: instance, value: previousRow } : { key: instance, delete: true },
          ]),
        );
      }
      if (queueWrite.status === 'fulfilled')
        undo.push(tables.queue.commit([{ key: instance, delete: true }]));
      await Promise.allSettled(undo);
      core.logger.error('Could not save a ticket request', { instance, error: errorText(reason) });
      this.checkQuiet();
      return fail(
        'storage',
        `The request could not be saved (${errorText(reason)}), so nothing was sent to Oceane. Check the free disk space and the permissions of the data folder, then try again.`,
      );
    }
    core.logger.info('Ticket request queued', { instance, alarm: key });
    // Both journals took a write: if the queue was paused by a failed save, try again now.
    core.pause.works();
    core.events.ticketUpserted(tables.tickets.get(instance) ?? row);
    core.events.queueChanged();
    if (previousRow === undefined) core.track(core.prune(false));
    this.kick();
    return ok({ instance, status: 'Pending' });
  }

  /** The processing lock and the pending queue (the Debug page). */
  status(): QueueStatus {
    const pending: QueueEntryView[] = [];
    const pausedUntil = this.core.pause.until;
    for (const entry of this.core.tables.queue.values()) {
      const state = this.attempts.stateOf(entry);
      const at = isSettled(state) ? pausedUntil || null : readyAt(state);
      pending.push({
        instance: entry.instance,
        dmaId: entry.request.dmaId,
        alarmId: entry.request.alarmId,
        elementName: entry.request.elementName,
        enqueuedAt: entry.enqueuedAt,
        attempts: state.createAttempts + state.lookupFailures,
        nextAttemptAt: at === null ? null : new Date(at).toISOString(),
        lastError: state.lastError === null ? null : shortError(state.lastError),
      });
    }
    return { locked: this.lockedBy !== null, lockedBy: this.lockedBy, pending };
  }

  /** Processes the queue now (or once the running turn ends). */
  kick(): void {
    if (!this.started || this.core.closing) return;
    if (this.loop) {
      this.kickAgain = true;
      return;
    }
    this.kickAgain = false;
    this.loop = this.runLoop()
      .catch((error: unknown) => {
        this.core.logger.error('The ticket queue stopped on an unexpected error', {
          error: errorText(error),
        });
      })
      .finally(() => {
        this.loop = null;
        if (this.kickAgain) this.kick();
        else this.checkQuiet();
      });
  }

  private async runLoop(): Promise<void> {
    for (;;) {
      if (this.core.closing) return;
      const entry = this.nextReady();
      if (!entry) {
        this.scheduleWake();
        return;
      }
      this.lockedBy = entry.instance;
      this.core.events.queueChanged();
      try {
        await this.attempts.attempt(entry);
      } finally {
        this.lockedBy = null;
        this.core.events.queueChanged();
      }
    }
  }

  /** The oldest request that may run now, or null. */
  private nextReady(): QueueEntry | null {
    const core = this.core;
    if (typeof core.tokenConfig() === 'string') return null; // waits until configured
    const now = core.clock.now();
    if (now < core.pause.until) return null; // a save failed: wait, then try again
    for (const entry of core.tables.queue.values()) {
      if (this.notYetDurable.has(entry.instance)) continue;
      const at = readyAt(this.attempts.stateOf(entry));
      if (at === null || at <= now) return entry;
    }
    return null;
  }

  private scheduleWake(): void {
    const core = this.core;
    if (this.wakeTimer !== null) core.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    if (core.closing || core.tables.queue.size === 0) return;
    let earliest = Infinity;
    for (const entry of core.tables.queue.values()) {
      const at = readyAt(this.attempts.stateOf(entry));
      if (at !== null && at < earliest) earliest = at;
    }
    if (core.pause.until > core.clock.now()) earliest = Math.min(earliest, core.pause.until);
    if (earliest === Infinity) return;
    earliest = Math.max(earliest, core.pause.until);
    // Long waits (a Retry-After of hours) wake up hourly to look again: timers stay small.
    earliest = Math.min(earliest, core.clock.now() + HOUR_MS);
    this.wakeTimer = core.clock.setTimeout(
      () => {
        this.wakeTimer = null;
        this.kick();
      },
      Math.max(0, earliest - core.clock.now()),
    );
  }

  private isQuiet(): boolean {
    return this.loop === null && this.notYetDurable.size === 0;
  }

  private isIdle(): boolean {
    return this.isQuiet() && this.core.tables.queue.size === 0;
  }

  /** Wakes the callers of whenQuiet and whenIdle whose condition holds. */
  checkQuiet(): void {
    const closing = this.core.closing;
    if (!this.isQuiet() && !closing) return;
    const waiters = this.quietWaiters;
    this.quietWaiters = [];
    for (const resolve of waiters) resolve();
    if (!this.isIdle() && !closing) return;
    const idle = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of idle) resolve();
  }

  /** Resolves when nothing is being processed and no request is ready to run. */
  whenQuiet(): Promise<void> {
    if (this.isQuiet()) return Promise.resolve();
    return new Promise((resolve) => this.quietWaiters.push(resolve));
  }

  /** True when the queue is empty and nothing is in flight, or the connector closes. */
  idleOrClosing(): boolean {
    return this.isIdle() || this.core.closing;
  }

  /** Resolves when the queue is empty and nothing is in flight, or the connector closes. */
  async whenIdleOnce(): Promise<void> {
    if (this.idleOrClosing()) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops the wake-up timer and waits up to `waitMs` for the running turn. */
  async stop(waitMs: number): Promise<void> {
    if (this.wakeTimer !== null) this.core.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    const loop = this.loop;
    if (!loop) return;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    await Promise.race([loop, waited]);
    clearTimeout(timer);
  }

  /** Resolves when the running turn (if any) has ended. */
  async settled(): Promise<void> {
    if (this.loop) await this.loop;
    this.checkQuiet();
  }
}
