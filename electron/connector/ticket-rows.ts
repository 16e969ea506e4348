/**
 * The rows of the seed's tables as the SQL store keeps them: the shape checks of rows read
 * from the journals of the earlier release, the queue entry with its request's state-machine
 * state (and the queue lines written before the state machine), and the real columns each
 * table indexes (alarm key, status, the sort and filter columns of shared/table-page.ts).
 */
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
import { FAILED_FILTER_COLUMNS, TICKET_FILTER_COLUMNS } from '../../shared/table-page.js';
import type { SqlTableSpec } from '../storage/sql-table.js';
import { newRequestState, unknownSendState, type RequestState } from './ticket-request-machine.js';

/** A queued request as stored in the queue table. */
export interface QueueEntry {
  instance: string;
  request: CreateTicketRequest;
  enqueuedAt: string;
  /** Where the request is in its life (what the app knows about Oceane). */
  state: RequestState;
}

/** A queue line written by an earlier version (before the state machine). */
export interface LegacyQueueEntry {
  instance: string;
  request: CreateTicketRequest;
  enqueuedAt: string;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  maybeSent: boolean;
  baseUrl?: string;
}

/** Names of the journal files of the release before the SQL store (imported once). */
export const DATA_FILES = {
  tickets: 'tickets.jsonl',
  failed: 'failed-requests.jsonl',
  queue: 'queue.jsonl',
} as const;

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
export function isTicketRow(value: unknown): value is TicketRow {
  if (!isRecord(value)) return false;
  for (const field of TICKET_STRING_FIELDS) if (typeof value[field] !== 'string') return false;
  return (
    STATUS_SET.has(value.status as string) &&
    PRIORITY_SET.has(value.priority as string) &&
    URGENCY_SET.has(value.urgency as string) &&
    IMPACT_SET.has(value.technicalImpact as string)
  );
}

export function isFailedRow(value: unknown): value is FailedRequestRow {
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

export function isStoredQueueEntry(value: unknown): value is QueueEntry | LegacyQueueEntry {
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
export function stateOf(entry: QueueEntry | LegacyQueueEntry): RequestState {
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
  if (row.otherAlarms?.length) {
    request.otherAlarms = row.otherAlarms as NonNullable<CreateTicketRequest['otherAlarms']>;
  }
  return request;
}

/** The Tickets row of a request just queued (a group's other alarms with it, issue 11). */
export function pendingRow(
  instance: string,
  request: CreateTicketRequest,
  createdAt: string,
): TicketRow {
  const group = request.otherAlarms?.length ? { otherAlarms: request.otherAlarms } : {};
  return {
    ...group,
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

/** Lower-cased filter columns, one search text (U+001F between columns: no match spans two). */
function searchText(values: (string | number | null)[]): string {
  return values.map((v) => (v === null ? '' : String(v)).toLowerCase()).join('\u001f');
}

/** The Tickets table. */
export const TICKETS_SPEC: SqlTableSpec<TicketRow> = {
  table: 'tickets',
  legacyFile: DATA_FILES.tickets,
  validate: isTicketRow,
  columns: (row) => ({
    alarm_key: alarmKeyString(row),
    status: row.status,
    created_at: row.createdAt,
    ticket_id: row.ticketId,
    element_name: row.elementName,
    alarm_id: row.alarmId,
    priority: row.priority,
    urgency: row.urgency,
    technical_impact: row.technicalImpact,
    search: searchText(TICKET_FILTER_COLUMNS.map((c) => row[c])),
  }),
};

/** The Failed Ticket Requests table. */
export const FAILED_SPEC: SqlTableSpec<FailedRequestRow> = {
  table: 'failed_requests',
  legacyFile: DATA_FILES.failed,
  validate: isFailedRow,
  columns: (row) => ({
    ticket_instance: row.ticketInstance,
    failed_at: row.failedAt,
    http_error_code: row.httpErrorCode,
    app_error_code: row.appErrorCode,
    error_message: row.errorMessage,
    failed_call: row.failedCall ?? '',
    search: searchText(FAILED_FILTER_COLUMNS.map((c) => row[c])),
  }),
};

/** The queue (small: held in memory too). Lines of the earlier version are rewritten by reconcile. */
export const QUEUE_SPEC: SqlTableSpec<QueueEntry> = {
  table: 'queue',
  legacyFile: DATA_FILES.queue,
  validate: isStoredQueueEntry as (value: unknown) => value is QueueEntry,
  cached: true,
  // By alarm in memory: the file keeps no alarm index of the queue on one console (migration 8).
  cacheIndex: (entry) => alarmKeyString(entry.request),
  columns: (entry) => ({ alarm_key: alarmKeyString(entry.request) }),
};

/** A new request's row with the alarm's parameter and severity, when the operator's had them. */
export function withAlarmFacts(row: TicketRow, request: CreateTicketRequest): TicketRow {
  const facts: Pick<TicketRow, 'parameter' | 'severity'> = {};
  if (request.parameter !== undefined) facts.parameter = request.parameter;
  if (request.severity !== undefined) facts.severity = request.severity;
  return { ...row, ...facts };
}

/** The parameter, severity and attempts of a ticket row, for its Failed Ticket Requests row. */
export function alarmFactsOf(
  row: TicketRow,
): Pick<FailedRequestRow, 'parameter' | 'severity' | 'attempts'> {
  const facts: Pick<FailedRequestRow, 'parameter' | 'severity' | 'attempts'> = {};
  if (row.parameter !== undefined) facts.parameter = row.parameter;
  if (row.severity !== undefined) facts.severity = row.severity;
  if (row.attempts !== undefined) facts.attempts = row.attempts;
  return facts;
}
