/**
 * The team's sender (issue 14): the driver of the ticket request machine over the team queue.
 * It leases the oldest due request, feeds the machine Oceane's answers and performs its
 * effects: the state saved before a create leaves (refused once the lease is lost, so that a
 * console that lost its request sends nothing more), the create and look-up calls, the
 * settled outcome. A request taken over from a console whose lease ran out first gets the
 * machine's `restarted` event, as after a restart of a single console: one that may have been
 * sent is looked up in Oceane (after its last send plus the time-out), never sent again blind.
 *
 * The lease is renewed while the request is worked on. A console without the Oceane secret
 * (`callConfig` null) takes no lease. A store failure (the database unreachable) ends the turn:
 * the request keeps its saved state and its lease runs out, and whichever console reaches the
 * database next takes it over.
 */
import { randomUUID } from 'node:crypto';
import type { FailedRequestRow, TicketRow } from '../../shared/domain.js';
import type { CallConfig, OceaneClient } from '../connector/oceane-client.js';
import type { Logger } from '../connector/ports.js';
import {
  isSettled,
  readyAt,
  step,
  type RequestEvent,
  type RequestState,
  type StepContext,
} from '../connector/ticket-request-machine.js';
import { pendingRow, type QueueEntry } from '../connector/ticket-rows.js';
import { SendFence } from './team-fence.js';
import type { TeamQueue } from './team-queue.js';

/** What the sender needs besides the queue. */
export interface TeamSenderDeps {
  queue: TeamQueue;
  client: OceaneClient;
  /** The call settings, or null when this console has no Oceane secret (it takes no lease). */
  callConfig: () => CallConfig | null;
  /** The machine's view of now and the settings (StepContext without the base URL pinned). */
  stepContext: () => StepContext;
  /** The ticket's URL (null: the template gives no http(s) address). */
  ticketUrl: (ticketId: string, baseUrl: string) => string | null;
  now: () => number;
  logger: Logger;
  /** Heard once a request of this console settles. */
  onSettled?: (row: TicketRow) => void;
  /** The monotonic clock of the send fence (default performance.now; tests advance it). */
  monotonic?: () => number;
  /** Called between the mark "may have been sent" and the create (tests: a stall). */
  beforeSend?: () => void | Promise<void>;
}

/** Works on the team queue, one request at a time per console. */
export class TeamSender {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /**
   * The local fence (team-fence.ts): a create leaves only while the lease was confirmed less
   * than the lease minus the time-out ago.
   */
  readonly fence: SendFence;

  constructor(private readonly deps: TeamSenderDeps) {
    this.fence = new SendFence(
      deps.queue.leaseMs,
      deps.stepContext().timeoutMs,
      deps.monotonic ?? (() => performance.now()),
    );
  }

  /** Starts the loop: a turn whenever woken (NOTIFY) or every `pollMs`. */
  start(pollMs = 1_000): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run(pollMs);
  }

  /** Wakes the loop (a change was announced). */
  kick(): void {
    this.wake?.();
  }

  /** Stops after the turn in progress. */
  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loop;
  }

  private async run(pollMs: number): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await this.turn();
      } catch (error) {
        this.deps.logger.warn('The team queue could not be read', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
      if (worked || !this.running) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** Leases one request and takes it as far as it goes now; false when none was due. */
  async turn(): Promise<boolean> {
    const config = this.deps.callConfig();
    if (config === null) return false;
    const { fence, queue } = this;
    fence.lost();
    const leasedAt = fence.now();
    const lease = await queue.lease();
    if (!lease) return false;
    fence.confirm(leasedAt);
    let current = true;
    const renewal = setInterval(
      () => {
        const at = fence.now();
        void queue.renew(lease.entry.instance).then(
          // A renewal answered after this turn ended confirms nothing of the next one.
          (held) => current && (held ? fence.confirm(at) : fence.lost()),
          () => undefined,
        );
      },
      Math.max(50, Math.floor(queue.leaseMs / 3)),
    );
    try {
      let state = lease.entry.state;
      if (lease.takenOver) {
        this.deps.logger.info('Ticket request taken over', {
          instance: lease.entry.instance,
          from: lease.previousOwner ?? '',
        });
        state = step(state, { type: 'restarted' }, this.deps.stepContext()).state;
      }
      await this.drive(lease.entry, state, config);
    } finally {
      clearInterval(renewal);
      current = false;
      fence.lost();
    }
    return true;
  }

  private get queue(): TeamQueue {
    return this.deps.queue;
  }

  private async drive(entry: QueueEntry, start: RequestState, config: CallConfig): Promise<void> {
    const { queue, client } = this.deps;
    const { fence } = this;
    let state = start;
    let event: RequestEvent = { type: 'due' };
    for (;;) {
      const { state: next, effects } = step(state, event, this.deps.stepContext());
      let answer: RequestEvent | null = null;
      for (const effect of effects) {
        if (effect.kind === 'persist') {
          // Lost lease: another console works on it now; nothing leaves from here.
          const at = fence.now();
          if (!(await queue.persist({ ...entry, state: next }))) return;
          fence.confirm(at);
        } else if (effect.kind === 'create') {
          await this.deps.beforeSend?.();
          const guard = fence.guard(config.transport);
          const created = await client.createTicket(
            { ...config, baseUrl: effect.baseUrl, transport: guard.transport },
            entry.request,
            entry.instance,
            // A group's other alarms (issue 11): one ticket for all (section 7.6).
            entry.request.otherAlarms ?? [],
          );
          if (guard.refused) {
            // Frozen past the fence: nothing left. The row stays "may have been sent" and
            // leased until its lease runs out; the next holder looks it up first.
            this.deps.logger.warn('Ticket request not sent: the lease was not confirmed in time', {
              instance: entry.instance,
            });
            return;
          }
          answer = created.ok
            ? { type: 'create-succeeded', ticketId: created.ticketId }
            : { type: 'create-failed', failure: created };
        } else if (effect.kind === 'look-up') {
          const found = await client.findTicket(
            { ...config, baseUrl: effect.baseUrl },
            entry.request,
          );
          answer = !found.ok
            ? { type: 'lookup-failed', failure: found }
            : found.ticketId === null
              ? { type: 'lookup-absent' }
              : { type: 'lookup-found', ticketId: found.ticketId };
        } else if (effect.kind === 'settle-created' || effect.kind === 'settle-failed') {
          await this.settle(entry, next);
        }
      }
      state = next;
      if (isSettled(state)) return;
      if (answer === null) {
        // Waits (retry delay, or its last send plus the time-out): free for any console then.
        const at = readyAt(state);
        await queue.release({ ...entry, state }, at === null ? 0 : at - this.deps.now());
        return;
      }
      event = answer;
    }
  }

  private async settle(entry: QueueEntry, state: RequestState): Promise<void> {
    const { queue } = this.deps;
    const base = pendingRow(entry.instance, entry.request, entry.enqueuedAt);
    if (state.phase === 'created' && state.ticketId !== null) {
      const url = this.deps.ticketUrl(state.ticketId, state.baseUrl ?? '');
      const row: TicketRow = {
        ...base,
        status: 'Created',
        ticketId: state.ticketId,
        ticketUrl: url ?? '',
        ...(state.origin === 'found' ? { origin: 'found' as const } : {}),
      };
      await queue.settleCreated(entry, row);
      this.deps.onSettled?.(row);
      return;
    }
    const failure = state.failure;
    if (failure === null) return;
    const row: TicketRow = { ...base, status: 'Failed' };
    const failed: FailedRequestRow = {
      instance: randomUUID(),
      ticketInstance: entry.instance,
      httpErrorCode: failure.error.httpStatus,
      appErrorCode: failure.error.appCode,
      errorMessage: failure.error.message,
      errorDescription: failure.error.description,
      failedAt: new Date(this.deps.now()).toISOString(),
      failedCall: failure.stage === 'lookup' ? 'look-up' : 'create',
      elementName: entry.request.elementName,
      dmaId: entry.request.dmaId,
      alarmId: entry.request.alarmId,
    };
    // Refused when another console holds the request now: its outcome is the one recorded.
    if (await queue.settleFailed(entry, row, failed)) this.deps.onSettled?.(row);
  }
}
