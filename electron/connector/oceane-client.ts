/**
 * The ticket calls of oceane-api.md (create, section 2; find by alarm, section 3), each
 * reduced to a result the queue can act on: the ticket id, or a failure that says whether to
 * retry, whether the ticket may exist anyway, and how long the server asked us to wait.
 * A 401 with code 40, 41 or 42 drops the token, renews it once and resends (not a retry).
 */
import type { CreateTicketRequest, OceaneError } from '../../shared/domain.js';
import { httpExchange, type HttpOutcome, type HttpRequest } from './http-exchange.js';
import type { HttpTransport } from './http-transport.js';
import {
  errorFromAnswer,
  isTokenRejection,
  noAnswerError,
  parseCreatedTicket,
  parseSearchResult,
} from './oceane-responses.js';
import type { Clock } from './ports.js';
import { UNKNOWN_OUTCOME_STATUSES, isRetryableStatus, parseRetryAfter } from './retry-policy.js';
import {
  TROUBLE_TICKET_PATH,
  alarmExternalId,
  createHeaders,
  searchUrl,
  toTroubleTicket,
  type OtherTicketAlarm,
} from './tmf621-mapping.js';
import type { TokenClient } from './token-client.js';

/** A call that did not give a usable answer. */
export interface CallFailure {
  ok: false;
  error: OceaneError;
  /** Another attempt may succeed (no answer, time-out, 408, 429, 5xx of section 5). */
  retryable: boolean;
  /** The ticket may have been created although no usable answer came back. */
  maybeSent: boolean;
  /** The server's Retry-After, in ms, when it gave one. */
  retryAfterMs: number | null;
  waitedForToken: boolean;
  /** Oceane answered 2xx to a create, but its answer could not be used (review F11). */
  answeredCreated?: boolean;
}

/** Outcome of a create call. */
export type CreateCallResult =
  { ok: true; ticketId: string; waitedForToken: boolean } | CallFailure;
/** Outcome of a search: the alarm's ticket in Oceane, or null when it has none. */
export type FindCallResult =
  { ok: true; ticketId: string | null; waitedForToken: boolean } | CallFailure;

/** What each call needs from the settings, read at call time. */
export interface CallConfig {
  baseUrl: string;
  userId: string;
  timeoutMs: number;
  /** The fetch and User-Agent (Electron's net.fetch in the app). */
  transport?: HttpTransport;
}

/** An exchange made with a token, or the failure to get one. */
export type Exchange = { ok: true; outcome: HttpOutcome; waitedForToken: boolean } | CallFailure;

/**
 * What one ticket call got from Oceane, for the integration health light (electron/health/):
 * the HTTP answer or its absence, or the token that could not be had.
 */
export type CallReport =
  | { kind: 'answer'; status: number; message: string }
  | { kind: 'no-answer'; message: string }
  | { kind: 'token-failed'; error: OceaneError };

/** Speaks the ticket routes of the API profile. */
export class OceaneClient {
  constructor(
    private readonly tokens: TokenClient,
    private readonly clock: Clock,
    readonly signal?: AbortSignal,
    private readonly report: (call: CallReport) => void = () => undefined,
  ) {}

  /**
   * POST a new ticket for the request (X-Request-ID = instance); with `otherAlarms`, one
   * ticket for several alarms (section 7.6).
   */
  async createTicket(
    config: CallConfig,
    request: CreateTicketRequest,
    instance: string,
    otherAlarms: readonly OtherTicketAlarm[] = [],
  ): Promise<CreateCallResult> {
    const body = JSON.stringify(toTroubleTicket(request, config.userId, otherAlarms));
    const exchange = await this.authorized((token) => ({
      url: `${config.baseUrl}${TROUBLE_TICKET_PATH}`,
      method: 'POST',
      headers: createHeaders(token, instance),
      body,
      timeoutMs: config.timeoutMs,
      signal: this.signal,
      transport: config.transport,
    }));
    if (!exchange.ok) return exchange;
    const { outcome, waitedForToken } = exchange;
    if (outcome.kind === 'answer' && (outcome.status === 201 || outcome.status === 200)) {
      const parsed = parseCreatedTicket(outcome);
      if (parsed.ok) return { ok: true, ticketId: parsed.id, waitedForToken };
      // Oceane said "created" but the answer is unusable: the ticket probably exists, so it
      // is not sent again; the connector looks the alarm up to adopt it.
      return {
        ...this.failure(parsed.error, false, true, null, waitedForToken),
        answeredCreated: true,
      };
    }
    return this.failureOf(outcome, waitedForToken);
  }

  /** GET the tickets of an alarm (section 3) and return the one that carries its key. */
  async findTicket(
    config: CallConfig,
    key: { dmaId: string; alarmId: string },
  ): Promise<FindCallResult> {
    const exchange = await this.authorized((token) => ({
      url: searchUrl(config.baseUrl, key),
      method: 'GET',
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      timeoutMs: config.timeoutMs,
      signal: this.signal,
      transport: config.transport,
    }));
    if (!exchange.ok) return exchange;
    const { outcome, waitedForToken } = exchange;
    if (outcome.kind === 'answer' && outcome.status === 200) {
      const parsed = parseSearchResult(outcome, alarmExternalId(key));
      if (parsed.ok) return { ok: true, ticketId: parsed.id, waitedForToken };
      return this.failure(parsed.error, false, true, null, waitedForToken);
    }
    const failure = this.failureOf(outcome, waitedForToken);
    // A search creates nothing, but the ticket it looks for may still exist.
    return { ...failure, maybeSent: true };
  }

  /** A failure with its flags (shared with the calls of section 7). */
  failure(
    error: OceaneError,
    retryable: boolean,
    maybeSent: boolean,
    retryAfterMs: number | null,
    waitedForToken: boolean,
  ): CallFailure {
    return { ok: false, error, retryable, maybeSent, retryAfterMs, waitedForToken };
  }

  /** The failure of an exchange that got no answer or an unusable one (section 4). */
  failureOf(outcome: HttpOutcome, waitedForToken: boolean): CallFailure {
    if (outcome.kind === 'no-answer') {
      return this.failure(
        noAnswerError(outcome.message),
        true,
        outcome.maybeSent,
        null,
        waitedForToken,
      );
    }
    return this.failure(
      errorFromAnswer(outcome),
      isRetryableStatus(outcome.status),
      UNKNOWN_OUTCOME_STATUSES.has(outcome.status),
      parseRetryAfter(outcome.headers.get('retry-after'), this.clock.now()),
      waitedForToken,
    );
  }

  /**
   * One exchange with a Bearer token: a token refused with 401 code 40, 41 or 42 is renewed
   * once and the request sent again (not a retry). Used by the calls of section 7 too.
   */
  async authorized(build: (token: string) => HttpRequest): Promise<Exchange> {
    const first = await this.tokens.get();
    if (!first.ok) return this.tokenFailure(first, first.retryable);
    let waitedForToken = first.waited;
    let outcome = await httpExchange(build(first.token));
    if (outcome.kind === 'answer' && isTokenRejection(outcome)) {
      // Stale or revoked token: renew once and resend; a second refusal is final.
      this.tokens.invalidateToken(first.token);
      const second = await this.tokens.get();
      if (!second.ok) return this.tokenFailure(second, second.retryable);
      waitedForToken ||= second.waited;
      outcome = await httpExchange(build(second.token));
    }
    this.report(
      outcome.kind === 'answer'
        ? {
            kind: 'answer',
            status: outcome.status,
            message: outcome.status < 300 ? '' : errorFromAnswer(outcome).message,
          }
        : { kind: 'no-answer', message: outcome.message },
    );
    return { ok: true, outcome, waitedForToken };
  }

  private tokenFailure(
    result: { error: OceaneError; waited?: boolean },
    retryable: boolean,
  ): CallFailure {
    this.report({ kind: 'token-failed', error: result.error });
    const error: OceaneError = {
      ...result.error,
      message: `Authentication failed: ${result.error.message}`,
    };
    return this.failure(error, retryable, false, null, true);
  }
}
