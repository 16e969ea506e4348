/**
 * The ticket's life for the team's tickets (issue 14 with issue 13): following is idempotent,
 * so one console at a time (the holder of the team's life lease, team-life-store.ts) follows
 * every Created ticket of the team: it polls Oceane for the changes since the cursor kept in
 * PostgreSQL (oceane-api.md 7.1), writes statuses and history into the team's tables (every
 * console hears it through NOTIFY), releases the alarm claims of a ticket done in Oceane
 * (resolved, closed, cancelled, rejected: the alarm may get a new ticket, as on a single
 * console), and sends the team's queued notes and status changes (7.3, 7.4) by the single
 * console's rules: on PostgreSQL and marked "may have been sent" before each send, and a change
 * so marked is looked for with a GET of its ticket before it is sent again. A console without
 * the Oceane secret takes no lease. When the holder dies another console takes over once the
 * lease has run out; the lease outlasts one call to Oceane, so a send of the dead holder has
 * ended before the next holder checks it.
 *
 * The holder records its poll problem (or null) in PostgreSQL and announces it, so every
 * console's health light says "Oceane status polls: <problem> (followed by console X)".
 */
import { DONE_OCEANE_STATUSES } from '../../shared/ticket-life.js';
import type { TicketRow } from '../../shared/domain.js';
import type { QueuedChange } from '../connector/life-store.js';
import type { CallConfig } from '../connector/oceane-client.js';
import {
  noteAlreadyAdded,
  statusAlreadySet,
  type OceaneLifecycleClient,
  type TicketCallResult,
} from '../connector/oceane-lifecycle-client.js';
import type { Logger } from '../connector/ports.js';
import { retryDelayMs } from '../connector/retry-policy.js';
import {
  POLL_OVERLAP_MS,
  applyChanges,
  followFailureMessage,
  nextCursor,
  nextPollDelayMs,
  pollSince,
  type TicketUpdate,
} from '../connector/ticket-follower.js';
import type { PostgresStore } from './postgres-store.js';
import { FenceClosed, SendFence } from './team-fence.js';
import { LeaseLost } from './team-life-lease.js';
import { TeamLifeStore } from './team-life-store.js';

/** What the team's ticket life needs. */
export interface TeamLifeDeps {
  store: PostgresStore;
  consoleName: string;
  /** The life lease (ms); made longer than the time-out of a call when shorter. */
  leaseMs: number;
  client: OceaneLifecycleClient;
  /** The call settings, or null without the Oceane secret (no lease is taken). */
  callConfig: () => CallConfig | null;
  /** The poll interval now (ms). */
  pollMs: () => number;
  /** The Ticket Creation Retry Count (a change is retried as a create is). */
  retryCount: () => number;
  /** Releases the claims of a ticket done in Oceane (TeamQueue.releaseClaims). */
  releaseClaims: (ticketId: string) => Promise<number>;
  logger: Logger;
  random?: () => number;
  /** Heard when the team's poll problem sentence changes (null: polls work). */
  onProblem?: (message: string | null) => void;
  /** The call time-out (ms) the send fence keeps below the lease (default: a third of it). */
  timeoutMs?: number;
  /** The monotonic clock of the send fence (default performance.now; tests advance it). */
  monotonic?: () => number;
  /** Called between the mark "may have been sent" and the send of a change (tests: a stall). */
  beforeSend?: () => void | Promise<void>;
}

/** The team's follow-up and change sender, one console at a time. */
export class TeamLife {
  readonly store: TeamLifeStore;
  /**
   * The local fence (team-fence.ts): a note or a status change leaves only while the lease
   * was confirmed less than the lease minus the time-out ago.
   */
  readonly fence: SendFence;
  /** For tests and the logs. */
  readonly counters = {
    polls: 0,
    notesSent: 0,
    statusChangesSent: 0,
    checkedBeforeResend: 0,
    claimsReleased: 0,
  };
  private holding = false;
  private nextPollAt = 0;
  private failures = 0;
  private problem: string | null = null;
  /** What this holder recorded last for the team (undefined: nothing since it took the lease). */
  private published: string | null | undefined = undefined;
  /** The team's poll problem sentence the listeners heard last. */
  private shown: string | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private again = false;
  private pollMs: () => number;
  private readonly problemListeners = new Set<(message: string | null) => void>();

  constructor(private readonly deps: TeamLifeDeps) {
    this.store = new TeamLifeStore(deps.store, deps.consoleName, deps.leaseMs);
    this.fence = new SendFence(
      deps.leaseMs,
      deps.timeoutMs ?? Math.floor(deps.leaseMs / 3),
      deps.monotonic ?? (() => performance.now()),
    );
    this.store.lease.fence = this.fence;
    this.pollMs = deps.pollMs;
    if (deps.onProblem) this.problemListeners.add(deps.onProblem);
  }

  /** Reads the poll interval from `pollMs` from now on (the app's setting). */
  usePollInterval(pollMs: () => number): void {
    this.pollMs = pollMs;
  }

  /** Hears the team's poll problem sentence change (any console); returns the unsubscribe. */
  onPollProblem(listener: (message: string | null) => void): () => void {
    this.problemListeners.add(listener);
    return () => this.problemListeners.delete(listener);
  }

  /** True while this console holds the life lease (as of its last turn). */
  get holdsLease(): boolean {
    return this.holding;
  }

  /** This console's poll problem (null while polls work or another console follows). */
  get pollProblem(): string | null {
    return this.problem;
  }

  /** The team's poll problem sentence, whichever console follows (null: polls work). */
  get teamPollProblem(): string | null {
    return this.shown;
  }

  /** Starts the turns: when woken (NOTIFY, a queued change) and at least every third lease. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Wakes the loop. */
  kick(): void {
    this.again = true;
    this.wake?.();
  }

  /** Stops after the turn in progress and gives the lease up. */
  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loop;
    if (this.holding) {
      this.holding = false;
      await this.store.lease.release().catch(() => undefined);
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.again = false;
      let waitMs = Math.max(50, Math.floor(this.deps.leaseMs / 3));
      try {
        waitMs = Math.min(waitMs, await this.turn());
      } catch (error) {
        if (!(error instanceof LeaseLost)) {
          this.deps.logger.warn('Team ticket life: a turn failed', { error: errorText(error) });
        }
      }
      if (!this.running || this.again) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(10, waitMs));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /**
   * One turn: takes or renews the lease; the holder follows the new Created tickets, polls
   * when due, and sends the changes due. Returns how long to wait before the next turn.
   */
  async turn(): Promise<number> {
    const config = this.deps.callConfig();
    if (config === null || !(await this.store.lease.take())) {
      this.setHolding(false);
      const recorded = await this.store.lease.problem();
      this.show(recorded && teamProblemSentence(recorded.message, recorded.holder));
      return Number.POSITIVE_INFINITY;
    }
    if (!this.holding) {
      this.setHolding(true);
      this.nextPollAt = 0;
      this.published = undefined;
      const swept = await this.store.sweepClaims([...DONE_OCEANE_STATUSES]);
      this.counters.claimsReleased += swept;
    }
    const adopted = await this.store.adopt();
    if (adopted > 0) this.nextPollAt = 0;
    const now = Date.now();
    if (now >= this.nextPollAt) await this.poll(config);
    await this.publishProblem();
    const changeWait = await this.sendChanges(config);
    return Math.min(Math.max(0, this.nextPollAt - Date.now()), changeWait);
  }

  private setHolding(holding: boolean): void {
    if (holding === this.holding) return;
    this.holding = holding;
    this.deps.logger.info(
      holding
        ? 'Team ticket life: this console follows the team tickets'
        : 'Team ticket life: another console follows the team tickets',
      { console: this.deps.consoleName },
    );
    if (!holding) this.setProblem(null);
  }

  private setProblem(message: string | null): void {
    if (message === this.problem) return;
    this.problem = message;
    if (message) this.deps.logger.warn('Team ticket poll failed', { message });
  }

  /** The holder records its poll problem for the team when it changed, and shows it. */
  private async publishProblem(): Promise<void> {
    const problem = this.problem;
    if (this.published !== problem) {
      await this.store.lease.recordProblem(problem);
      this.published = problem;
    }
    this.show(problem && teamProblemSentence(problem, this.deps.consoleName));
  }

  private show(sentence: string | null): void {
    if (sentence === this.shown) return;
    this.shown = sentence;
    for (const listener of this.problemListeners) listener(sentence);
  }

  /** One poll of the changes since the team's cursor (7.1), stored under the lease. */
  private async poll(config: CallConfig): Promise<void> {
    this.counters.polls++;
    const interval = this.pollMs();
    const timing = { intervalMs: interval, eventsActive: false };
    const state = await this.store.pollState();
    if (state.cursor === null) {
      this.nextPollAt = Date.now() + interval;
      return;
    }
    const answer = await this.deps.client.changesSince(
      config,
      pollSince(state.cursor, POLL_OVERLAP_MS),
    );
    if (!answer.ok) {
      this.failures++;
      const delay = nextPollDelayMs({
        ...timing,
        failures: this.failures,
        retryAfterMs: answer.retryAfterMs,
      });
      this.nextPollAt = Date.now() + delay;
      const cause = answer.error.description
        ? `${answer.error.message}: ${answer.error.description}`
        : answer.error.message;
      this.setProblem(followFailureMessage(this.failures, cause.slice(0, 300), delay));
      return;
    }
    this.failures = 0;
    const known = await this.store.known(answer.changes.map((c) => c.ticketId));
    const result = applyChanges(known, answer.changes);
    const cursor = nextCursor(state.cursor, answer.changes, answer.consistent);
    await this.store.applyUpdates(result.updates, { cursor, failures: 0 });
    await this.releaseDone(result.updates);
    this.setProblem(null);
    this.nextPollAt =
      Date.now() +
      (answer.complete ? nextPollDelayMs({ ...timing, failures: 0, retryAfterMs: null }) : 0);
  }

  /** Releases the alarm claims of the tickets now done in Oceane. */
  private async releaseDone(updates: readonly TicketUpdate[]): Promise<void> {
    for (const update of updates) {
      const status = update.ticket.status;
      if (status === null || !DONE_OCEANE_STATUSES.has(status)) continue;
      const released = await this.deps.releaseClaims(update.ticket.ticketId);
      this.counters.claimsReleased += released;
      if (released > 0) {
        this.deps.logger.info('Team ticket life: claims released', {
          ticketId: update.ticket.ticketId,
          status,
        });
      }
    }
  }

  /** Sends the due changes, oldest first; returns the wait until the next one is due. */
  private async sendChanges(config: CallConfig): Promise<number> {
    for (;;) {
      if (!this.running && this.loop !== null) return Number.POSITIVE_INFINITY;
      const now = Date.now();
      const waiting = (await this.store.changes()).filter((c) => !c.state.failed);
      const ready = waiting.find((c) => c.state.nextAt <= now);
      if (!ready) {
        const next = Math.min(...waiting.map((c) => c.state.nextAt));
        return Number.isFinite(next) ? Math.max(0, next - now) : Number.POSITIVE_INFINITY;
      }
      await this.process(ready, config);
    }
  }

  private async process(change: QueuedChange, config: CallConfig): Promise<void> {
    const client = this.deps.client;
    if (change.state.maybeSent) {
      // The answer of an earlier send was lost (or its sender died): is it already in Oceane?
      this.counters.checkedBeforeResend++;
      const current = await client.getTicket(config, change.ticketId);
      if (!current.ok) {
        await this.failed(change, current);
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
    // Marked under the lease before the send: LeaseLost here means nothing leaves.
    await this.store.saveChange({ ...change, state: { ...change.state, maybeSent: true } });
    await this.deps.beforeSend?.();
    const guard = this.fence.guard(config.transport);
    const guarded = { ...config, transport: guard.transport };
    const answer =
      change.kind === 'note'
        ? await client.addNote(guarded, change.ticketId, change.note)
        : await client.changeStatus(guarded, change.ticketId, change.change, change.id);
    // Frozen past the fence: nothing left. The change stays "may have been sent" (checked
    // with a GET by whichever console sends it next); this turn ends.
    if (guard.refused) throw new FenceClosed();
    if (change.kind === 'note') this.counters.notesSent++;
    else this.counters.statusChangesSent++;
    if (!answer.ok) {
      const maybeSent = answer.maybeSent || answer.error.httpStatus === null;
      await this.failed({ ...change, state: { ...change.state, maybeSent } }, answer);
      return;
    }
    await this.settle(change, answer);
  }

  private async settle(
    change: QueuedChange,
    answer: Extract<TicketCallResult, { ok: true }>,
  ): Promise<TicketRow[]> {
    const known = await this.store.known([change.ticketId]);
    const result = applyChanges(known, [answer.ticket]);
    const rows = await this.store.settleChange(change.id, result.updates);
    await this.releaseDone(result.updates);
    this.deps.logger.info('Team ticket change sent', { id: change.id, kind: change.kind });
    return rows;
  }

  private async failed(
    change: QueuedChange,
    answer: Extract<TicketCallResult, { ok: false }>,
  ): Promise<void> {
    const attempts = change.state.attempts + 1;
    const message = answer.error.description
      ? `${answer.error.message}: ${answer.error.description}`
      : answer.error.message;
    const giveUp = !answer.retryable || attempts > this.deps.retryCount();
    const random = this.deps.random ?? Math.random;
    const state = {
      ...change.state,
      attempts,
      lastError: message.slice(0, 500),
      failed: giveUp,
      nextAt: Date.now() + retryDelayMs(attempts + 1, random, answer.retryAfterMs),
    };
    await this.store.saveChange({ ...change, state });
    if (giveUp) {
      this.deps.logger.warn('Team ticket change failed', {
        id: change.id,
        error: message.slice(0, 300),
      });
    }
  }
}

/** The health light's sentence of the team's poll problem. */
export function teamProblemSentence(message: string, holder: string): string {
  return `Oceane status polls: ${message} (followed by console ${holder})`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
