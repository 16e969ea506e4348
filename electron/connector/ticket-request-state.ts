/**
 * The states, events and effects of the ticket request machine (ticket-request-machine.ts, whose
 * header holds the table of transitions), and the small readers the driver and the queue use.
 */
import type { OceaneError } from '../../shared/domain.js';

/** Where a request is in its life; see the header for what each says about Oceane. */
export type RequestPhase =
  'new' | 'sending' | 'maybe-sent' | 'looking-up' | 'waiting-for-retry' | 'created' | 'failed';

/** Why a look-up is made: the existing-ticket check, a create in doubt, an unreadable 2xx. */
export type LookupPurpose = 'check' | 'doubt' | 'unreadable';

/** Why a request failed; the driver turns it into the operator's sentence. */
export type FailureReason =
  | 'refused'
  | 'retries-exhausted'
  | 'retry-after-too-long'
  | 'base-url-changed'
  | 'created-unreadable'
  | 'lookups-exhausted';

/** A settled failure: which call failed, why, and whether the ticket may exist anyway. */
export interface RequestFailure {
  stage: 'create' | 'lookup';
  reason: FailureReason;
  error: OceaneError;
  inDoubt: boolean;
  /** For base-url-changed: the URL the request was sent to. */
  sentTo?: string;
  /** For retry-after-too-long: the wait Oceane asked for. */
  retryAfterMs?: number;
}

/** Everything the machine knows of one request; the driver stores it with the queue entry. */
export interface RequestState {
  phase: RequestPhase;
  /** Creates sent since the request was queued or Retry was pressed. */
  createAttempts: number;
  /** Look-ups that failed in a row. */
  lookupFailures: number;
  /** new: look the alarm up before the first create. */
  checkFirst: boolean;
  /** looking-up: why. */
  lookupFor: LookupPurpose | null;
  /** A create of this request may have gone out at some time (a found ticket is ours). */
  sentBefore: boolean;
  /** When the last create went out (ms since the epoch). */
  lastSentAt: number | null;
  /** The last create may be running in Oceane until then (its send plus the time-out). */
  doubtUntil: number | null;
  /** The earliest time of the next step (backoff, Retry-After). */
  nextAt: number | null;
  /** The Base URL the first create went to (review F8); null until then. */
  baseUrl: string | null;
  lastError: OceaneError | null;
  /** created */
  ticketId: string | null;
  /** created: made by this app, or found in Oceane and adopted. */
  origin: 'created' | 'found' | null;
  /** failed */
  failure: RequestFailure | null;
}

/** The result of a create or look-up that gave no usable answer (oceane-client's CallFailure). */
export interface CallFailureInfo {
  error: OceaneError;
  retryable: boolean;
  /** The ticket may have been created although no usable answer came back. */
  maybeSent: boolean;
  retryAfterMs: number | null;
  /** Oceane answered 2xx to a create, but its answer could not be used. */
  answeredCreated?: boolean;
}

/** What happened to the request. */
export type RequestEvent =
  | { type: 'due' }
  | { type: 'create-succeeded'; ticketId: string }
  | { type: 'create-failed'; failure: CallFailureInfo }
  | { type: 'lookup-found'; ticketId: string }
  | { type: 'lookup-absent' }
  | { type: 'lookup-failed'; failure: CallFailureInfo }
  | { type: 'restarted' }
  | { type: 'retry-pressed' };

/** What the driver does, in order. */
export type RequestEffect =
  /** Store the new state before the next effect (the send time, before a create leaves). */
  | { kind: 'persist' }
  | { kind: 'create'; baseUrl: string }
  | { kind: 'look-up'; baseUrl: string }
  /** Nothing to do before this time: release the lock. */
  | { kind: 'wait'; until: number }
  | { kind: 'settle-created'; ticketId: string; origin: 'created' | 'found' }
  | { kind: 'settle-failed'; failure: RequestFailure };

/** The world as the driver sees it at this step. */
export interface StepContext {
  now: number;
  /** The Base URL in the settings now. */
  baseUrl: string;
  /** The HTTP time-out in ms. */
  timeoutMs: number;
  /** Ticket Creation Retry Count. */
  createRetryCount: number;
  /** A number in [0, 1] for the backoff's jitter. */
  jitter: number;
}

/** The next state and what to do. */
export interface StepResult {
  state: RequestState;
  effects: RequestEffect[];
}

/** Failed look-ups in a row before the request fails with "the look-up failed". */
export const LOOKUP_ATTEMPTS = 5;

/** A request just queued: `checkFirst` unless Oceane said "no ticket" moments ago. */
export function newRequestState(checkFirst: boolean): RequestState {
  return {
    phase: 'new',
    createAttempts: 0,
    lookupFailures: 0,
    checkFirst,
    lookupFor: null,
    sentBefore: false,
    lastSentAt: null,
    doubtUntil: null,
    nextAt: null,
    baseUrl: null,
    lastError: null,
    ticketId: null,
    origin: null,
    failure: null,
  };
}

/**
 * A request that may have been sent, of which nothing more is known (a queue line written by an
 * older version, or re-derived from its Pending row): looked up after a time-out from now.
 */
export function unknownSendState(): RequestState {
  return { ...newRequestState(false), phase: 'maybe-sent', sentBefore: true };
}

/** True for created and failed: the request leaves the queue. */
export function isSettled(state: RequestState): boolean {
  return state.phase === 'created' || state.phase === 'failed';
}

/** True while a create or look-up of the request is in flight. */
export function isInFlight(state: RequestState): boolean {
  return state.phase === 'sending' || state.phase === 'looking-up';
}

/** When the request may take its next step (null: now). */
export function readyAt(state: RequestState): number | null {
  if (state.phase === 'maybe-sent') {
    const at = Math.max(state.doubtUntil ?? -Infinity, state.nextAt ?? -Infinity);
    return at === -Infinity ? null : at;
  }
  if (state.phase === 'waiting-for-retry' || state.phase === 'new') return state.nextAt;
  return null;
}
