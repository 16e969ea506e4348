/**
 * The Oceane connector: settings, token, the durable queue of ticket requests with its
 * processing lock and retries, the Tickets and Failed Ticket Requests tables with retention,
 * and the events that tell the UI about every change (design.md, oceane-api.md, issue 2).
 *
 * Exactly one ticket per alarm (issue 5): a request is durable (its Pending ticket row is
 * fsync'd; a queue entry lost in a crash is re-derived from that row) before the caller hears
 * "Pending"; an attempt whose outcome is unknown (time-out, a connection lost after
 * connecting, any 5xx, a 2xx that cannot be read) marks the entry "maybe sent", and every
 * entry resumed after a restart is "maybe sent" too; such an entry is looked up in Oceane
 * (section 3) before it is sent again, and a ticket found there is adopted instead of a
 * second one being created. Whether a request went out in this run is also kept in memory,
 * outside the journals (whose failed commits roll back): a save that fails after a send
 * never turns into a resend without a look-up, and it pauses the queue (review F1).
 *
 * Queue order: FIFO. One request at a time holds the processing lock. A request that waits for
 * its retry delay releases the lock, so later requests (other alarms: an alarm has at most one
 * queued request) proceed meanwhile; the waiting one goes first again once its delay is over.
 *
 * Local cost per ticket is constant (issue 6): indexes by alarm key, pruning that looks only
 * at the oldest rows, events that carry only the changed rows, and the journals' group commit.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  PROPERTY_TICKET_ID,
  PROPERTY_TICKET_URL,
  TECHNICAL_IMPACTS,
  PRIORITIES,
  URGENCIES,
  TICKET_STATUSES,
  alarmKeyString,
  type AuthResult,
  type CreateTicketOutcome,
  type CreateTicketRequest,
  type ExistingTicket,
  type FailedRequestRow,
  type Notice,
  type OceaneError,
  type QueueEntryView,
  type QueueStatus,
  type SettingsUpdate,
  type SettingsView,
  type TicketRow,
} from '../../shared/domain.js';
import type { EventMap } from '../../shared/ipc-contract.js';
import { fieldErrors, isRecord } from '../../shared/guards.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { alarmKeySchema, createTicketRequestSchema } from '../../shared/schemas.js';
import { JournalTable, type JournalRecovery } from '../storage/journal-table.js';
import { EventBatcher, type ConnectorChannel } from './event-batcher.js';
import {
  OceaneClient,
  type CallConfig,
  type CallFailure,
  type CallReport,
} from './oceane-client.js';
import { userIdRefusal } from './ticket-preconditions.js';
import {
  createNodeFetchFactory,
  userAgentFor,
  type FetchFactory,
  type HttpTransport,
} from './http-transport.js';
import {
  systemClock,
  silentLogger,
  type AlarmPropertyPort,
  type Clock,
  type Logger,
  type SecretStorePort,
  type SettingsStorePort,
} from './ports.js';
import { selectPrunable } from './retention.js';
import { BACKOFF_CAP_MS, MAX_RETRY_AFTER_MS, retryDelayMs } from './retry-policy.js';
import { SettingsService } from './settings-service.js';
import { buildTicketUrl, safeHttpUrl } from './ticket-url.js';
import { TokenClient, type TokenConfig } from './token-client.js';

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

/** A queued request as stored in queue.jsonl. */
export interface QueueEntry {
  instance: string;
  request: CreateTicketRequest;
  enqueuedAt: string;
  /** Attempts made so far (create calls, and look-ups that failed). */
  attempts: number;
  /** When the next attempt may start (ms since the epoch); null: at once. */
  nextAttemptAt: number | null;
  lastError: string | null;
  /** An earlier attempt may have created the ticket: look the alarm up before sending. */
  maybeSent: boolean;
  /**
   * The Base URL the request was first sent to (review F8): its look-ups and its ticket URL
   * use it, whatever the settings say later. Absent until the first create goes out.
   */
  baseUrl?: string;
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

/** Names of the journal files inside the data folder. */
export const DATA_FILES = {
  tickets: 'tickets.jsonl',
  failed: 'failed-requests.jsonl',
  queue: 'queue.jsonl',
} as const;

const HOUR_MS = 60 * 60 * 1000;
/**
 * A request for an alarm that Oceane said has no ticket at most this long ago is sent without
 * looking the alarm up again (oceane-api.md section 3): the Create Ticket dialog asks when it
 * opens, so an operator who submits within this time pays no extra round trip.
 */
const FRESH_LOOKUP_MS = 30_000;
/** First pause of the queue after a save failed; doubled for each further failure. */
const STORAGE_RETRY_MS = 30_000;

/** An outcome Oceane gave that could not be saved: settled again, without a new request. */
type UnsavedOutcome =
  | { kind: 'created'; ticketId: string; adopted: boolean; attempts: number }
  | { kind: 'failed'; error: OceaneError; attempts: number; failedRow: FailedRequestRow };

const STATUS_SET = new Set<string>(TICKET_STATUSES);
const PRIORITY_SET = new Set<string>(PRIORITIES);
const URGENCY_SET = new Set<string>(URGENCIES);
const IMPACT_SET = new Set<string>(TECHNICAL_IMPACTS);
const TICKET_STRING_FIELDS = [
  'instance',
  'ticketId',
  'alarmId',
  'dmaId',
  'elementId',
  'elementName',
  'createdAt',
  'clientImpact',
  'rootCause',
  'rootTime',
  'description',
  'ticketUrl',
] as const;

/** Cheap shape check of a stored ticket row (start-up must stay close to a JSON.parse). */
function isTicketRow(value: unknown): value is TicketRow {
  if (!isRecord(value)) return false;
  for (const field of TICKET_STRING_FIELDS) if (typeof value[field] !== 'string') return false;
  return (
    STATUS_SET.has(value.status as string) &&
    PRIORITY_SET.has(value.priority as string) &&
    URGENCY_SET.has(value.urgency as string) &&
    IMPACT_SET.has(value.technicalImpact as string)
  );
}

function isFailedRow(value: unknown): value is FailedRequestRow {
  if (!isRecord(value)) return false;
  const code = value.httpErrorCode;
  return (
    typeof value.instance === 'string' &&
    typeof value.ticketInstance === 'string' &&
    (code === null || typeof code === 'number') &&
    typeof value.appErrorCode === 'string' &&
    typeof value.errorMessage === 'string' &&
    typeof value.errorDescription === 'string' &&
    typeof value.failedAt === 'string'
  );
}

function isQueueEntry(value: unknown): value is QueueEntry {
  if (!isRecord(value)) return false;
  return (
    typeof value.instance === 'string' &&
    typeof value.enqueuedAt === 'string' &&
    typeof value.attempts === 'number' &&
    (value.nextAttemptAt === null || typeof value.nextAttemptAt === 'number') &&
    (value.lastError === null || typeof value.lastError === 'string') &&
    typeof value.maybeSent === 'boolean' &&
    (value.baseUrl === undefined || typeof value.baseUrl === 'string') &&
    createTicketRequestSchema.safeParse(value.request).success
  );
}

/** Scheme, host and port of a URL ('' when unreadable). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** "30 hours", "2 days": a long wait in words. */
function formatHours(ms: number): string {
  const hours = Math.round(ms / 3_600_000);
  return hours >= 48 ? `${Math.round(hours / 24)} days` : `${hours} hours`;
}

/** One line for the Debug page and the logs: "503 Service Unavailable (code 5)". */
function shortError(error: OceaneError): string {
  const status = error.httpStatus === null ? '' : `${error.httpStatus} `;
  const code = error.appCode ? ` (code ${error.appCode})` : '';
  return `${status}${error.message}${code}`.trim();
}

/**
 * The sentence an operator reads when a ticket could not be created. It says who failed:
 * Oceane refused the request (4xx), Oceane failed (5xx: the ticket may exist, Retry looks it
 * up first), or no answer came at all.
 */
export function failureSentence(elementName: string, error: OceaneError, attempts: number): string {
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const status = error.httpStatus;
  if (status === null) {
    return `The ticket for ${elementName} could not be created${tries}: no usable answer from Oceane (${error.message})`;
  }
  const codes = error.appCode ? `${status}, code ${error.appCode}` : `${status}`;
  const detail = error.description ? `: ${error.description.slice(0, 300)}` : '';
  if (status >= 500) {
    const kept = attempts > 1 ? `kept failing${tries}` : 'failed';
    return `Oceane ${kept} while creating the ticket for ${elementName}: ${error.message} (${codes})${detail}. Retry looks the alarm up first, in case Oceane created it anyway.`;
  }
  if (status >= 400) {
    return `Oceane refused the ticket for ${elementName}${tries}: ${error.message} (${codes})${detail}`;
  }
  return `Oceane gave an answer that cannot be used for the ticket for ${elementName}${tries}: ${error.message} (${codes})${detail}`;
}

function requestFromRow(row: TicketRow): CreateTicketRequest {
  const request: CreateTicketRequest = {
    dmaId: row.dmaId,
    elementId: row.elementId,
    alarmId: row.alarmId,
    elementName: row.elementName,
    priority: row.priority,
    urgency: row.urgency,
    technicalImpact: row.technicalImpact,
  };
  if (row.rootCause) request.alarmValue = row.rootCause;
  if (row.rootTime) request.rootTime = row.rootTime;
  if (row.clientImpact)
    request.clientImpact = row.clientImpact as CreateTicketRequest['clientImpact'];
  if (row.description) request.description = row.description;
  return request;
}

function pendingRow(instance: string, request: CreateTicketRequest, createdAt: string): TicketRow {
  return {
    instance,
    ticketId: '',
    alarmId: request.alarmId,
    dmaId: request.dmaId,
    elementId: request.elementId,
    elementName: request.elementName,
    createdAt,
    priority: request.priority,
    urgency: request.urgency,
    technicalImpact: request.technicalImpact,
    clientImpact: request.clientImpact ?? '',
    rootCause: request.alarmValue ?? '',
    rootTime: request.rootTime ?? '',
    description: request.description ?? '',
    status: 'Pending',
    ticketUrl: '',
  };
}

function* entriesOf<T>(table: JournalTable<T>): Generator<[string, T]> {
  for (const key of table.keys()) {
    const value = table.get(key);
    if (value !== undefined) yield [key, value];
  }
}

/** The Oceane connector. Build it with `OceaneConnector.open`. */
export class OceaneConnector {
  /** What the operator should know about the start (files recovered, settings reset). */
  readonly notices: Notice[] = [];

  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly events: EventBatcher;
  private readonly tokens: TokenClient;
  private readonly client: OceaneClient;
  private readonly abort = new AbortController();
  /** Alarm key -> instance of its Pending or Created row. */
  private readonly activeByAlarm = new Map<string, string>();
  /** Alarm key -> instance of its queued request. */
  private readonly queuedByAlarm = new Map<string, string>();
  /** Requests whose first durable write has not finished: not yet processable. */
  private readonly notYetDurable = new Set<string>();
  private readonly waitedForToken = new Set<string>();
  /** Instance -> resolves when enqueue() has answered: its request is settled only after. */
  private readonly enqueueAnswered = new Map<string, Promise<void>>();
  /** Alarm key -> when Oceane last said it has no ticket (findExistingTicket). */
  private readonly absentInOceaneAt = new Map<string, number>();
  /**
   * Requests sent to Oceane in this run. Kept in memory, outside the journal (whose failed
   * commits roll back), so that a request whose queue line could not be saved is still looked
   * up before it is sent again (review F1).
   */
  private readonly sentThisRun = new Set<string>();
  /** Instance -> the Base URL its first create went to, until its queue line says so (F8). */
  private readonly sentTo = new Map<string, string>();
  /** Queue lines this run could not save: the queue acts on these instead (attempts, delays). */
  private readonly unsavedEntries = new Map<string, QueueEntry>();
  /** Outcomes that could not be saved, by instance: saved again once the disk works. */
  private readonly unsavedOutcomes = new Map<string, UnsavedOutcome>();
  /** While a save keeps failing, no request runs before this time (ms since the epoch). */
  private storagePausedUntil = 0;
  /** The current pause (0: storage works); doubles with each failure, up to the cap. */
  private storagePauseMs = 0;
  private readonly counters: ConnectorStats = {
    ticketsThatWaitedForToken: 0,
    tokenRequests: 0,
    createRequests: 0,
    lookupRequests: 0,
    ticketsCreated: 0,
    ticketsAdopted: 0,
    ticketsFailed: 0,
  };
  private lockedBy: string | null = null;
  private loop: Promise<void> | null = null;
  private kickAgain = false;
  private started = false;
  private closing = false;
  private closed = false;
  private wakeTimer: unknown = null;
  private hourlyTimer: unknown = null;
  private readonly background = new Set<Promise<unknown>>();
  private quietWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  private constructor(
    private readonly options: ConnectorOptions,
    private readonly settings: SettingsService,
    private readonly tickets: JournalTable<TicketRow>,
    private readonly failed: JournalTable<FailedRequestRow>,
    private readonly queue: JournalTable<QueueEntry>,
  ) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.random = options.random ?? Math.random;
    this.events = new EventBatcher(
      { queueStatus: () => this.getQueueStatus(), settings: () => this.settings.view() },
      this.logger,
    );
    this.tokens = new TokenClient({
      config: () => this.tokenConfig(),
      clock: this.clock,
      logger: this.logger,
      signal: this.abort.signal,
    });
    this.client = new OceaneClient(this.tokens, this.clock, this.abort.signal, options.onCall);
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
    const [tickets, failed, queue] = await Promise.all([
      JournalTable.open<TicketRow>(path.join(options.dataDir, DATA_FILES.tickets), {
        validate: isTicketRow,
      }),
      JournalTable.open<FailedRequestRow>(path.join(options.dataDir, DATA_FILES.failed), {
        validate: isFailedRow,
      }),
      JournalTable.open<QueueEntry>(path.join(options.dataDir, DATA_FILES.queue), {
        validate: isQueueEntry,
      }),
    ]);
    const connector = new OceaneConnector(options, service, tickets, failed, queue);
    if (problem) connector.notices.push(connector.makeNotice('warning', 'Settings reset', problem));
    connector.reportRecovery('Tickets table', tickets.recovery, 'rows');
    connector.reportRecovery('Failed Ticket Requests table', failed.recovery, 'rows');
    connector.reportRecovery('Pending ticket queue', queue.recovery, 'requests');
    const loadedAt = performance.now();
    await connector.reconcile();
    const reconciledAt = performance.now();
    // Rows are in creation order: the quick pass is exact; the hourly pass checks every row.
    await connector.prune(false);
    connector.scheduleHourlyPrune();
    if (options.autoStart !== false) connector.start();
    connector.logger.info('Connector opened', {
      tickets: tickets.size,
      failed: failed.size,
      queued: queue.size,
      loadMs: Math.round(loadedAt - startedAt),
      reconcileMs: Math.round(reconciledAt - loadedAt),
      totalMs: Math.round(performance.now() - startedAt),
    });
    return connector;
  }

  private reportRecovery(what: string, recovery: JournalRecovery | null, unit: string): void {
    if (!recovery) return;
    const message = `${what} file was damaged: moved aside to ${recovery.movedTo}, ${recovery.badLines} ${unit} lost, ${recovery.keptRows} kept`;
    this.logger.warn(message);
    this.notices.push(this.makeNotice('warning', `${what} recovered`, message));
  }

  /**
   * Makes the tables and the queue agree after a crash: a queued request without its row gets
   * its Pending row back; a Pending row without its request is queued again; a request whose
   * row is already settled leaves the queue. Every resumed request is "maybe sent".
   */
  private async reconcile(): Promise<void> {
    const ticketOps: { key: string; value: TicketRow }[] = [];
    const queueOps: ({ key: string; value: QueueEntry } | { key: string; delete: true })[] = [];
    const settledCreated: TicketRow[] = [];
    const settledFailed: QueueEntry[] = [];
    for (const entry of this.queue.values()) {
      const row = this.tickets.get(entry.instance);
      if (!row) {
        ticketOps.push({
          key: entry.instance,
          value: pendingRow(entry.instance, entry.request, entry.enqueuedAt),
        });
      } else if (row.status !== 'Pending') {
        // Settled before the crash; only the removal from the queue was lost.
        queueOps.push({ key: entry.instance, delete: true });
        if (row.status === 'Created') settledCreated.push(row);
        if (row.status === 'Failed') settledFailed.push(entry);
        continue;
      }
      // The stored delay is wall-clock time: a Retry-After still holds after a restart.
      queueOps.push({ key: entry.instance, value: { ...entry, maybeSent: true } });
    }
    for (const row of this.tickets.values()) {
      const key = alarmKeyString(row);
      if (row.status === 'Pending' || row.status === 'Created')
        this.activeByAlarm.set(key, row.instance);
      if (row.status === 'Pending' && !this.queue.has(row.instance)) {
        queueOps.push({
          key: row.instance,
          value: {
            instance: row.instance,
            request: requestFromRow(row),
            enqueuedAt: row.createdAt,
            attempts: 0,
            nextAttemptAt: null,
            lastError: null,
            maybeSent: true,
          },
        });
      }
    }
    // A Failed ticket keeps a Failed Ticket Requests row, and so its Retry action (review F9).
    const failedOps = this.missingFailedRows(settledFailed);
    // In memory at once; on disk without waiting for fsync (a lost line is re-derived).
    const writes = [
      this.tickets.commit(ticketOps, { durable: false }),
      this.failed.commit(failedOps),
      this.queue.commit(queueOps, { durable: false }),
    ];
    for (const entry of this.queue.values()) {
      this.queuedByAlarm.set(alarmKeyString(entry.request), entry.instance);
    }
    // A Created row whose alarm properties may not have been written (crash in between).
    for (const row of settledCreated) {
      const props = this.options.alarmProperties.get(row.dmaId, row.alarmId);
      if (props[PROPERTY_TICKET_ID] === row.ticketId || !row.ticketUrl) continue;
      writes.push(
        this.options.alarmProperties.set(row.dmaId, row.alarmId, {
          [PROPERTY_TICKET_ID]: row.ticketId,
          [PROPERTY_TICKET_URL]: row.ticketUrl,
        }),
      );
    }
    const results = await Promise.allSettled(writes);
    for (const r of results) {
      if (r.status === 'rejected')
        this.logger.warn('Could not save the reconciled queue', { error: errorText(r.reason) });
    }
  }

  /** Failed Ticket Requests rows for settled Failed requests that have none (older files). */
  private missingFailedRows(entries: QueueEntry[]): { key: string; value: FailedRequestRow }[] {
    if (entries.length === 0) return [];
    const withRow = new Set<string>();
    for (const failed of this.failed.values()) withRow.add(failed.ticketInstance);
    const ops: { key: string; value: FailedRequestRow }[] = [];
    for (const entry of entries) {
      if (withRow.has(entry.instance)) continue;
      const value: FailedRequestRow = {
        instance: randomUUID(),
        ticketInstance: entry.instance,
        httpErrorCode: null,
        appErrorCode: '',
        errorMessage: 'Failed before the app stopped',
        errorDescription:
          entry.lastError ??
          'The details of this failure were not saved before the app stopped; Retry looks the alarm up in Oceane, then sends the request again if needed',
        failedAt: new Date(this.clock.now()).toISOString(),
      };
      ops.push({ key: value.instance, value });
    }
    return ops;
  }

  /** Starts processing the queue (when autoStart was false). */
  start(): void {
    if (this.started || this.closing) return;
    this.started = true;
    this.kick();
  }

  /** Subscribes to an event channel; returns the function that unsubscribes. */
  on<C extends ConnectorChannel>(channel: C, listener: (payload: EventMap[C]) => void): () => void {
    return this.events.on(channel, listener);
  }

  /** When the current token expires (ms since the epoch), or null: the health light. */
  tokenExpiresAt(): number | null {
    return this.tokens.expiresAt();
  }

  /** Counters for tests and benchmarks. */
  stats(): ConnectorStats {
    return { ...this.counters, tokenRequests: this.tokens.requestsSent };
  }

  // ---- settings and authentication ------------------------------------------------------

  /** The settings as the renderer sees them. */
  getSettings(): SettingsView {
    return this.settings.view();
  }

  /** Applies a settings change, all or nothing (per-field messages when refused). */
  async updateSettings(update: SettingsUpdate): Promise<Result<SettingsView>> {
    const result = this.settings.update(update);
    if (!result.ok) return result;
    const change = result.value;
    if (change.credentialsChanged) this.tokens.invalidate();
    this.events.settingsChanged();
    if (change.limitsChanged) await this.prune(true);
    this.kick();
    return ok(change.view);
  }

  /** The Authenticate button: asks Oceane for a token now. */
  async authenticate(): Promise<AuthResult> {
    return this.tokens.authenticate();
  }

  private tokenConfig(): TokenConfig | string {
    const api = this.settings.api;
    const secret = this.settings.clientSecret();
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
      timeoutMs: this.timeoutMs(),
      transport: this.transport(),
    };
  }

  private timeoutMs(): number {
    return this.options.requestTimeoutMs ?? this.settings.api.requestTimeoutSeconds * 1000;
  }

  private callConfig(): CallConfig {
    return {
      baseUrl: this.settings.api.baseUrl,
      userId: this.settings.api.userId,
      timeoutMs: this.timeoutMs(),
      transport: this.transport(),
    };
  }

  private createFetch: FetchFactory | null = null;
  /** The fetch (with the extra trusted CA in force) and User-Agent of every request. */
  private transport(): HttpTransport {
    this.createFetch ??= this.options.http?.createFetch ?? createNodeFetchFactory();
    return {
      fetch: this.createFetch(this.settings.api.extraCaCertificate),
      userAgent: this.options.http?.userAgent ?? userAgentFor('0.0.0'),
    };
  }

  // ---- tickets ---------------------------------------------------------------------------

  /**
   * Queues a ticket request. Refused when the alarm already has a ticket or a pending
   * request. Answers "Pending" only once the ticket row and the queue entry are on disk.
   */
  async createTicket(request: CreateTicketRequest): Promise<Result<CreateTicketOutcome>> {
    const parsed = createTicketRequestSchema.safeParse(request);
    if (!parsed.success) {
      return fail(
        'validation',
        'Some ticket details are missing or not valid',
        fieldErrors(parsed.error),
      );
    }
    const valid = parsed.data;
    const refused = this.refusal(valid);
    if (refused) return refused;
    const instance = randomUUID();
    const createdAt = new Date(this.clock.now()).toISOString();
    const entry: QueueEntry = {
      instance,
      request: valid,
      enqueuedAt: createdAt,
      attempts: 0,
      nextAttemptAt: null,
      lastError: null,
      // Another operator may have created a ticket for the alarm since anyone looked: unless
      // Oceane said "none" moments ago (the Create Ticket dialog asks when it opens), the
      // alarm is looked up before the first create, and a ticket found there is adopted.
      maybeSent: !this.recentlyAbsentInOceane(alarmKeyString(valid)),
    };
    return this.enqueue(pendingRow(instance, valid, createdAt), entry, true);
  }

  /** Queues a Failed request again with the same details (the Retry action). */
  async retryTicket(instance: string): Promise<Result<CreateTicketOutcome>> {
    const row = typeof instance === 'string' ? this.tickets.get(instance) : undefined;
    if (!row)
      return fail('not-found', 'This ticket request no longer exists (it may have been pruned)');
    if (row.status === 'Pending') return fail('duplicate', 'This ticket request is already queued');
    if (row.status === 'Created') {
      return fail('duplicate', `This request already created ticket ${row.ticketId}`);
    }
    const request = createTicketRequestSchema.safeParse(requestFromRow(row));
    if (!request.success) {
      return fail(
        'validation',
        'The stored request is not valid any more',
        fieldErrors(request.error),
      );
    }
    const refused = this.refusal(request.data);
    if (refused) return refused;
    const entry: QueueEntry = {
      instance,
      request: request.data,
      enqueuedAt: new Date(this.clock.now()).toISOString(),
      attempts: 0,
      nextAttemptAt: null,
      lastError: null,
      // The failed attempts may have created the ticket after all: look it up first.
      maybeSent: true,
    };
    return this.enqueue({ ...row, status: 'Pending' }, entry, false);
  }

  /** True when findExistingTicket learned from Oceane, moments ago, that the alarm has none. */
  private recentlyAbsentInOceane(alarmKey: string): boolean {
    const at = this.absentInOceaneAt.get(alarmKey);
    this.absentInOceaneAt.delete(alarmKey);
    return at !== undefined && this.clock.now() - at <= FRESH_LOOKUP_MS;
  }

  /** Why a new request for this alarm is refused, or null. */
  private refusal(request: CreateTicketRequest): Result<CreateTicketOutcome> | null {
    if (this.closing)
      return fail('refused', 'The connector is shutting down; try again after the restart');
    const existing = this.localExisting(request);
    if (!existing) {
      const config = this.tokenConfig();
      if (typeof config === 'string') return fail('not-configured', config);
      return userIdRefusal(this.settings.api.userId);
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

  private async enqueue(
    row: TicketRow,
    entry: QueueEntry,
    inserted: boolean,
  ): Promise<Result<CreateTicketOutcome>> {
    const key = alarmKeyString(entry.request);
    const instance = entry.instance;
    const previousRow = this.tickets.get(instance);
    // A new request (or a Retry) supersedes whatever this run remembered of an older one.
    this.unsavedEntries.delete(instance);
    this.unsavedOutcomes.delete(instance);
    this.sentTo.delete(instance);
    // Reserve the alarm at once, so that a concurrent request for it is refused.
    this.activeByAlarm.set(key, instance);
    this.queuedByAlarm.set(key, instance);
    this.notYetDurable.add(instance);
    let answer = (): void => undefined;
    this.enqueueAnswered.set(instance, new Promise<void>((resolve) => (answer = resolve)));
    try {
      return await this.writeRequest(row, entry, inserted, key, previousRow);
    } finally {
      this.enqueueAnswered.delete(instance);
      answer();
    }
  }

  private async writeRequest(
    row: TicketRow,
    entry: QueueEntry,
    inserted: boolean,
    key: string,
    previousRow: TicketRow | undefined,
  ): Promise<Result<CreateTicketOutcome>> {
    const instance = entry.instance;
    // The request may be processed once its row and queue line are written (handed to the
    // OS, so they survive a crash of the app), while the row's fsync is still running: the
    // fsync then overlaps the call to Oceane instead of preceding it (issue 6, target 1).
    // The operator still hears "Pending" only after the fsync. Only a power cut inside that
    // window could lose the row of a request already sent; the Create Ticket dialog's look-up
    // then finds its ticket in Oceane.
    let rowWritten = false;
    let queueWritten = false;
    let released = false;
    const release = (): void => {
      if (!rowWritten || !queueWritten || released) return;
      released = true;
      this.notYetDurable.delete(instance);
      queueMicrotask(() => this.kick());
    };
    // One fsync per request (issue 6, targets 1 and 4): the Pending row is the durable
    // record of the request; if its queue line is lost in a crash, reconcile() queues the
    // Pending row again (as "maybe sent", so it is looked up before any create).
    const [rowWrite, queueWrite] = await Promise.allSettled([
      this.tickets.commit([{ key: instance, value: row }], {
        onWritten: () => {
          rowWritten = true;
          release();
        },
      }),
      this.queue.commit([{ key: instance, value: entry }], { durable: false }).then(() => {
        queueWritten = true;
        release();
      }),
    ]);
    this.notYetDurable.delete(instance);
    if (rowWrite.status === 'rejected' && released) {
      // Written but not fsync'd: the request is already on its way, so it is not undone.
      const reason = errorText(rowWrite.reason);
      this.logger.error('A ticket request could not be confirmed on disk', { instance, reason });
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
          this.tickets.commit([
            previousRow ? { key: instance, value: previousRow } : { key: instance, delete: true },
          ]),
        );
      }
      if (queueWrite.status === 'fulfilled')
        undo.push(this.queue.commit([{ key: instance, delete: true }]));
      await Promise.allSettled(undo);
      if (this.activeByAlarm.get(key) === instance) this.activeByAlarm.delete(key);
      if (this.queuedByAlarm.get(key) === instance) this.queuedByAlarm.delete(key);
      this.logger.error('Could not save a ticket request', { instance, error: errorText(reason) });
      this.checkQuiet();
      return fail(
        'storage',
        `The request could not be saved (${errorText(reason)}), so nothing was sent to Oceane. Check the free disk space and the permissions of the data folder, then try again.`,
      );
    }
    this.logger.info('Ticket request queued', { instance, alarm: key });
    // Both journals took a write: if the queue was paused by a failed save, try again now.
    this.storageWorks();
    this.events.ticketUpserted(this.tickets.get(instance) ?? row);
    this.events.queueChanged();
    if (inserted) this.track(this.prune(false));
    this.kick();
    return ok({ instance, status: 'Pending' });
  }

  /** What the app already knows about the alarm's ticket: property, table, queue. */
  private localExisting(key: { dmaId: string; alarmId: string }): ExistingTicket | null {
    const alarmKey = alarmKeyString(key);
    const activeInstance = this.activeByAlarm.get(alarmKey) ?? null;
    const props = this.options.alarmProperties.get(key.dmaId, key.alarmId);
    const propertyId = props[PROPERTY_TICKET_ID];
    if (propertyId) {
      const url = props[PROPERTY_TICKET_URL];
      return {
        source: 'property',
        status: 'Created',
        ticketId: propertyId,
        ticketUrl: url ? safeHttpUrl(url) : null,
        instance: activeInstance,
      };
    }
    const row = activeInstance ? this.tickets.get(activeInstance) : undefined;
    if (row?.status === 'Created') {
      return {
        source: 'table',
        status: 'Created',
        ticketId: row.ticketId,
        ticketUrl: row.ticketUrl || null,
        instance: row.instance,
      };
    }
    const queued = this.queuedByAlarm.get(alarmKey);
    if (queued !== undefined || row?.status === 'Pending') {
      return {
        source: 'queue',
        status: 'Pending',
        ticketId: null,
        ticketUrl: null,
        instance: queued ?? row?.instance ?? null,
      };
    }
    return null;
  }

  /**
   * The ticket an alarm already has: from its property, the Tickets table, the queue, then
   * (unless `askOceane` is false) Oceane itself (section 3). A ticket found in Oceane is
   * written onto the alarm, so that it is not asked for twice.
   */
  async findExistingTicket(
    key: { dmaId: string; alarmId: string },
    options: { askOceane?: boolean } = {},
  ): Promise<ExistingTicket | null> {
    const parsed = alarmKeySchema.safeParse({ dmaId: key?.dmaId, alarmId: key?.alarmId });
    if (!parsed.success) return null;
    const local = this.localExisting(parsed.data);
    if (local || options.askOceane === false || this.closing) return local;
    if (typeof this.tokenConfig() === 'string') return null;
    const config = this.callConfig();
    this.counters.lookupRequests++;
    const found = await this.client.findTicket(config, parsed.data);
    if (!found.ok) {
      this.logger.warn('Could not look the alarm up in Oceane', {
        alarm: alarmKeyString(parsed.data),
        error: shortError(found.error),
      });
      return null;
    }
    if (found.ticketId === null) {
      if (this.absentInOceaneAt.size >= 1000) this.absentInOceaneAt.clear();
      this.absentInOceaneAt.set(alarmKeyString(parsed.data), this.clock.now());
      return null;
    }
    const url = buildTicketUrl(this.settings.api.ticketUrlTemplate, config.baseUrl, found.ticketId);
    if (!this.closing) {
      const properties: Record<string, string> = { [PROPERTY_TICKET_ID]: found.ticketId };
      if (url) properties[PROPERTY_TICKET_URL] = url;
      try {
        await this.options.alarmProperties.set(parsed.data.dmaId, parsed.data.alarmId, properties);
      } catch (error) {
        this.logger.warn('Could not write the found ticket onto the alarm', {
          error: errorText(error),
        });
      }
    }
    return {
      source: 'oceane',
      status: 'Created',
      ticketId: found.ticketId,
      ticketUrl: url,
      instance: null,
    };
  }

  /** Rows of the Tickets table, oldest first. */
  listTickets(): TicketRow[] {
    return [...this.tickets.values()];
  }

  /** Rows of the Failed Ticket Requests table, oldest first. */
  listFailedRequests(): FailedRequestRow[] {
    return [...this.failed.values()];
  }

  /** The processing lock and the pending queue (the Debug page). */
  getQueueStatus(): QueueStatus {
    const pending: QueueEntryView[] = [];
    for (const stored of this.queue.values()) {
      const entry = this.current(stored);
      pending.push({
        instance: entry.instance,
        dmaId: entry.request.dmaId,
        alarmId: entry.request.alarmId,
        elementName: entry.request.elementName,
        enqueuedAt: entry.enqueuedAt,
        attempts: entry.attempts,
        nextAttemptAt:
          entry.nextAttemptAt === null ? null : new Date(entry.nextAttemptAt).toISOString(),
        lastError: entry.lastError,
      });
    }
    return { locked: this.lockedBy !== null, lockedBy: this.lockedBy, pending };
  }

  // ---- the queue ---------------------------------------------------------------------------

  private kick(): void {
    if (!this.started || this.closing) return;
    if (this.loop) {
      this.kickAgain = true;
      return;
    }
    this.kickAgain = false;
    this.loop = this.runLoop()
      .catch((error: unknown) => {
        this.logger.error('The ticket queue stopped on an unexpected error', {
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
      if (this.closing) return;
      const entry = this.nextReady();
      if (!entry) {
        this.scheduleWake();
        return;
      }
      await this.process(entry);
    }
  }

  /** The entry as this run knows it: its unsaved state when its line could not be saved. */
  private current(stored: QueueEntry): QueueEntry {
    return this.unsavedEntries.get(stored.instance) ?? stored;
  }

  /** The oldest request that may run now, or null. */
  private nextReady(): QueueEntry | null {
    if (typeof this.tokenConfig() === 'string') return null; // waits until configured
    const now = this.clock.now();
    if (now < this.storagePausedUntil) return null; // a save failed: wait, then try again
    for (const stored of this.queue.values()) {
      if (this.notYetDurable.has(stored.instance)) continue;
      const entry = this.current(stored);
      if (entry.nextAttemptAt === null || entry.nextAttemptAt <= now) return entry;
    }
    return null;
  }

  private scheduleWake(): void {
    if (this.wakeTimer !== null) this.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    if (this.closing) return;
    let earliest = Infinity;
    for (const stored of this.queue.values()) {
      const at = this.current(stored).nextAttemptAt;
      if (at !== null && at < earliest) earliest = at;
    }
    if (earliest === Infinity) return;
    earliest = Math.max(earliest, this.storagePausedUntil);
    // Long waits (a Retry-After of hours) wake up hourly to look again: timers stay small.
    earliest = Math.min(earliest, this.clock.now() + HOUR_MS);
    this.wakeTimer = this.clock.setTimeout(
      () => {
        this.wakeTimer = null;
        this.kick();
      },
      Math.max(0, earliest - this.clock.now()),
    );
  }

  private async process(entry: QueueEntry): Promise<void> {
    this.lockedBy = entry.instance;
    this.events.queueChanged();
    try {
      await this.attempt(entry);
    } finally {
      this.lockedBy = null;
      this.events.queueChanged();
    }
  }

  private noteTokenWait(instance: string, waited: boolean): void {
    if (!waited || this.waitedForToken.has(instance)) return;
    this.waitedForToken.add(instance);
    this.counters.ticketsThatWaitedForToken++;
  }

  private async attempt(queued: QueueEntry): Promise<void> {
    let entry = queued;
    const { request, instance } = entry;
    const sentTo = entry.baseUrl ?? this.sentTo.get(instance);
    const config = { ...this.callConfig(), ...(sentTo === undefined ? {} : { baseUrl: sentTo }) };
    // An outcome already known but not saved is saved again; Oceane is not asked twice.
    const unsaved = this.unsavedOutcomes.get(instance);
    if (unsaved?.kind === 'created') {
      await this.settleCreated(entry, unsaved.ticketId, unsaved.adopted, unsaved.attempts);
      return;
    }
    if (unsaved?.kind === 'failed') {
      await this.settleFailed(entry, unsaved.error, unsaved.attempts, unsaved.failedRow);
      return;
    }
    // Settled, but its removal from the queue was not saved: only that is left to do.
    const row = this.tickets.get(instance);
    if (row && row.status !== 'Pending') {
      await this.dequeue(entry);
      return;
    }
    if (sentTo !== undefined && originOf(sentTo) !== originOf(this.settings.api.baseUrl)) {
      // The token and the secret now belong to another server: nothing goes to the old one,
      // and nothing is sent to the new one while a ticket may exist on the old (F8).
      await this.settleFailed(
        { ...entry, maybeSent: true },
        {
          httpStatus: null,
          appCode: '',
          message: 'Base URL changed',
          description: `This request may have created a ticket on ${sentTo}, the Base URL when it was sent; the Base URL is now ${this.settings.api.baseUrl}`,
        },
        entry.attempts,
        undefined,
        {
          sentence: `The Base URL changed while the ticket for ${request.elementName} was in doubt: it may already exist on ${sentTo}, so it was not sent to ${this.settings.api.baseUrl}. Check ${sentTo} for this alarm, or use Retry to send it to the new Base URL.`,
        },
      );
      return;
    }
    let outcome: { ok: true; ticketId: string; adopted: boolean } | CallFailure | null = null;
    let createdUnreadable = false;
    if (entry.maybeSent || this.sentThisRun.has(instance)) {
      this.counters.lookupRequests++;
      const found = await this.client.findTicket(config, request);
      this.noteTokenWait(instance, found.waitedForToken);
      if (!found.ok) outcome = found;
      else if (found.ticketId !== null)
        outcome = { ok: true, ticketId: found.ticketId, adopted: true };
    }
    if (outcome === null && !this.closed) {
      // Before the request leaves: from now on, this run looks the alarm up before any resend.
      this.sentThisRun.add(instance);
      if (sentTo === undefined) {
        // Its server from now on (F8). The line is written beside the request, not awaited:
        // a crash before it lands leaves a request that is looked up on the current one.
        entry = { ...entry, baseUrl: config.baseUrl };
        this.sentTo.set(instance, config.baseUrl);
        const pinned = entry;
        this.track(
          this.queue
            .commit([{ key: instance, value: pinned }], { durable: false })
            .catch((error: unknown) => {
              this.logger.warn('Could not save the Base URL of a request; it is kept in memory', {
                instance,
                error: errorText(error),
              });
            }),
        );
      }
      this.counters.createRequests++;
      const created = await this.client.createTicket(config, request, instance);
      this.noteTokenWait(instance, created.waitedForToken);
      outcome = created.ok ? { ok: true, ticketId: created.ticketId, adopted: false } : created;
      if (!created.ok && created.answeredCreated) {
        // "Created", with an answer that cannot be used: find the ticket instead (F11).
        this.counters.lookupRequests++;
        const found = await this.client.findTicket(config, request);
        if (found.ok && found.ticketId !== null) {
          outcome = { ok: true, ticketId: found.ticketId, adopted: false };
        } else {
          createdUnreadable = true;
        }
      }
    }
    // A request may go out while its row is being fsync'd (enqueue); its outcome is recorded
    // only after the operator has been answered, so the rows stay in order.
    const answered = this.enqueueAnswered.get(instance);
    if (answered) await answered;
    // Closed while waiting for Oceane: the request stays queued; the next start looks it up.
    if (this.closed || outcome === null) return;
    const attempts = entry.attempts + 1;
    if (outcome.ok) {
      await this.settleCreated(entry, outcome.ticketId, outcome.adopted, attempts);
      return;
    }
    // Oceane answered that nothing was created (a 4xx, 429): a resend needs no look-up.
    if (!outcome.maybeSent) this.sentThisRun.delete(instance);
    const allowed = 1 + this.settings.element.ticketCreationRetryCount;
    const maybeSent = entry.maybeSent || outcome.maybeSent;
    if (createdUnreadable) {
      await this.settleFailed({ ...entry, maybeSent: true }, outcome.error, attempts, undefined, {
        sentence: `Oceane answered that the ticket for ${request.elementName} was created, but its answer could not be read (${outcome.error.description || outcome.error.message}), and the look-up did not find it yet. The ticket probably exists: Retry looks the alarm up in Oceane and records it instead of creating a second one.`,
      });
      return;
    }
    if (outcome.retryAfterMs !== null && outcome.retryAfterMs > MAX_RETRY_AFTER_MS) {
      const wait = formatHours(outcome.retryAfterMs);
      await this.settleFailed({ ...entry, maybeSent }, outcome.error, attempts, undefined, {
        sentence: `Oceane asked to wait ${wait} before the ticket for ${request.elementName} is sent again (Retry-After), more than a day: the request was not retried. Use Retry when Oceane is available again.`,
      });
      return;
    }
    if (outcome.retryable && attempts < allowed) {
      let delay = retryDelayMs(attempts + 1, this.random, outcome.retryAfterMs);
      // No answer, yet Oceane may still be working on the request (a slow create that outlives
      // the time-out): give it as long again before the look-up, so that the look-up finds
      // that ticket instead of a second one being sent.
      if (outcome.maybeSent && outcome.error.httpStatus === null) {
        delay = Math.max(delay, Math.min(this.timeoutMs(), BACKOFF_CAP_MS));
      }
      const next: QueueEntry = {
        ...entry,
        attempts,
        maybeSent,
        nextAttemptAt: this.clock.now() + delay,
        lastError: shortError(outcome.error),
      };
      this.logger.warn('Ticket attempt failed, will retry', {
        instance,
        attempt: attempts,
        error: next.lastError,
        delayMs: delay,
      });
      // Not fsync'd: after a crash every resumed request is looked up anyway, and only the
      // attempt count and the delay could be lost. A write that fails keeps them in memory
      // (the queue acts on them) and pauses the queue.
      try {
        await this.queue.commit([{ key: instance, value: next }], { durable: false });
        this.unsavedEntries.delete(instance);
      } catch (error) {
        this.unsavedEntries.set(instance, next);
        this.storageFailed(`The retry state could not be saved (${errorText(error)})`, instance);
      }
      this.events.queueChanged();
      return;
    }
    await this.settleFailed({ ...entry, maybeSent }, outcome.error, attempts);
  }

  private async settleCreated(
    entry: QueueEntry,
    ticketId: string,
    adopted: boolean,
    attempts: number,
  ): Promise<void> {
    const { request, instance } = entry;
    const url = buildTicketUrl(
      this.settings.api.ticketUrlTemplate,
      entry.baseUrl ?? this.sentTo.get(instance) ?? this.settings.api.baseUrl,
      ticketId,
    );
    if (url === null) {
      await this.settleFailed(
        { ...entry, maybeSent: true },
        {
          httpStatus: null,
          appCode: '',
          message: 'Unsafe ticket URL',
          description: `Ticket ${ticketId} exists in Oceane, but the ticket URL template does not give an http(s) address; nothing was written on the alarm`,
        },
        attempts,
        undefined,
        {
          sentence: `Ticket ${ticketId} for ${request.elementName} was created in Oceane, but the ticket URL template does not give an http(s) address for it, so nothing was written on the alarm. Correct the template in Settings, then Retry: it finds ticket ${ticketId} instead of creating a second one.`,
        },
      );
      return;
    }
    const before = this.tickets.get(instance) ?? pendingRow(instance, request, entry.enqueuedAt);
    const row: TicketRow = { ...before, status: 'Created', ticketId, ticketUrl: url };
    try {
      await Promise.all([
        // Listeners hear of the Created row as soon as it is on disk (issue 6, target 1);
        // the request leaves the queue only once the alarm properties are on disk too.
        this.tickets
          .commit([{ key: instance, value: row }])
          .then(() => this.events.ticketUpserted(row)),
        this.options.alarmProperties.set(request.dmaId, request.alarmId, {
          [PROPERTY_TICKET_ID]: ticketId,
          [PROPERTY_TICKET_URL]: url,
        }),
      ]);
    } catch (error) {
      this.unsavedOutcomes.set(instance, { kind: 'created', ticketId, adopted, attempts });
      this.keepAfterStorageFailure(entry, attempts, error);
      return;
    }
    this.unsavedOutcomes.delete(instance);
    this.storageWorks();
    this.activeByAlarm.set(alarmKeyString(request), instance);
    await this.dequeue(entry);
    if (adopted) this.counters.ticketsAdopted++;
    else this.counters.ticketsCreated++;
    this.logger.info(adopted ? 'Existing ticket adopted' : 'Ticket created', {
      instance,
      ticketId,
    });
    this.emitNotice(
      'success',
      'Ticket created',
      adopted
        ? `Ticket ${ticketId} for ${request.elementName} was found in Oceane (an earlier attempt had created it)`
        : `Ticket ${ticketId} created for ${request.elementName}`,
      instance,
    );
  }

  private async settleFailed(
    entry: QueueEntry,
    error: OceaneError,
    attempts: number,
    /** The row of an earlier try whose save failed: saved under the same key, not twice. */
    earlierFailedRow?: FailedRequestRow,
    /** The operator's sentence, when failureSentence does not fit. */
    options: { sentence?: string } = {},
  ): Promise<void> {
    const { request, instance } = entry;
    const before = this.tickets.get(instance) ?? pendingRow(instance, request, entry.enqueuedAt);
    const row: TicketRow = { ...before, status: 'Failed' };
    const failedRow: FailedRequestRow = earlierFailedRow ?? {
      instance: randomUUID(),
      ticketInstance: instance,
      httpErrorCode: error.httpStatus,
      appErrorCode: error.appCode,
      errorMessage: error.message,
      errorDescription: error.description,
      failedAt: new Date(this.clock.now()).toISOString(),
    };
    // The Failed Ticket Requests row first, then the Failed status (review F9): a Failed
    // ticket always has its row, and the Retry action with it. Listeners hear of each as
    // soon as it is saved, whatever happens to the other.
    try {
      if (this.failed.get(failedRow.instance) !== failedRow) {
        await this.failed.commit([{ key: failedRow.instance, value: failedRow }]);
        this.events.failedUpserted(failedRow);
      }
      await this.tickets.commit([{ key: instance, value: row }]);
      this.events.ticketUpserted(row);
    } catch (storageError) {
      this.unsavedOutcomes.set(instance, { kind: 'failed', error, attempts, failedRow });
      this.keepAfterStorageFailure(entry, attempts, storageError);
      return;
    }
    this.unsavedOutcomes.delete(instance);
    this.storageWorks();
    const key = alarmKeyString(request);
    if (this.activeByAlarm.get(key) === instance) this.activeByAlarm.delete(key);
    await this.dequeue(entry);
    this.counters.ticketsFailed++;
    const sentence = options.sentence ?? failureSentence(request.elementName, error, attempts);
    this.logger.warn('Ticket request failed', { instance, error: shortError(error) });
    this.emitNotice('error', 'Ticket not created', sentence, instance);
    this.track(this.prune(false));
  }

  /**
   * The outcome could not be saved: the request stays queued with its outcome in memory (it
   * is saved again when the pause ends, without asking Oceane again), and the queue pauses.
   */
  private keepAfterStorageFailure(entry: QueueEntry, attempts: number, error: unknown): void {
    const message = `The outcome could not be saved (${errorText(error)}); the request stays queued`;
    this.storageFailed(message, entry.instance);
    this.unsavedEntries.set(entry.instance, {
      ...entry,
      attempts: Math.max(entry.attempts, attempts),
      maybeSent: true,
      nextAttemptAt: this.storagePausedUntil,
      lastError: message,
    });
    this.events.queueChanged();
  }

  /**
   * A save failed: no request runs for a while (30 s, doubled for each further failure, at
   * most BACKOFF_CAP_MS), and the operator hears of it once, until a save works again.
   */
  private storageFailed(message: string, instance: string): void {
    const first = this.storagePauseMs === 0;
    this.storagePauseMs = first
      ? STORAGE_RETRY_MS
      : Math.min(this.storagePauseMs * 2, BACKOFF_CAP_MS);
    this.storagePausedUntil = this.clock.now() + this.storagePauseMs;
    this.logger.error(message, { instance, pauseMs: this.storagePauseMs });
    if (first) {
      this.emitNotice(
        'error',
        'Storage problem',
        `${message}. Ticket requests are paused until the data folder can be written again: check the free disk space and its permissions.`,
      );
    }
  }

  /** A save worked: a pause caused by failed saves ends. */
  private storageWorks(): void {
    if (this.storagePauseMs === 0) return;
    this.storagePauseMs = 0;
    this.storagePausedUntil = 0;
    this.logger.info('Saving works again; the ticket queue resumes');
  }

  /** Removes a settled request. Not fsynced: if the line is lost, the next start adopts. */
  private async dequeue(entry: QueueEntry): Promise<void> {
    const key = alarmKeyString(entry.request);
    if (this.queuedByAlarm.get(key) === entry.instance) this.queuedByAlarm.delete(key);
    this.waitedForToken.delete(entry.instance);
    try {
      await this.queue.commit([{ key: entry.instance, delete: true }], { durable: false });
      this.unsavedEntries.delete(entry.instance);
      this.sentThisRun.delete(entry.instance);
      this.sentTo.delete(entry.instance);
    } catch (error) {
      // Still in the queue file: its settled row makes the next turn remove it again.
      this.storageFailed(
        `A settled request could not be removed from the queue file (${errorText(error)})`,
        entry.instance,
      );
    }
    this.events.queueChanged();
  }

  // ---- retention --------------------------------------------------------------------------

  /** Prunes both tables now, checking every row. */
  async pruneNow(): Promise<void> {
    await this.prune(true);
  }

  private async prune(fullScan: boolean): Promise<void> {
    if (this.closed) return;
    const limits = {
      durationDays: this.settings.element.ticketStorageDurationDays,
      countLimit: this.settings.element.ticketStorageCountLimit,
    };
    const nowMs = this.clock.now();
    const ticketKeys = selectPrunable<TicketRow>({
      entries: () => entriesOf(this.tickets),
      size: this.tickets.size,
      limits,
      nowMs,
      timeOf: (row) => Date.parse(row.createdAt),
      isProtected: (row) => row.status === 'Pending' || this.queue.has(row.instance),
      fullScan,
    });
    const failedKeys = selectPrunable<FailedRequestRow>({
      entries: () => entriesOf(this.failed),
      size: this.failed.size,
      limits,
      nowMs,
      timeOf: (row) => Date.parse(row.failedAt),
      isProtected: () => false,
      fullScan,
    });
    if (ticketKeys.length === 0 && failedKeys.length === 0) return;
    for (const key of ticketKeys) {
      const row = this.tickets.get(key);
      if (row) {
        const alarm = alarmKeyString(row);
        if (this.activeByAlarm.get(alarm) === key) this.activeByAlarm.delete(alarm);
      }
      this.events.ticketRemoved(key);
    }
    for (const key of failedKeys) this.events.failedRemoved(key);
    // Pruning is redone at the next start if these lines are lost: no fsync needed.
    const results = await Promise.allSettled([
      this.tickets.commit(
        ticketKeys.map((key) => ({ key, delete: true as const })),
        { durable: false },
      ),
      this.failed.commit(
        failedKeys.map((key) => ({ key, delete: true as const })),
        { durable: false },
      ),
    ]);
    for (const r of results) {
      if (r.status === 'rejected')
        this.logger.warn('Pruning could not be saved', { error: errorText(r.reason) });
    }
    if (ticketKeys.length + failedKeys.length > 0) {
      this.logger.info('Pruned old rows', {
        tickets: ticketKeys.length,
        failed: failedKeys.length,
      });
    }
  }

  private scheduleHourlyPrune(): void {
    if (this.closing) return;
    this.hourlyTimer = this.clock.setTimeout(() => {
      this.hourlyTimer = null;
      this.track(this.prune(true));
      this.scheduleHourlyPrune();
    }, HOUR_MS);
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private track(promise: Promise<unknown>): void {
    const tracked = promise.catch((error: unknown) => {
      this.logger.error('Background task failed', { error: errorText(error) });
    });
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }

  private makeNotice(level: Notice['level'], title: string, message: string): Notice {
    return {
      id: randomUUID(),
      level,
      title,
      message,
      at: new Date(this.clock.now()).toISOString(),
    };
  }

  private emitNotice(
    level: Notice['level'],
    title: string,
    message: string,
    ticketInstance?: string,
  ): void {
    const notice = this.makeNotice(level, title, message);
    this.events.notice(ticketInstance === undefined ? notice : { ...notice, ticketInstance });
  }

  private isQuiet(): boolean {
    return this.loop === null && this.notYetDurable.size === 0;
  }

  private checkQuiet(): void {
    if (!this.isQuiet() && !this.closing) return;
    const waiters = this.quietWaiters;
    this.quietWaiters = [];
    for (const resolve of waiters) resolve();
    if (!this.isIdle() && !this.closing) return;
    const idle = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of idle) resolve();
  }

  /**
   * Resolves when nothing is being processed and no request is ready to run: the queue is
   * empty, or every request waits for its retry delay (tests then move their fake clock).
   */
  whenQuiet(): Promise<void> {
    if (this.isQuiet()) return Promise.resolve();
    return new Promise((resolve) => this.quietWaiters.push(resolve));
  }

  /** Resolves when the queue is empty and nothing is in flight (tests). */
  async whenIdle(): Promise<void> {
    for (;;) {
      if (!this.isIdle() && !this.closing) {
        await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      }
      await Promise.all([...this.background, this.tokens.settled()]);
      if (this.isIdle() || this.closing) {
        // Listeners hear the last changes before the caller looks.
        this.events.flush();
        return;
      }
    }
  }

  private isIdle(): boolean {
    return this.isQuiet() && this.queue.size === 0;
  }

  /**
   * Stops timers and processing. An in-flight request may finish within `closeWaitMs`;
   * otherwise it is cancelled and stays queued (the next start looks it up before sending).
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.wakeTimer !== null) this.clock.clearTimeout(this.wakeTimer);
    if (this.hourlyTimer !== null) this.clock.clearTimeout(this.hourlyTimer);
    this.wakeTimer = null;
    this.hourlyTimer = null;
    this.tokens.close();
    const loop = this.loop;
    if (loop) {
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.options.closeWaitMs ?? 5000);
      });
      await Promise.race([loop, waited]);
      clearTimeout(timer);
    }
    this.closed = true;
    this.abort.abort();
    if (this.loop) await this.loop;
    await Promise.all([...this.background]);
    this.events.flush();
    await Promise.all([this.tickets.close(), this.failed.close(), this.queue.close()]);
    this.checkQuiet();
    this.logger.info('Connector closed', { queued: this.queue.size });
  }
}
