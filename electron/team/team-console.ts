/**
 * One console of a team (issue 14): its services on the team's PostgreSQL, without Electron.
 * It connects (again and again, with backoff, while the database cannot be reached), takes
 * operators' requests into the team queue (refused with a sentence when the alarm is already
 * claimed, or when the database cannot be reached: nothing is accepted that could be lost),
 * works on the queue with the other consoles (TeamSender), follows the team's tickets in
 * Oceane and sends their notes and status changes while it holds the team's life lease
 * (TeamLife), and hears the others' changes through LISTEN/NOTIFY (`onChange`). The team-run
 * harness runs three of these in child processes.
 */
import { randomUUID } from 'node:crypto';
import {
  type CreateTicketOutcome,
  type CreateTicketRequest,
  type TicketRow,
} from '../../shared/domain.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { OceaneClient } from '../connector/oceane-client.js';
import type { RetentionLimits } from '../connector/retention.js';
import { silentLogger, systemClock, type Logger } from '../connector/ports.js';
import { newRequestState } from '../connector/ticket-request-machine.js';
import { pendingRow, type QueueEntry } from '../connector/ticket-rows.js';
import { buildTicketUrl } from '../connector/ticket-url.js';
import { TokenClient } from '../connector/token-client.js';
import { PostgresStore, type PostgresConfig } from './postgres-store.js';
import { TEAM_CHANNEL, TeamQueue } from './team-queue.js';
import { claimKeys, claimedSentence } from './team-claims.js';
import { TeamRetention } from './team-retention.js';
import { TeamSender } from './team-sender.js';
import { OceaneLifecycleClient } from '../connector/oceane-lifecycle-client.js';
import { TeamLife } from './team-life.js';

/** Oceane's API settings of the console (the secret absent: it takes no lease). */
export interface TeamOceaneSettings {
  baseUrl: string;
  clientId: string;
  clientSecret?: string;
  userId: string;
  ticketUrlTemplate: string;
}

/** How a team console is set up. */
export interface TeamConsoleOptions {
  postgres: PostgresConfig;
  /** Where the database is, for the operator's sentences (host:port, no password). */
  where: string;
  consoleName: string;
  oceane: TeamOceaneSettings;
  timeoutMs: number;
  leaseMs: number;
  createRetryCount: number;
  /** Jitter source of the backoff (default Math.random). */
  random?: () => number;
  logger?: Logger;
  /** Heard for every change NOTIFY reports (the table that changed). */
  onChange?: (what: string) => void;
  /** Heard when the database becomes reachable or unreachable (with pg's error when known). */
  onHealth?: (reachable: boolean, error?: unknown) => void;
  /** Ends the wait of `open` while the database cannot be reached (the app closes). */
  signal?: AbortSignal;
  /** Heard once a request this console worked on is settled (Created or Failed). */
  onSettled?: (row: TicketRow) => void;
  /** The storage limits read at each pass (none: this console prunes nothing). */
  retention?: () => RetentionLimits;
  /** The ticket status poll interval (ms) of the team's ticket life (default 60 s). */
  lifePollMs?: () => number;
  /** Tests of the send fence (team-fence.ts): its clock, and a stall before each send. */
  fenceTest?: { monotonic?: () => number; beforeSend?: () => void | Promise<void> };
}

/**
 * Connects with backoff (0.25 s doubling to 5 s) until the database answers, or until `signal`
 * is aborted (then it rejects with the signal's reason).
 */
export async function connectWithBackoff(
  config: PostgresConfig,
  onFailure: (error: unknown) => void = () => undefined,
  signal?: AbortSignal,
): Promise<PostgresStore> {
  let delay = 250;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const store = await PostgresStore.connect(config);
      if (signal?.aborted) await store.close();
      signal?.throwIfAborted();
      return store;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      onFailure(error);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, delay);
        function done(): void {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        }
        signal?.addEventListener('abort', done);
      });
      delay = Math.min(delay * 2, 5_000);
    }
  }
}

/** One console of the team. */
export class TeamConsole {
  readonly queue: TeamQueue;
  readonly sender: TeamSender;
  /** Retention of the team's tables by this console (null: none asked). */
  readonly retention: TeamRetention | null;
  /** The team's ticket life (issue 13 in team mode): followed by one console at a time. */
  readonly life: TeamLife;
  private reachable = true;

  private constructor(
    readonly store: PostgresStore,
    private readonly options: TeamConsoleOptions,
  ) {
    const logger = options.logger ?? silentLogger;
    // Both leases outlast one call to Oceane twice: a send leaves only while its lease was
    // confirmed less than the lease minus the time-out ago (the send fence, team-fence.ts).
    const leaseMs = Math.max(options.leaseMs, options.timeoutMs * 2);
    this.queue = new TeamQueue(store, options.consoleName, leaseMs);
    this.retention = options.retention ? new TeamRetention(store, options.retention, logger) : null;
    const api = options.oceane;
    const tokens = new TokenClient({
      config: () =>
        api.clientSecret
          ? {
              baseUrl: api.baseUrl,
              clientId: api.clientId,
              clientSecret: api.clientSecret,
              timeoutMs: options.timeoutMs,
            }
          : 'Oceane is not configured: set the Client Secret in Settings',
      clock: systemClock,
      logger,
    });
    const random = options.random ?? Math.random;
    const client = new OceaneClient(tokens, systemClock);
    const callConfig = () =>
      api.clientSecret
        ? { baseUrl: api.baseUrl, userId: api.userId, timeoutMs: options.timeoutMs }
        : null;
    this.life = new TeamLife({
      store,
      consoleName: options.consoleName,
      leaseMs,
      timeoutMs: options.timeoutMs,
      client: new OceaneLifecycleClient(client),
      callConfig,
      pollMs: options.lifePollMs ?? (() => 60_000),
      retryCount: () => options.createRetryCount,
      releaseClaims: (ticketId) => this.queue.releaseClaims(ticketId),
      logger,
      random,
      ...options.fenceTest,
    });
    this.sender = new TeamSender({
      queue: this.queue,
      client,
      callConfig,
      stepContext: () => ({
        now: Date.now(),
        baseUrl: api.baseUrl,
        timeoutMs: options.timeoutMs,
        createRetryCount: options.createRetryCount,
        jitter: random(),
      }),
      ticketUrl: (id, baseUrl) => buildTicketUrl(api.ticketUrlTemplate, baseUrl || api.baseUrl, id),
      now: () => Date.now(),
      logger,
      onSettled: (row) => {
        options.onSettled?.(row);
        this.retention?.soon();
      },
      ...options.fenceTest,
    });
  }

  /** Connects (waiting, with backoff, while the database is unreachable) and starts working. */
  static async open(options: TeamConsoleOptions): Promise<TeamConsole> {
    const store = await connectWithBackoff(
      options.postgres,
      (error) => options.onHealth?.(false, error),
      options.signal,
    );
    const team = new TeamConsole(store, options);
    store.listen(
      TEAM_CHANNEL,
      (what) => {
        team.sender.kick();
        team.life.kick();
        options.onChange?.(what);
      },
      (up) => team.health(up),
    );
    team.sender.start(500);
    team.retention?.start();
    team.life.start();
    return team;
  }

  private health(reachable: boolean, error?: unknown): void {
    if (reachable === this.reachable) return;
    this.reachable = reachable;
    this.options.onHealth?.(reachable, error);
  }

  /** True while the database answers (the health light). */
  get databaseReachable(): boolean {
    return this.reachable;
  }

  /**
   * Queues a ticket request for the team. `duplicate` when another request or ticket holds the
   * alarm (with who asked and when); `storage` when the database cannot be reached.
   */
  async createTicket(request: CreateTicketRequest): Promise<Result<CreateTicketOutcome>> {
    const instance = randomUUID();
    const enqueuedAt = new Date().toISOString();
    const entry: QueueEntry = { instance, request, enqueuedAt, state: newRequestState(true) };
    const row = pendingRow(instance, request, enqueuedAt);
    // Every alarm of a group (issue 11) claimed with it, in one transaction.
    const keys = claimKeys(row);
    const twice = keys.find((key, i) => keys.indexOf(key) !== i);
    if (twice !== undefined) {
      return fail('duplicate', `Alarm ${twice} is listed twice in the selection; select it once`);
    }
    let result;
    try {
      result = await this.queue.enqueue(row, entry, keys);
    } catch (error) {
      this.health(false, error);
      const reason = error instanceof Error ? error.message : String(error);
      return fail(
        'storage',
        `The team database at ${this.options.where} cannot be reached (${reason}), so the request was not accepted. Check the network and PostgreSQL, then ask again; requests queued before stay queued.`,
      );
    }
    this.health(true);
    if (!result.ok) {
      const { holder } = result;
      return fail('duplicate', claimedSentence(holder, 'asking again', keys.length > 1));
    }
    this.sender.kick();
    return ok({ instance, status: 'Pending' });
  }

  /** Stops working and closes the connections. */
  async close(): Promise<void> {
    await this.retention?.stop();
    await this.sender.stop();
    await this.life.stop();
    await this.store.close();
  }

  /**
   * The Retry of a Failed request in team mode: queued again, the same instance, under a new
   * claim of this console (TeamQueue.retryFailed). Refused when the row is gone or no longer
   * Failed (another console retried it first), when another open request or ticket holds its
   * alarm now, or when the database cannot be reached.
   */
  async retryTicket(instance: string): Promise<Result<CreateTicketOutcome>> {
    if (typeof instance !== 'string' || instance === '')
      return fail('validation', 'No ticket request was named');
    let result: Awaited<ReturnType<TeamQueue['retryFailed']>>;
    try {
      result = await this.queue.retryFailed(instance, this.options.consoleName);
    } catch (error) {
      this.health(false, error);
      const reason = error instanceof Error ? error.message : String(error);
      return fail(
        'storage',
        `The team database at ${this.options.where} cannot be reached (${reason}), so the retry was not accepted. Check the network and PostgreSQL, then retry again.`,
      );
    }
    this.health(true);
    if (result.ok) {
      this.sender.kick();
      return ok({ instance, status: 'Pending' });
    }
    if (result.reason === 'not-found')
      return fail('not-found', 'This ticket request no longer exists (it may have been pruned)');
    if (result.reason === 'invalid')
      return fail('validation', 'The stored request is not valid any more');
    if (result.reason === 'claimed') {
      return fail('duplicate', claimedSentence(result.holder, 'retrying', result.group));
    }
    return fail(
      'duplicate',
      result.row.status === 'Created'
        ? `This request already created ticket ${result.row.ticketId}`
        : 'This ticket request is already queued',
    );
  }
}
