/**
 * The seed's tables: Tickets, Failed Ticket Requests and the Pending Ticket Creation Queue, with
 * the indexes by alarm, the reconciliation after a crash, and retention (Ticket Storage Duration
 * and Count Limits; a pending request is never pruned). Each queue entry carries its request's
 * state-machine state (ticket-request-machine.ts).
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import {
  PRIORITIES,
  TECHNICAL_IMPACTS,
  TICKET_STATUSES,
  URGENCIES,
  alarmKeyString,
  type CreateTicketRequest,
  type FailedRequestRow,
  type TicketRow,
} from '../../shared/domain.js';
import { isRecord } from '../../shared/guards.js';
import { createTicketRequestSchema } from '../../shared/schemas.js';
import { JournalTable, type JournalRecovery } from '../storage/journal-table.js';
import type { Logger } from './ports.js';
import { selectPrunable, type RetentionLimits } from './retention.js';
import {
  newRequestState,
  step,
  unknownSendState,
  type RequestState,
  type StepContext,
} from './ticket-request-machine.js';

/** A queued request as stored in queue.jsonl. */
export interface QueueEntry {
  instance: string;
  request: CreateTicketRequest;
  enqueuedAt: string;
  /** Where the request is in its life (what the app knows about Oceane). */
  state: RequestState;
}

/** A queue line written by an earlier version (before the state machine). */
interface LegacyQueueEntry {
  instance: string;
  request: CreateTicketRequest;
  enqueuedAt: string;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  maybeSent: boolean;
  baseUrl?: string;
}

/** Names of the journal files inside the data folder. */
export const DATA_FILES = {
  tickets: 'tickets.jsonl',
  failed: 'failed-requests.jsonl',
  queue: 'queue.jsonl',
} as const;

/** A write to one of the journals. */
export type TableOp<T> = { key: string; value: T } | { key: string; delete: true };

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

function isStoredQueueEntry(value: unknown): value is QueueEntry | LegacyQueueEntry {
  if (!isRecord(value)) return false;
  if (typeof value.instance !== 'string' || typeof value.enqueuedAt !== 'string') return false;
  if (!createTicketRequestSchema.safeParse(value.request).success) return false;
  if (isRecord(value.state)) return typeof value.state.phase === 'string';
  return (
    typeof value.attempts === 'number' &&
    (value.nextAttemptAt === null || typeof value.nextAttemptAt === 'number') &&
    (value.lastError === null || typeof value.lastError === 'string') &&
    typeof value.maybeSent === 'boolean' &&
    (value.baseUrl === undefined || typeof value.baseUrl === 'string')
  );
}

/** The state of a queue line of either version: older lines may have been sent. */
function stateOf(entry: QueueEntry | LegacyQueueEntry): RequestState {
  if ('state' in entry) return entry.state;
  const lastError =
    entry.lastError === null
      ? null
      : { httpStatus: null, appCode: '', message: entry.lastError, description: '' };
  const base = entry.maybeSent ? unknownSendState() : newRequestState(true);
  return {
    ...base,
    createAttempts: entry.attempts,
    nextAt: entry.nextAttemptAt,
    baseUrl: entry.baseUrl ?? null,
    lastError,
  };
}

/** The request a stored row was made from. */
export function requestFromRow(row: TicketRow): CreateTicketRequest {
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

/** The Tickets row of a request just queued. */
export function pendingRow(
  instance: string,
  request: CreateTicketRequest,
  createdAt: string,
): TicketRow {
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

/** What reconcile() found: rows whose alarm properties may be missing, failed rows to add. */
export interface Reconciled {
  settledCreated: TicketRow[];
}

/** The three tables and their indexes by alarm. */
export class TicketTables {
  /** Alarm key -> instance of its Pending or Created row. */
  readonly activeByAlarm = new Map<string, string>();
  /** Alarm key -> instance of its queued request. */
  readonly queuedByAlarm = new Map<string, string>();

  private constructor(
    readonly tickets: JournalTable<TicketRow>,
    readonly failed: JournalTable<FailedRequestRow>,
    readonly queue: JournalTable<QueueEntry>,
    /** Damaged files moved aside at open: [table name, recovery, unit]. */
    readonly recoveries: [string, JournalRecovery, string][],
  ) {}

  /** Opens the journals of the data folder, moving damaged files aside. */
  static async open(dataDir: string): Promise<TicketTables> {
    const [tickets, failed, queue] = await Promise.all([
      JournalTable.open<TicketRow>(path.join(dataDir, DATA_FILES.tickets), {
        validate: isTicketRow,
      }),
      JournalTable.open<FailedRequestRow>(path.join(dataDir, DATA_FILES.failed), {
        validate: isFailedRow,
      }),
      // Lines of the earlier version are rewritten by reconcile() before anything else reads.
      JournalTable.open<QueueEntry>(path.join(dataDir, DATA_FILES.queue), {
        validate: isStoredQueueEntry as (value: unknown) => value is QueueEntry,
      }),
    ]);
    const recoveries: [string, JournalRecovery, string][] = [];
    if (tickets.recovery) recoveries.push(['Tickets table', tickets.recovery, 'rows']);
    if (failed.recovery) recoveries.push(['Failed Ticket Requests table', failed.recovery, 'rows']);
    if (queue.recovery) recoveries.push(['Pending ticket queue', queue.recovery, 'requests']);
    return new TicketTables(tickets, failed, queue, recoveries);
  }

  /**
   * Makes the tables and the queue agree after a crash: a queued request without its row gets
   * its Pending row back; a Pending row without its request is queued again (as possibly
   * sent); a request whose row is already settled leaves the queue. Every resumed request gets
   * the machine's "restarted" event: one that may have been sent waits until its last send plus
   * the time-out before its look-up.
   */
  async reconcile(ctx: StepContext, nowIso: string, logger: Logger): Promise<Reconciled> {
    const ticketOps: TableOp<TicketRow>[] = [];
    const queueOps: TableOp<QueueEntry>[] = [];
    const settledCreated: TicketRow[] = [];
    const settledFailed: QueueEntry[] = [];
    const restarted = (state: RequestState): RequestState =>
      step(state, { type: 'restarted' }, ctx).state;
    for (const stored of this.queue.values()) {
      const entry: QueueEntry = {
        instance: stored.instance,
        request: stored.request,
        enqueuedAt: stored.enqueuedAt,
        state: stateOf(stored),
      };
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
      queueOps.push({ key: entry.instance, value: { ...entry, state: restarted(entry.state) } });
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
            state: restarted(unknownSendState()),
          },
        });
      }
    }
    // A Failed ticket keeps a Failed Ticket Requests row, and so its Retry action (review F9).
    const failedOps = this.missingFailedRows(settledFailed, nowIso);
    // In memory at once; on disk without waiting for fsync (a lost line is re-derived).
    const results = await Promise.allSettled([
      this.tickets.commit(ticketOps, { durable: false }),
      this.failed.commit(failedOps),
      this.queue.commit(queueOps, { durable: false }),
    ]);
    for (const entry of this.queue.values()) {
      this.queuedByAlarm.set(alarmKeyString(entry.request), entry.instance);
    }
    for (const r of results) {
      if (r.status === 'rejected')
        logger.warn('Could not save the reconciled queue', { error: String(r.reason) });
    }
    return { settledCreated };
  }

  /** Failed Ticket Requests rows for settled Failed requests that have none (older files). */
  private missingFailedRows(entries: QueueEntry[], nowIso: string): TableOp<FailedRequestRow>[] {
    if (entries.length === 0) return [];
    const withRow = new Set<string>();
    for (const failed of this.failed.values()) withRow.add(failed.ticketInstance);
    const ops: TableOp<FailedRequestRow>[] = [];
    for (const entry of entries) {
      if (withRow.has(entry.instance)) continue;
      const value: FailedRequestRow = {
        instance: randomUUID(),
        ticketInstance: entry.instance,
        httpErrorCode: null,
        appErrorCode: '',
        errorMessage: 'Failed before the app stopped',
        errorDescription:
          entry.state.lastError?.message ??
          'The details of this failure were not saved before the app stopped; Retry looks the alarm up in Oceane, then sends the request again if needed',
        failedAt: nowIso,
      };
      ops.push({ key: value.instance, value });
    }
    return ops;
  }

  /**
   * Rows beyond the storage limits, in both tables (a pending request is never pruned), removed
   * from memory at once and from disk without fsync (pruning is redone at the next start).
   */
  prune(
    limits: RetentionLimits,
    nowMs: number,
    fullScan: boolean,
  ): {
    ticketKeys: string[];
    failedKeys: string[];
    written: Promise<PromiseSettledResult<void>[]>;
  } {
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
    for (const key of ticketKeys) {
      const row = this.tickets.get(key);
      if (!row) continue;
      const alarm = alarmKeyString(row);
      if (this.activeByAlarm.get(alarm) === key) this.activeByAlarm.delete(alarm);
    }
    const written =
      ticketKeys.length + failedKeys.length === 0
        ? Promise.resolve([])
        : Promise.allSettled([
            this.tickets.commit(
              ticketKeys.map((key) => ({ key, delete: true as const })),
              { durable: false },
            ),
            this.failed.commit(
              failedKeys.map((key) => ({ key, delete: true as const })),
              { durable: false },
            ),
          ]);
    return { ticketKeys, failedKeys, written };
  }

  /** Closes the journals. */
  async close(): Promise<void> {
    await Promise.all([this.tickets.close(), this.failed.close(), this.queue.close()]);
  }
}
