/**
 * The Pending Ticket Creation Queue and its processing lock (the seed's terms). A request is
 * durable (its Pending ticket row and its queue line, in one transaction synced to disk)
 * before the caller hears "Pending". One request at a time holds the lock, in FIFO
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
import { isSettled, readyAt, type StepResult } from './ticket-request-machine.js';
import type { QueueEntry } from './ticket-tables.js';

const HOUR_MS = 60 * 60 * 1000;
/**
 * A request sent at once leaves with the send time taken before its synced write: only when
 * that write took at most this long (otherwise its send time is written again first).
 */
const SEND_SLACK_MS = 100;

/** Resolves after the callbacks already set with setImmediate (the batched events) have run. */
function afterEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The queue, its processing lock and its wake-up timer. */
export class TicketQueue {
  /** Requests whose first durable write has not finished: not yet processable. */
  private readonly notYetDurable = new Set<string>();
  private lockedBy: string | null = null;
  /**
   * Set when a turn ended with no request ready (and the queue not held): the queue's
   * revision then, and when the first waiting request becomes ready. Until either changes, no
   * request is ready, without a pass over the queue (every change of a request's state
   * happens in a turn, or in an enqueue, which starts one).
   */
  private quiet: { revision: number; until: number } | null = null;
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
   * Writes a request (its Pending row and its queue line, one synced transaction) and answers
   * "Pending" once both are on disk. `previousRow`: the row a Retry replaces (a failed write
   * rolls back to it).
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
    // One synced transaction makes the request durable: its Pending row and its queue line
    // together (a power cut keeps both or neither), before the operator hears "Pending". The
    // state on its queue line says "look the alarm up first" even when this run may skip that
    // look-up (the dialog asked Oceane moments ago): the writes that follow are not synced, and
    // if a power cut loses the send written before its create left, the next start looks the
    // alarm up (by then well past the time-out) instead of sending blindly.
    //
    // A request that goes out at once (sendsNow) has its first step taken before the write:
    // its line is stored `sending`, with the send time and the time-out's end, so that the same
    // synced transaction records the send and its create leaves without a second write. A
    // restart that finds it `sending` looks it up once that time-out is over (the machine's
    // `restarted`), as for any create that may have left.
    const sent = this.sendsNow(entry) ? this.attempts.firstStep(entry) : null;
    const stored: QueueEntry = sent
      ? { ...entry, state: sent.state }
      : entry.state.phase === 'new'
        ? { ...entry, state: { ...entry.state, checkFirst: true } }
        : entry;
    try {
      tables.write(
        [
          tables.tickets.change([{ key: instance, value: row, previous: previousRow }]),
          tables.queue.change([{ key: instance, value: stored }]),
        ],
        true,
      );
    } catch (error) {
      this.notYetDurable.delete(instance);
      core.logger.error('Could not save a ticket request', { instance, error: errorText(error) });
      this.checkQuiet();
      return fail(
        'storage',
        `The request could not be saved (${errorText(error)}), so nothing was sent to Oceane. Check the free disk space and the permissions of the data folder, then try again.`,
      );
    }
    this.notYetDurable.delete(instance);
    // The stored send time must not come long before the create leaves (a restart looks the
    // request up at that time plus the time-out): a synced write that took longer than the
    // slack (a disk under load) sends by the machine's own step instead, which writes the send
    // time again before the create leaves.
    const sendsAtOnce =
      sent !== null && core.clock.now() - (sent.state.lastSentAt ?? -Infinity) <= SEND_SLACK_MS;
    // This run goes by what it knows: the state it was given (or its first step, stored).
    if (sendsAtOnce) core.states.set(instance, sent.state);
    else if (stored !== entry) core.states.set(instance, entry.state);
    core.queuedRows.set(instance, row);
    core.logger.info('Ticket request queued', { instance, alarm: key });
    // The store took a write: if the queue was paused by a failed save, try again now.
    core.pause.works();
    core.events.ticketUpserted(row);
    core.events.queueChanged();
    // Retention runs once the request has settled (ticket-attempts.ts), not now: its queries
    // and its delete would delay the create (a pending row is never pruned anyway).
    if (sendsAtOnce) {
      // Its create leaves now, before this returns: the lock is taken in this turn, so no
      // other request and no other step of this one can come between the write and the send.
      this.kickAgain = false;
      this.loop = this.running(this.runLoop({ entry, sent }));
    } else this.kick();
    return ok({ instance, status: 'Pending' });
  }

  /**
   * True when a request just asked for would be sent at once: the queue is started and idle
   * (no turn running, no lock held), nothing holds it (settings, a storage pause), no other
   * request is ready, its first step is a create (not the existing-ticket look-up), and the
   * token is at hand (no wait for Oceane between the write and the send).
   */
  private sendsNow(entry: QueueEntry): boolean {
    const core = this.core;
    const state = entry.state;
    if (state.phase !== 'new' || state.checkFirst || state.nextAt !== null) return false;
    if (!this.started || core.closing || this.loop !== null || this.lockedBy !== null) return false;
    if (!core.tokens.hasUsableToken()) return false;
    const quiet = this.quiet;
    if (
      quiet !== null &&
      quiet.revision === core.tables.queue.revision &&
      core.clock.now() < quiet.until &&
      !this.held()
    )
      return true;
    const { held, entry: ready } = this.nextReady();
    return !held && ready === null;
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
    this.loop = this.running(this.runLoop());
  }

  /** The queue's turn `loop`, logged if it fails, and followed by the next turn if asked. */
  private running(loop: Promise<void>): Promise<void> {
    return loop
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

  /** Takes the ready requests in turn; `first`: a request sent at once, with its first step. */
  private async runLoop(first?: { entry: QueueEntry; sent: StepResult }): Promise<void> {
    let given = first;
    this.quiet = null;
    for (;;) {
      if (this.core.closing) return;
      const next = given ? { ...given, earliest: Infinity, held: false } : this.nextReady();
      const { entry, earliest } = next;
      const sent = given?.sent;
      given = undefined;
      if (!entry) {
        if (!next.held) this.quiet = { revision: this.core.tables.queue.revision, until: earliest };
        this.scheduleWake(earliest);
        return;
      }
      this.lockedBy = entry.instance;
      this.core.events.queueChanged();
      try {
        await this.attempts.attempt(entry, sent);
      } finally {
        this.lockedBy = null;
        this.core.events.queueChanged();
      }
      // The events of this turn (a settled row: the operator waits for it) leave before the
      // next pass over the queue, which a thousand waiting requests make long.
      await afterEvents();
    }
  }

  /**
   * The oldest request that may run now; when there is none, the earliest time one of the
   * queued requests becomes ready (Infinity: none waits for a time). One pass over the queue
   * for both: the queue holds every request that waits (a thousand in the history bench).
   */
  private nextReady(): { entry: QueueEntry | null; earliest: number; held: boolean } {
    const core = this.core;
    const now = core.clock.now();
    const held = this.held();
    let earliest = Infinity;
    for (const entry of core.tables.queue.cachedValues()) {
      const at = readyAt(this.attempts.stateOf(entry));
      if (!held && (at === null || at <= now) && !this.notYetDurable.has(entry.instance))
        return { entry, earliest, held };
      if (at !== null && at < earliest) earliest = at;
    }
    return { entry: null, earliest, held };
  }

  /** Not configured yet, or a save failed (wait, then try again): no request may run. */
  private held(): boolean {
    const core = this.core;
    return typeof core.tokenConfig() === 'string' || core.clock.now() < core.pause.until;
  }

  /** Sets the wake-up timer for `earliest` (nextReady's), the storage pause's end, or an hour. */
  private scheduleWake(earliestReady: number): void {
    const core = this.core;
    if (this.wakeTimer !== null) core.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    if (core.closing || core.tables.queue.size === 0) return;
    let earliest = earliestReady;
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
