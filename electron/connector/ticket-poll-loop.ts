/**
 * The driver of the ticket follow-up's polls (oceane-api.md 7.1, issue 13): a timer set from
 * the "Ticket status poll interval" setting runs one poll (ticket-poll.ts) at a time, stores
 * what it found and the cursor in one transaction (life-store.ts), and sets the next timer:
 * the interval, slower while events arrive, longer and longer while Oceane cannot be asked,
 * at once while pages remain. Whoever listens hears the problem sentence for the health light.
 */
import type { TicketRow } from '../../shared/domain.js';
import { errorText } from './connector-notices.js';
import type { ConnectorCore } from './connector-core.js';
import type { OceaneLifecycleClient } from './oceane-lifecycle-client.js';
import { pollIntervalMs } from './ticket-follower.js';
import { pollOnce } from './ticket-poll.js';

/** What the loop tells its owner. */
export interface PollLoopHooks {
  /** Tickets rows whose Oceane status changed, once stored. */
  applied(rows: TicketRow[]): Promise<void>;
  /** The sentence for the health light while polls fail; null once a poll works again. */
  problem(message: string | null): void;
}

/** Runs the polls. */
export class TicketPollLoop {
  /** A subscription is active (7.5): polling goes on, slower. */
  eventsActive = false;
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private lastProblem: string | null = null;

  constructor(
    private readonly core: ConnectorCore,
    private readonly client: OceaneLifecycleClient,
    private readonly hooks: PollLoopHooks,
  ) {}

  /** The interval of the setting, in ms. */
  intervalMs(): number {
    return pollIntervalMs(this.core.settings.element.ticketStatusPollSeconds);
  }

  /** Starts polling: the first poll soon after the start. */
  start(firstDelayMs = 1000): void {
    this.stopped = false;
    this.schedule(firstDelayMs);
  }

  /** Sets the next poll `ms` from now (replacing the one set). */
  schedule(ms: number): void {
    if (this.stopped || this.core.closing) return;
    if (this.timer !== null) this.core.clock.clearTimeout(this.timer);
    this.timer = this.core.clock.setTimeout(() => {
      this.timer = null;
      this.core.track(this.pollNow());
    }, ms);
  }

  /** Runs one poll now (or waits for the one running), then sets the next. */
  pollNow(): Promise<void> {
    this.running ??= this.poll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async poll(): Promise<void> {
    const core = this.core;
    if (core.closing) return;
    const life = core.tables.life;
    if (typeof core.tokenConfig() === 'string') {
      // Not configured yet: nothing to ask; the settings change kicks the next poll.
      this.schedule(this.intervalMs());
      return;
    }
    const outcome = await pollOnce(this.client, {
      config: core.callConfig(),
      known: life.knownTickets(),
      state: life.pollState(),
      intervalMs: this.intervalMs(),
      eventsActive: this.eventsActive,
    });
    if (core.closed) return;
    let rows: TicketRow[] = [];
    try {
      rows = life.applyUpdates(outcome.result.updates, outcome.state);
    } catch (error) {
      core.logger.warn('Could not save the ticket changes', { error: errorText(error) });
      this.schedule(this.intervalMs());
      return;
    }
    for (const skipped of outcome.skipped) {
      core.logger.warn('A ticket of the changes could not be read', { ...skipped });
    }
    if (outcome.problem !== this.lastProblem) {
      this.lastProblem = outcome.problem;
      if (outcome.problem) core.logger.warn('Ticket poll failed', { message: outcome.problem });
      this.hooks.problem(outcome.problem);
    }
    if (rows.length > 0) await this.hooks.applied(rows);
    this.schedule(outcome.delayMs);
  }

  /** Stops the timer and waits for the poll running. */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) this.core.clock.clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
