/**
 * The durable queue of notes (oceane-api.md 7.3) and status changes (7.4), exactly once, as
 * for creates (issue 13 point 6). A change is on disk before anyone is told it is queued; it
 * is marked "may have been sent" on disk before each send; a change so marked is first
 * checked with a GET of its ticket (a note by its id, a status by the ticket's current
 * status) and sent again only when the GET shows it missing. Failures are retried by the
 * create queue's rules (retry-policy.ts, the Ticket Creation Retry Count); a refusal (400,
 * a ticket already final) is not retried. One change at a time, oldest first.
 */
import type { TicketRow } from '../../shared/domain.js';
import type { ConnectorCore } from './connector-core.js';
import { errorText } from './connector-notices.js';
import type { QueuedChange } from './life-store.js';
import {
  noteAlreadyAdded,
  statusAlreadySet,
  type OceaneLifecycleClient,
  type TicketCallResult,
} from './oceane-lifecycle-client.js';
import { retryDelayMs } from './retry-policy.js';
import { applyChanges } from './ticket-follower.js';

/** What the queue tells its owner. */
export interface ChangeQueueHooks {
  /** Tickets rows whose Oceane status changed with an answer, once stored. */
  applied(rows: TicketRow[]): Promise<void>;
}

function describeChange(change: QueuedChange): string {
  return change.kind === 'note'
    ? `The note on ticket ${change.ticketId}`
    : `The change of ticket ${change.ticketId} to ${change.change.status}`;
}

/** Sends the queued changes. */
export class TicketChangeQueue {
  private running: Promise<void> | null = null;
  private timer: unknown = null;
  private again = false;
  /** Counters for tests and the crash test. */
  readonly counters = { notesSent: 0, statusChangesSent: 0, checkedBeforeResend: 0 };

  constructor(
    private readonly core: ConnectorCore,
    private readonly client: OceaneLifecycleClient,
    private readonly hooks: ChangeQueueHooks,
  ) {}

  /** Queues changes durably (with `alsoDo` in the same transaction), then sends them. */
  enqueue(changes: QueuedChange[], alsoDo?: () => void): void {
    this.core.tables.life.enqueueChanges(changes, alsoDo);
    this.kick();
  }

  /** Runs the queue now (or once more after the run in progress). */
  kick(): void {
    if (this.core.closing) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
    this.core.track(this.running);
  }

  /** Resolves once nothing is running (changes may still wait for their retry time). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    const core = this.core;
    for (;;) {
      if (core.closing || typeof core.tokenConfig() === 'string') return;
      const now = core.clock.now();
      const waiting = core.tables.life.changes().filter((c) => !c.state.failed);
      const ready = waiting.find((c) => c.state.nextAt <= now);
      if (!ready) {
        const next = Math.min(...waiting.map((c) => c.state.nextAt));
        if (Number.isFinite(next)) this.wake(next - now);
        return;
      }
      try {
        await this.process(ready);
      } catch (error) {
        // The store refused a write: the change stays as it is on disk, tried again later.
        core.logger.warn('A ticket change could not be saved', { error: errorText(error) });
        this.wake(this.intervalAfterStoreFailure());
        return;
      }
    }
  }

  private intervalAfterStoreFailure(): number {
    return 5_000;
  }

  private wake(ms: number): void {
    if (this.timer !== null) this.core.clock.clearTimeout(this.timer);
    this.timer = this.core.clock.setTimeout(
      () => {
        this.timer = null;
        this.kick();
      },
      Math.max(0, ms),
    );
  }

  private async process(change: QueuedChange): Promise<void> {
    const core = this.core;
    const config = core.callConfig();
    if (change.state.maybeSent) {
      // The answer of an earlier send was lost: is the change already in Oceane?
      this.counters.checkedBeforeResend++;
      const current = await this.client.getTicket(config, change.ticketId);
      if (core.closed) return;
      if (!current.ok) {
        this.failed(change, current);
        return;
      }
      const done =
        change.kind === 'note'
          ? noteAlreadyAdded(current.ticket, change.id)
          : statusAlreadySet(current.ticket, change.change.status);
      if (done) {
        await this.settle(change, current);
        return;
      }
    }
    // On disk before the send: a crash during the call makes the next start check first.
    core.tables.life.saveChange({ ...change, state: { ...change.state, maybeSent: true } });
    const answer =
      change.kind === 'note'
        ? await this.client.addNote(config, change.ticketId, change.note)
        : await this.client.changeStatus(config, change.ticketId, change.change, change.id);
    if (core.closed) return;
    if (change.kind === 'note') this.counters.notesSent++;
    else this.counters.statusChangesSent++;
    if (!answer.ok) {
      // A refusal with an answer means "not done"; no answer may mean "done".
      const maybeSent = answer.maybeSent || answer.error.httpStatus === null;
      this.failed({ ...change, state: { ...change.state, maybeSent } }, answer);
      return;
    }
    await this.settle(change, answer);
  }

  /** Removes the change and stores the ticket as Oceane answered it, in one transaction. */
  private async settle(
    change: QueuedChange,
    answer: Extract<TicketCallResult, { ok: true }>,
  ): Promise<void> {
    const life = this.core.tables.life;
    const result = applyChanges(life.knownTickets(), [answer.ticket]);
    const rows = life.settleChange(change.id, result.updates);
    this.core.logger.info('Ticket change sent', { id: change.id, kind: change.kind });
    if (rows.length > 0) await this.hooks.applied(rows);
  }

  private failed(change: QueuedChange, answer: Extract<TicketCallResult, { ok: false }>): void {
    const core = this.core;
    const attempts = change.state.attempts + 1;
    const retries = core.settings.element.ticketCreationRetryCount;
    const message = answer.error.description
      ? `${answer.error.message}: ${answer.error.description}`
      : answer.error.message;
    const giveUp = !answer.retryable || attempts > retries;
    const state = {
      ...change.state,
      attempts,
      lastError: message.slice(0, 500),
      failed: giveUp,
      nextAt: core.clock.now() + retryDelayMs(attempts + 1, core.random, answer.retryAfterMs),
    };
    core.tables.life.saveChange({ ...change, state });
    if (!giveUp) return;
    core.logger.warn('Ticket change failed', { id: change.id, error: message.slice(0, 300) });
    core.notices.emit(
      'error',
      change.kind === 'note' ? 'Note not added' : 'Ticket status not changed',
      `${describeChange(change)} could not be sent to Oceane (${message.slice(0, 300)}). ` +
        'Check the ticket in Oceane; add the note again from the console if it is still needed.',
    );
  }

  /** Stops the timer and waits for the change in flight. */
  async close(): Promise<void> {
    if (this.timer !== null) this.core.clock.clearTimeout(this.timer);
    this.timer = null;
    await this.settled();
  }
}
