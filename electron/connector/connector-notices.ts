/**
 * What the operator is told: notices (start-up recoveries, tickets created or failed, storage
 * problems) and the sentences that say why a ticket could not be created, naming the call that
 * failed (the create or the look-up, issue 10) and whether the ticket may exist anyway.
 */
import { randomUUID } from 'node:crypto';
import type { Notice, OceaneError } from '../../shared/domain.js';
import type { LegacyImport } from '../storage/sql-table.js';
import type { StoreRecovery } from '../storage/sqlite-database.js';
import type { EventBatcher } from './event-batcher.js';
import type { Clock, Logger } from './ports.js';
import { BACKOFF_CAP_MS } from './retry-policy.js';
import type { RequestFailure } from './ticket-request-machine.js';

/** First pause of the queue after a save failed; doubled for each further failure. */
const STORAGE_RETRY_MS = 30_000;

/** One line for the Debug page and the logs: "503 Service Unavailable (code 5)". */
export function shortError(error: OceaneError): string {
  const status = error.httpStatus === null ? '' : `${error.httpStatus} `;
  const code = error.appCode ? ` (code ${error.appCode})` : '';
  return `${status}${error.message}${code}`.trim();
}

/** The message of an error of any kind. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** "30 hours", "2 days": a long wait in words. */
function formatHours(ms: number): string {
  const hours = Math.round(ms / 3_600_000);
  return hours >= 48 ? `${Math.round(hours / 24)} days` : `${hours} hours`;
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

/** The notice of a created ticket (`viaLookup`: found in Oceane; `before`: not by this request). */
export function createdSentence(
  ticketId: string,
  request: { elementName: string; otherAlarms?: readonly unknown[] },
  viaLookup: boolean,
  before: boolean,
): string {
  const others = request.otherAlarms?.length ?? 0;
  const what = `${request.elementName}${others > 0 ? ` and ${others} other alarm${others === 1 ? '' : 's'}` : ''}`;
  if (!viaLookup) return `Ticket ${ticketId} created for ${what}`;
  return before
    ? `Ticket ${ticketId} for ${what} was found in Oceane (created before this request) and recorded`
    : `Ticket ${ticketId} for ${what} was found in Oceane (an earlier attempt had created it)`;
}

/** A ticket created in Oceane whose URL the template cannot give: failed, and why. */
export function unsafeUrlFailure(
  ticketId: string,
  elementName: string,
): { failure: RequestFailure; sentence: string } {
  return {
    failure: {
      stage: 'create',
      reason: 'refused',
      error: {
        httpStatus: null,
        appCode: '',
        message: 'Unsafe ticket URL',
        description: `Ticket ${ticketId} exists in Oceane, but the ticket URL template does not give an http(s) address; nothing was written on the alarm`,
      },
      inDoubt: true,
    },
    sentence: `Ticket ${ticketId} for ${elementName} was created in Oceane, but the ticket URL template does not give an http(s) address for it, so nothing was written on the alarm. Correct the template in Settings, then Retry: it finds ticket ${ticketId} instead of creating a second one.`,
  };
}

/** The operator's sentence for a failure the state machine settled. */
export function settledFailureSentence(
  elementName: string,
  failure: RequestFailure,
  attempts: number,
  baseUrlNow: string,
): string {
  const { error } = failure;
  switch (failure.reason) {
    case 'base-url-changed':
      return `The Base URL changed while the ticket for ${elementName} was in doubt: it may already exist on ${failure.sentTo ?? 'the old server'}, so it was not sent to ${baseUrlNow}. Check ${failure.sentTo ?? 'the old server'} for this alarm, or use Retry to send it to the new Base URL.`;
    case 'created-unreadable':
      return `Oceane answered that the ticket for ${elementName} was created, but its answer could not be read (${error.description || error.message}), and the look-up did not find it yet. The ticket probably exists: Retry looks the alarm up in Oceane and records it instead of creating a second one.`;
    case 'retry-after-too-long': {
      const wait = formatHours(failure.retryAfterMs ?? 0);
      const call = failure.stage === 'lookup' ? 'looked up' : 'sent';
      return `Oceane asked to wait ${wait} before the ticket for ${elementName} is ${call} again (Retry-After), more than a day: the request was not retried. Use Retry when Oceane is available again.`;
    }
    case 'lookups-exhausted': {
      const doubt = failure.inDoubt
        ? ' An earlier create may have reached Oceane: Retry looks the alarm up first.'
        : ' No ticket was sent; use Retry when Oceane answers again.';
      return `The look-up of the alarm in Oceane failed, so the ticket for ${elementName} was not sent: ${shortError(error)}.${doubt}`;
    }
    default:
      return failureSentence(elementName, error, attempts);
  }
}

/** Makes notices and sends them to the renderer. */
export class ConnectorNotices {
  /** What the operator should know about the start (files recovered, settings reset). */
  readonly atStart: Notice[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly events: EventBatcher,
  ) {}

  /** A notice stamped with the clock's time. */
  make(level: Notice['level'], title: string, message: string): Notice {
    return {
      id: randomUUID(),
      level,
      title,
      message,
      at: new Date(this.clock.now()).toISOString(),
    };
  }

  /** Sends a notice to the renderer now; a ticket's notice names its request (one toast each). */
  emit(level: Notice['level'], title: string, message: string, ticketInstance?: string): void {
    const notice = this.make(level, title, message);
    this.events.notice(ticketInstance === undefined ? notice : { ...notice, ticketInstance });
  }
}

/**
 * The pause of the queue while saves fail: no request runs for a while (30 s, doubled for each
 * further failure, at most BACKOFF_CAP_MS), and the operator hears of it once, until a save
 * works again.
 */
export class StoragePause {
  private pausedUntil = 0;
  private pauseMs = 0;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly notices: ConnectorNotices,
  ) {}

  /** No request may run before this time (ms since the epoch; 0: storage works). */
  get until(): number {
    return this.pausedUntil;
  }

  /** A save failed. */
  failed(message: string, instance: string): void {
    const first = this.pauseMs === 0;
    this.pauseMs = first ? STORAGE_RETRY_MS : Math.min(this.pauseMs * 2, BACKOFF_CAP_MS);
    this.pausedUntil = this.clock.now() + this.pauseMs;
    this.logger.error(message, { instance, pauseMs: this.pauseMs });
    if (first) {
      this.notices.emit(
        'error',
        'Storage problem',
        `${message}. Ticket requests are paused until the data folder can be written again: check the free disk space and its permissions.`,
      );
    }
  }

  /** A save worked: a pause caused by failed saves ends. */
  works(): void {
    if (this.pauseMs === 0) return;
    this.pauseMs = 0;
    this.pausedUntil = 0;
    this.logger.info('Saving works again; the ticket queue resumes');
  }
}

/** What the operator hears at start about the store: a damaged database, journals imported. */
export function storeStartNotices(
  recovery: StoreRecovery | null,
  imports: [string, LegacyImport, string][],
): { level: Notice['level']; title: string; message: string }[] {
  const result: { level: Notice['level']; title: string; message: string }[] = [];
  if (recovery) {
    const { file, movedTo, cause } = recovery;
    result.push({
      level: 'warning',
      title: 'Database kept aside',
      message: `The database ${file} could not be read (${cause}): it was kept aside as ${movedTo} and a new one started. The tickets it held are not shown; keep the file for support.`,
    });
  }
  for (const [what, imported, unit] of imports) {
    const lost =
      imported.badLines > 0
        ? `; ${imported.badLines === 1 ? '1 damaged line' : `${imported.badLines} damaged lines`} could not be read and stay in the old file`
        : '';
    result.push({
      level: imported.badLines > 0 ? 'warning' : 'info',
      title: `${what} imported`,
      message: `${what}: ${imported.rows} ${unit} imported from ${imported.file} into the database, the old file kept as ${imported.movedTo}${lost}.`,
    });
  }
  return result;
}
