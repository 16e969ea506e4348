/**
 * What the connector's parts share: the options, the settings, the tables, the Oceane client,
 * the events and notices, the counters, and the state-machine state of each queued request as
 * this run knows it. The parts (ticket-queue, ticket-attempts, ticket-lookups, ticket-tables,
 * connector-notices) each hold one part of the seed; OceaneConnector only wires them.
 */
import type { TicketRow } from '../../shared/domain.js';
import type { ConnectorChannel, EventBatcher } from './event-batcher.js';
import type { ConnectorNotices, StoragePause } from './connector-notices.js';
import { errorText } from './connector-notices.js';
import {
  createNodeFetchFactory,
  userAgentFor,
  type FetchFactory,
  type HttpTransport,
} from './http-transport.js';
import type { CallConfig, CallReport, OceaneClient } from './oceane-client.js';
import type {
  AlarmPropertyPort,
  Clock,
  Logger,
  SecretStorePort,
  SettingsStorePort,
} from './ports.js';
import type { SettingsService } from './settings-service.js';
import type { TicketTables } from './ticket-tables.js';
import type { RequestState, StepContext } from './ticket-request-machine.js';
import type { TokenClient, TokenConfig } from './token-client.js';

export type { ConnectorChannel };

/** How the connector is built (the app passes Electron-backed ports, tests pass real files). */
export interface ConnectorOptions {
  /** Folder of the journals: tickets.jsonl, failed-requests.jsonl, queue.jsonl. */
  dataDir: string;
  /** The settings document (conf in tests, electron-store in the app). */
  settingsStore: SettingsStorePort;
  secretStore: SecretStorePort;
  alarmProperties: AlarmPropertyPort;
  /** Default: the system clock. Retry delays and the hourly pruning run on it. */
  clock?: Clock;
  logger?: Logger;
  /** Jitter source of the retry delays; default Math.random. */
  random?: () => number;
  /** Shown in SettingsView.demoMode. */
  demoMode?: boolean;
  /** Start processing the queue at open; default true. */
  autoStart?: boolean;
  /**
   * Tests only: the HTTP time-out in milliseconds, instead of the Request time-out setting
   * (whole seconds), so that time-out tests stay short. Network time is real time.
   */
  requestTimeoutMs?: number;
  /** How long close() lets an in-flight request finish before cancelling it; default 5000. */
  closeWaitMs?: number;
  /** Hears what each ticket call got from Oceane (the health light, electron/health/). */
  onCall?: (call: CallReport) => void;
  /**
   * How requests reach Oceane (http-transport.ts): the app passes Electron's net.fetch;
   * default Node's fetch, and the User-Agent of version 0.0.0.
   */
  http?: { createFetch?: FetchFactory; userAgent?: string };
}

/** Counters for tests and benchmarks (issue 6, target 2). */
export interface ConnectorStats {
  /** Tickets whose processing had to wait for a token request. */
  ticketsThatWaitedForToken: number;
  tokenRequests: number;
  createRequests: number;
  lookupRequests: number;
  ticketsCreated: number;
  ticketsAdopted: number;
  ticketsFailed: number;
}

/** The token request's settings, or the sentence saying what is missing in Settings. */
export function tokenConfigOf(
  settings: SettingsService,
  options: Pick<ConnectorOptions, 'requestTimeoutMs'>,
  transport: () => HttpTransport,
): TokenConfig | string {
  const api = settings.api;
  const secret = settings.clientSecret();
  const missing: string[] = [];
  if (api.baseUrl === '') missing.push('Base URL');
  if (api.clientId === '') missing.push('Client ID');
  if (secret === undefined || secret === '') missing.push('Client Secret');
  if (missing.length > 0)
    return `Oceane is not configured: set the ${missing.join(', ')} in Settings`;
  return {
    baseUrl: api.baseUrl,
    clientId: api.clientId,
    clientSecret: secret ?? '',
    timeoutMs: options.requestTimeoutMs ?? api.requestTimeoutSeconds * 1000,
    transport: transport(),
  };
}

/** The shared parts and settings readers. */
export class ConnectorCore {
  readonly counters: ConnectorStats = {
    ticketsThatWaitedForToken: 0,
    tokenRequests: 0,
    createRequests: 0,
    lookupRequests: 0,
    ticketsCreated: 0,
    ticketsAdopted: 0,
    ticketsFailed: 0,
  };
  /**
   * Instance -> its request's state as this run knows it. The queue line holds the stored
   * copy; when a save fails, this one still says what was sent, so that a request in doubt is
   * never resent without its look-up (review F1).
   */
  readonly states = new Map<string, RequestState>();
  /**
   * Instance -> the Pending row this run wrote for its queued request, until the request
   * settles: the row as stored (nothing else writes a Pending row), read without a query.
   */
  readonly queuedRows = new Map<string, TicketRow>();
  closing = false;
  closed = false;
  private createFetch: FetchFactory | null = null;
  private readonly background = new Set<Promise<unknown>>();

  constructor(
    readonly options: ConnectorOptions,
    readonly settings: SettingsService,
    readonly tables: TicketTables,
    readonly clock: Clock,
    readonly logger: Logger,
    readonly random: () => number,
    readonly events: EventBatcher,
    readonly notices: ConnectorNotices,
    readonly pause: StoragePause,
    readonly tokens: TokenClient,
    readonly client: OceaneClient,
  ) {}

  /** The alarm properties (the mock DataMiner, or a journal in the crash test). */
  get alarmProperties(): AlarmPropertyPort {
    return this.options.alarmProperties;
  }

  /** The Tickets row of `instance` (a queued request's from memory, see `queuedRows`). */
  ticketRow(instance: string): TicketRow | undefined {
    return this.queuedRows.get(instance) ?? this.tables.tickets.get(instance);
  }

  /** The token request's settings, or the sentence saying what is missing. */
  tokenConfig(): TokenConfig | string {
    return tokenConfigOf(this.settings, this.options, () => this.transport());
  }

  /** The fetch (with the extra trusted CA in force) and User-Agent of every request. */
  transport(): HttpTransport {
    this.createFetch ??= this.options.http?.createFetch ?? createNodeFetchFactory();
    return {
      fetch: this.createFetch(this.settings.api.extraCaCertificate),
      userAgent: this.options.http?.userAgent ?? userAgentFor('0.0.0'),
    };
  }

  /** The HTTP time-out in ms. */
  timeoutMs(): number {
    return this.options.requestTimeoutMs ?? this.settings.api.requestTimeoutSeconds * 1000;
  }

  /** What each ticket call needs from the settings, now. */
  callConfig(): CallConfig {
    return {
      baseUrl: this.settings.api.baseUrl,
      userId: this.settings.api.userId,
      timeoutMs: this.timeoutMs(),
      transport: this.transport(),
    };
  }

  /** The world as the state machine sees it at this step. */
  stepContext(): StepContext {
    return {
      now: this.clock.now(),
      baseUrl: this.settings.api.baseUrl,
      timeoutMs: this.timeoutMs(),
      createRetryCount: this.settings.element.ticketCreationRetryCount,
      jitter: Math.min(1, Math.max(0, this.random())),
    };
  }

  /** Runs a promise in the background; close() and whenIdle() wait for it. */
  track(promise: Promise<unknown>): void {
    const tracked = promise.catch((error: unknown) => {
      this.logger.error('Background task failed', { error: errorText(error) });
    });
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }

  /** Resolves when the background tasks started so far have finished. */
  async backgroundSettled(): Promise<void> {
    await Promise.all([...this.background]);
  }

  /** Prunes (below) once the current turn of the event loop, and the events it made, are over. */
  pruneAfterThisTurn(): void {
    this.track(new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.prune(false)));
  }

  /** Prunes both tables by the storage limits and tells the renderer what left. */
  async prune(fullScan: boolean): Promise<void> {
    if (this.closed) return;
    const limits = {
      durationDays: this.settings.element.ticketStorageDurationDays,
      countLimit: this.settings.element.ticketStorageCountLimit,
    };
    // In SQL by index: the hourly full pass and the quick pass after a change are one query.
    void fullScan;
    const pruned = this.tables.prune(limits, this.clock.now());
    try {
      await pruned.written;
    } catch (error) {
      this.logger.warn('Pruning could not be saved', { error: errorText(error) });
      return;
    }
    if (pruned.ticketKeys.length + pruned.failedKeys.length === 0) return;
    for (const key of pruned.ticketKeys) this.events.ticketRemoved(key);
    for (const key of pruned.failedKeys) this.events.failedRemoved(key);
    this.logger.info('Pruned old rows', {
      tickets: pruned.ticketKeys.length,
      failed: pruned.failedKeys.length,
      // Tickets whose followed row, history and finished changes went with their last row.
      followed: pruned.lives,
    });
  }
}
