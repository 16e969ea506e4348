/**
 * The Oceane connector: the facade that wires its parts, each holding one part of the seed
 * (design.md, oceane-api.md, issues 2, 5 and 9):
 * - ticket-queue.ts: the Pending Ticket Creation Queue and its processing lock;
 * - ticket-attempts.ts: attempts and retries, the driver of ticket-request-machine.ts (the
 *   request's life as a pure state machine, with the rule that prevents duplicates: a request
 *   that may have been sent is looked up, and only after its last send plus the time-out);
 * - ticket-lookups.ts: the existing-ticket check (property, table, queue, Oceane);
 * - ticket-tables.ts: the Tickets and Failed Ticket Requests tables with retention;
 * - connector-notices.ts: what the operator is told, and the pause while saves fail;
 * - settings-service.ts and token-client.ts: the settings, the secret and the token.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import {
  alarmKeyString,
  type AuthResult,
  type CreateTicketOutcome,
  type CreateTicketRequest,
  type ExistingTicket,
  type FailedRequestRow,
  type Notice,
  type QueueStatus,
  type SettingsUpdate,
  type SettingsView,
  type TicketRow,
} from '../../shared/domain.js';
import type { EventMap } from '../../shared/ipc-contract.js';
import { fieldErrors } from '../../shared/guards.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { createTicketRequestSchema } from '../../shared/schemas.js';
import {
  ConnectorCore,
  type ConnectorChannel,
  type ConnectorOptions,
  type ConnectorStats,
} from './connector-core.js';
import { ConnectorNotices, StoragePause, storeStartNotices } from './connector-notices.js';
import { EventBatcher } from './event-batcher.js';
import { OceaneClient } from './oceane-client.js';
import { systemClock, silentLogger } from './ports.js';
import { SettingsService } from './settings-service.js';
import { TicketAttempts } from './ticket-attempts.js';
import { userIdRefusal } from './ticket-preconditions.js';
import { TicketLife } from './ticket-life.js';
import { TicketLookups } from './ticket-lookups.js';
import { TicketQueue } from './ticket-queue.js';
import { newRequestState, step } from './ticket-request-machine.js';
import type { TablePageFor, TablePageQuery } from '../../shared/table-page.js';
import { withAlarmFacts } from './ticket-rows.js';
import { TicketTables, pendingRow, requestFromRow, type QueueEntry } from './ticket-tables.js';
import { TokenClient, type TokenConfig } from './token-client.js';

export type { ConnectorOptions, ConnectorStats } from './connector-core.js';
export { DATA_FILES, type QueueEntry } from './ticket-tables.js';
export { failureSentence } from './connector-notices.js';

const HOUR_MS = 60 * 60 * 1000;

/** A request refused for its data, with one message per field. */
function invalid(message: string, error: Parameters<typeof fieldErrors>[0]): Result<never> {
  return fail('validation', message, fieldErrors(error));
}

/** The Oceane connector. Build it with `OceaneConnector.open`. */
export class OceaneConnector {
  /** What the operator should know about the start (files recovered, settings reset). */
  readonly notices: Notice[];
  /** The tickets' life after creation: polls, notes, status changes, events (issue 13). */
  readonly life: TicketLife;

  private readonly attempts: TicketAttempts;
  private readonly lookups: TicketLookups;
  private readonly queue: TicketQueue;
  private hourlyTimer: unknown = null;

  private constructor(
    private readonly core: ConnectorCore,
    /** Cancels the calls in flight when the connector closes. */
    private readonly abort: AbortController,
  ) {
    this.notices = core.notices.atStart;
    this.attempts = new TicketAttempts(core);
    this.lookups = new TicketLookups(core);
    this.queue = new TicketQueue(core, this.attempts);
    this.life = new TicketLife(core);
  }

  /**
   * Opens the stores (moving damaged files aside, with a notice), settles what a crash left
   * half done, prunes, and resumes the queue.
   */
  static async open(options: ConnectorOptions): Promise<OceaneConnector> {
    const startedAt = performance.now();
    await fs.promises.mkdir(options.dataDir, { recursive: true });
    const { service, problem } = SettingsService.load(
      options.settingsStore,
      options.secretStore,
      options.demoMode ?? false,
    );
    const tables = TicketTables.open(options.dataDir);
    const clock = options.clock ?? systemClock;
    const logger = options.logger ?? silentLogger;
    let connector: OceaneConnector | null = null;
    const events = new EventBatcher(
      {
        queueStatus: () =>
          connector?.getQueueStatus() ?? { locked: false, lockedBy: null, pending: [] },
        settings: () => service.view(),
      },
      logger,
    );
    const notices = new ConnectorNotices(clock, events);
    const abort = new AbortController();
    const tokens = new TokenClient({
      // The core (built below) adds the transport: the fetch and the User-Agent.
      config: (): TokenConfig | string => core.tokenConfig(),
      clock,
      logger,
      signal: abort.signal,
    });
    const core = new ConnectorCore(
      options,
      service,
      tables,
      clock,
      logger,
      options.random ?? Math.random,
      events,
      notices,
      new StoragePause(clock, logger, notices),
      tokens,
      new OceaneClient(tokens, clock, abort.signal, options.onCall),
    );
    connector = new OceaneConnector(core, abort);
    if (problem) notices.atStart.push(notices.make('warning', 'Settings reset', problem));
    for (const { level, title, message } of storeStartNotices(tables.recovery, tables.imports)) {
      logger.warn(message);
      notices.atStart.push(notices.make(level, title, message));
    }
    const loadedAt = performance.now();
    await connector.reconcile();
    const reconciledAt = performance.now();
    // Rows are in creation order: the quick pass is exact; the hourly pass checks every row.
    await core.prune(false);
    connector.scheduleHourlyPrune();
    if (options.autoStart !== false) connector.start();
    logger.info('Connector opened', {
      tickets: tables.tickets.size,
      failed: tables.failed.size,
      queued: tables.queue.size,
      loadMs: Math.round(loadedAt - startedAt),
      reconcileMs: Math.round(reconciledAt - loadedAt),
      totalMs: Math.round(performance.now() - startedAt),
    });
    return connector;
  }

  /** Settles what a crash left half done, and writes lost alarm properties again. */
  private async reconcile(): Promise<void> {
    const core = this.core;
    const { settledCreated } = await core.tables.reconcile(
      core.stepContext(),
      new Date(core.clock.now()).toISOString(),
      core.logger,
    );
    // A Created row still queued: its alarm properties, then its removal (a failure leaves
    // the line, and the queue finishes it later).
    for (const { entry, row } of settledCreated) await this.attempts.finishCreated(entry, row);
  }

  /** Starts processing the queue (when autoStart was false). */
  start(): void {
    this.queue.start();
    this.life.start();
  }

  /** Subscribes to an event channel; returns the function that unsubscribes. */
  on<C extends ConnectorChannel>(channel: C, listener: (payload: EventMap[C]) => void): () => void {
    return this.core.events.on(channel, listener);
  }

  /** When the current token expires (ms since the epoch), or null: the health light. */
  tokenExpiresAt(): number | null {
    return this.core.tokens.expiresAt();
  }

  /** Counters for tests and benchmarks. */
  stats(): ConnectorStats {
    return { ...this.core.counters, tokenRequests: this.core.tokens.requestsSent };
  }

  // ---- settings and authentication ------------------------------------------------------

  /** The settings as the renderer sees them. */
  getSettings(): SettingsView {
    return this.core.settings.view();
  }

  /** Applies a settings change, all or nothing (per-field messages when refused). */
  async updateSettings(update: SettingsUpdate): Promise<Result<SettingsView>> {
    const result = this.core.settings.update(update);
    if (!result.ok) return result;
    const change = result.value;
    if (change.credentialsChanged) this.core.tokens.invalidate();
    this.core.events.settingsChanged();
    if (change.limitsChanged) await this.core.prune(true);
    this.queue.kick();
    this.life.settingsChanged();
    return ok(change.view);
  }

  /** The Authenticate button: asks Oceane for a token now. */
  async authenticate(): Promise<AuthResult> {
    return this.core.tokens.authenticate();
  }

  // ---- tickets ---------------------------------------------------------------------------

  /**
   * Queues a ticket request: the one entry point where a request is accepted. Refused when it
   * is not valid, the alarm already has a ticket or a pending request, or Oceane is not
   * configured. Answers "Pending" only once the ticket row and the queue entry are on disk.
   */
  async createTicket(request: CreateTicketRequest): Promise<Result<CreateTicketOutcome>> {
    const parsed = createTicketRequestSchema.safeParse(request);
    if (!parsed.success)
      return invalid('Some ticket details are missing or not valid', parsed.error);
    const valid = parsed.data;
    const refused = this.refusal(valid);
    if (refused) return refused;
    const instance = randomUUID();
    const createdAt = new Date(this.core.clock.now()).toISOString();
    // Another operator may have created a ticket for the alarm since anyone looked: unless
    // Oceane said "none" moments ago (the Create Ticket dialog asks when it opens), the alarm
    // is looked up before the first create, and a ticket found there is adopted.
    const checkFirst = !this.lookups.recentlyAbsentInOceane(alarmKeyString(valid));
    const entry: QueueEntry = {
      instance,
      request: valid,
      enqueuedAt: createdAt,
      state: newRequestState(checkFirst),
    };
    const row = withAlarmFacts(pendingRow(instance, valid, createdAt), valid);
    return this.queue.enqueue(row, entry, undefined);
  }

  /** Queues a Failed request again with the same details (the Retry action). */
  async retryTicket(instance: string): Promise<Result<CreateTicketOutcome>> {
    const core = this.core;
    const row = typeof instance === 'string' ? core.tables.tickets.get(instance) : undefined;
    if (!row)
      return fail('not-found', 'This ticket request no longer exists (it may have been pruned)');
    if (row.status === 'Pending') return fail('duplicate', 'This ticket request is already queued');
    if (row.status === 'Created') {
      return fail('duplicate', `This request already created ticket ${row.ticketId}`);
    }
    const request = createTicketRequestSchema.safeParse(requestFromRow(row));
    if (!request.success) return invalid('The stored request is not valid any more', request.error);
    const refused = this.refusal(request.data);
    if (refused) return refused;
    // The failed attempts may have created the ticket after all: the machine looks it up
    // first, after the last send plus the time-out.
    const failed = { ...newRequestState(true), phase: 'failed' as const, sentBefore: true };
    const entry: QueueEntry = {
      instance,
      request: request.data,
      enqueuedAt: new Date(core.clock.now()).toISOString(),
      state: step(failed, { type: 'retry-pressed' }, core.stepContext()).state,
    };
    return this.queue.enqueue({ ...row, status: 'Pending' }, entry, row);
  }

  /** Why a new request for this alarm is refused, or null. */
  private refusal(request: CreateTicketRequest): Result<CreateTicketOutcome> | null {
    if (this.core.closing)
      return fail('refused', 'The connector is shutting down; try again after the restart');
    const existing = this.lookups.localExisting(request);
    const group = existing ? null : this.lookups.groupRefusal(request);
    if (group !== null) return fail('duplicate', group);
    if (!existing) {
      const config = this.core.tokenConfig();
      if (typeof config === 'string') return fail('not-configured', config);
      return userIdRefusal(this.core.settings.api.userId);
    }
    const what =
      existing.status === 'Pending'
        ? `a ticket request pending (${existing.instance ?? 'queued'})`
        : `ticket ${existing.ticketId ?? ''}`.trim();
    return fail(
      'duplicate',
      `Alarm ${alarmKeyString(request)} on ${request.elementName} already has ${what}`,
    );
  }

  /**
   * The ticket an alarm already has: from its property, the Tickets table, the queue, then
   * (unless `askOceane` is false) Oceane itself (section 3).
   */
  async findExistingTicket(
    key: { dmaId: string; alarmId: string },
    options: { askOceane?: boolean } = {},
  ): Promise<ExistingTicket | null> {
    return this.lookups.findExistingTicket(key, options);
  }

  /** Each alarm's ticket or open request as this app knows it (a selection's dialog). */
  checkGroup(keys: readonly { dmaId: string; alarmId: string }[]): (ExistingTicket | null)[] {
    return this.lookups.checkGroup(keys);
  }

  /** A window of the Tickets or Failed Ticket Requests table (shared/table-page.ts), in SQL. */
  tablePage<Q extends TablePageQuery>(query: Q): TablePageFor<Q> {
    const { tables } = this.core;
    return (
      query.table === 'tickets' ? tables.pageTickets(query) : tables.pageFailed(query)
    ) as TablePageFor<Q>;
  }

  /** Rows of the Tickets table, oldest first. */
  listTickets(): TicketRow[] {
    return [...this.core.tables.tickets.values()];
  }

  /** Rows of the Failed Ticket Requests table, oldest first. */
  listFailedRequests(): FailedRequestRow[] {
    return [...this.core.tables.failed.values()];
  }

  /** The processing lock and the pending queue (the Debug page). */
  getQueueStatus(): QueueStatus {
    return this.queue.status();
  }

  // ---- retention --------------------------------------------------------------------------

  /** Prunes both tables now, checking every row. */
  async pruneNow(): Promise<void> {
    await this.core.prune(true);
  }

  private scheduleHourlyPrune(): void {
    if (this.core.closing) return;
    this.hourlyTimer = this.core.clock.setTimeout(() => {
      this.hourlyTimer = null;
      this.core.track(this.core.prune(true));
      this.scheduleHourlyPrune();
    }, HOUR_MS);
  }

  // ---- waiting and closing ------------------------------------------------------------------

  /**
   * Resolves when nothing is being processed and no request is ready to run: the queue is
   * empty, or every request waits for its retry delay (tests then move their fake clock).
   */
  whenQuiet(): Promise<void> {
    return this.queue.whenQuiet();
  }

  /** Resolves when the queue is empty and nothing is in flight (tests). */
  async whenIdle(): Promise<void> {
    for (;;) {
      await this.queue.whenIdleOnce();
      await Promise.all([this.core.backgroundSettled(), this.core.tokens.settled()]);
      if (this.queue.idleOrClosing()) {
        // Listeners hear the last changes before the caller looks.
        this.core.events.flush();
        return;
      }
    }
  }

  /**
   * Stops timers and processing. An in-flight request may finish within `closeWaitMs`;
   * otherwise it is cancelled and stays queued (the next start looks it up before sending).
   */
  async close(): Promise<void> {
    const core = this.core;
    if (core.closing) return;
    core.closing = true;
    if (this.hourlyTimer !== null) core.clock.clearTimeout(this.hourlyTimer);
    this.hourlyTimer = null;
    core.tokens.close();
    await this.queue.stop(core.options.closeWaitMs ?? 5000);
    core.closed = true;
    this.abort.abort();
    // A poll or a change in flight is cut short: a change stays queued, checked at the next start.
    await this.life.close();
    await this.queue.settled();
    await core.backgroundSettled();
    core.events.flush();
    await core.tables.close();
    this.queue.checkQuiet();
    core.logger.info('Connector closed', { queued: core.tables.queue.size });
  }
}
