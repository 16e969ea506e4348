/**
 * The life of one ticket request as a pure state machine: `step(state, event, context)` returns
 * the next state and the effects the driver performs (design.md, "The request's life is a state
 * machine"; the sans-I/O pattern of h11 and quinn-proto). No I/O, no timers, no clock reads:
 * the time and the settings come in `context`, the jitter as a number.
 *
 * What the phases say about Oceane:
 * - `new`: no create of this request has gone out since it was queued (or Retry was pressed).
 *   `checkFirst`: look the alarm up before the first create (the existing-ticket check).
 * - `sending`: a create is in flight. It was persisted with its send time before it left.
 * - `maybe-sent`: a create may be in Oceane. It is looked up, never resent, and not before
 *   `doubtUntil` (its last send plus the time-out) nor `nextAt` (backoff).
 * - `looking-up`: a look-up is in flight; `lookupFor` says why (check, doubt, unreadable).
 * - `waiting-for-retry`: known not created (refused, or looked up and absent); the next create
 *   goes out at `nextAt`.
 * - `created`: Oceane holds the ticket (`origin`: created here, or found and adopted).
 * - `failed`: settled without a ticket; `failure.stage` says whether the create or the look-up
 *   failed, `failure.inDoubt` whether the ticket may exist anyway.
 *
 * Transitions (E = effects; "send" = createAttempts + 1, lastSentAt = now, doubtUntil = now +
 * time-out, Base URL pinned, E: persist, create):
 *
 * | phase             | event                  | next phase and effects                             |
 * |-------------------|------------------------|----------------------------------------------------|
 * | new               | due, checkFirst        | looking-up (check); E: look-up                     |
 * | new               | due                    | sending ("send")                                   |
 * | waiting-for-retry | due, before nextAt     | unchanged; E: wait                                 |
 * | waiting-for-retry | due                    | sending ("send")                                   |
 * | maybe-sent        | due, Base URL changed  | failed (create, in doubt, base-url-changed)        |
 * | maybe-sent        | due, before doubtUntil | unchanged; E: wait (also before nextAt)            |
 * | maybe-sent        | due                    | looking-up (doubt); E: look-up at the pinned URL   |
 * | sending           | create-succeeded       | created (created here); E: settle-created          |
 * | sending           | create-failed, 2xx     | looking-up (unreadable); E: look-up                |
 * |                   | unreadable             |                                                    |
 * | sending           | create-failed, refused | failed (create); E: settle-failed                  |
 * |                   | or no attempt left     |                                                    |
 * | sending           | create-failed, may     | maybe-sent, nextAt = now + backoff (no answer: at  |
 * |                   | exist (no answer, 5xx) | least a time-out; a 5xx answer: doubtUntil = now); |
 * |                   |                        | E: persist                                         |
 * | sending           | create-failed, not     | waiting-for-retry, nextAt = now + backoff;         |
 * |                   | created (408, 429)     | E: persist                                         |
 * | looking-up        | lookup-found           | created (found unless a create went out);          |
 * |                   |                        | E: settle-created                                  |
 * | looking-up        | lookup-absent, check   | sending ("send")                                   |
 * |                   | or doubt               | (failed, create, when no create attempt is left)   |
 * | looking-up        | lookup-absent,         | failed (create, in doubt, created-unreadable)      |
 * |                   | unreadable             |                                                    |
 * | looking-up        | lookup-failed          | back to new / maybe-sent, nextAt = now + look-up   |
 * |                   |                        | backoff; failed (look-up) when the look-up budget  |
 * |                   |                        | is spent or the failure is not retryable           |
 * | sending           | restarted              | maybe-sent (doubtUntil kept)                       |
 * | looking-up        | restarted              | new (check) or maybe-sent                          |
 * | maybe-sent        | restarted, no known    | maybe-sent, doubtUntil = now + time-out            |
 * |                   | send time              |                                                    |
 * | failed            | retry-pressed          | maybe-sent if a create may have gone out, else     |
 * |                   |                        | new (check); attempts reset, Base URL unpinned     |
 * | any other         | any other              | unchanged, no effects                              |
 *
 * The Ticket Creation Retry Count counts creates only (issue 10): 1 + retry count creates. The
 * look-ups have their own budget (LOOKUP_ATTEMPTS failures in a row) with their own backoff.
 */
import type { OceaneError } from '../../shared/domain.js';
import { BACKOFF_CAP_MS, MAX_RETRY_AFTER_MS, retryDelayMs } from './retry-policy.js';
import {
  LOOKUP_ATTEMPTS,
  newRequestState,
  readyAt,
  type CallFailureInfo,
  type LookupPurpose,
  type RequestFailure,
  type RequestEvent,
  type RequestState,
  type StepContext,
  type StepResult,
} from './ticket-request-state.js';

export {
  LOOKUP_ATTEMPTS,
  isInFlight,
  isSettled,
  newRequestState,
  readyAt,
  unknownSendState,
  type CallFailureInfo,
  type FailureReason,
  type LookupPurpose,
  type RequestEffect,
  type RequestEvent,
  type RequestFailure,
  type RequestPhase,
  type RequestState,
  type StepContext,
  type StepResult,
} from './ticket-request-state.js';

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

const unchanged = (state: RequestState): StepResult => ({ state, effects: [] });

function fail(state: RequestState, failure: RequestFailure): StepResult {
  const next: RequestState = {
    ...state,
    phase: 'failed',
    lookupFor: null,
    nextAt: null,
    lastError: failure.error,
    failure,
  };
  return { state: next, effects: [{ kind: 'settle-failed', failure }] };
}

function succeed(state: RequestState, ticketId: string, origin: 'created' | 'found'): StepResult {
  const next: RequestState = {
    ...state,
    phase: 'created',
    lookupFor: null,
    nextAt: null,
    ticketId,
    origin,
  };
  return { state: next, effects: [{ kind: 'settle-created', ticketId, origin }] };
}

function send(state: RequestState, ctx: StepContext): StepResult {
  if (state.createAttempts >= 1 + ctx.createRetryCount) {
    return fail(state, {
      stage: 'create',
      reason: 'retries-exhausted',
      error: state.lastError ?? noAnswer('No create attempt left'),
      inDoubt: state.sentBefore,
    });
  }
  const baseUrl = state.baseUrl ?? ctx.baseUrl;
  const next: RequestState = {
    ...state,
    phase: 'sending',
    createAttempts: state.createAttempts + 1,
    lookupFailures: 0,
    checkFirst: false,
    lookupFor: null,
    sentBefore: true,
    lastSentAt: ctx.now,
    doubtUntil: ctx.now + ctx.timeoutMs,
    nextAt: null,
    baseUrl,
  };
  return { state: next, effects: [{ kind: 'persist' }, { kind: 'create', baseUrl }] };
}

function lookUp(state: RequestState, purpose: LookupPurpose, ctx: StepContext): StepResult {
  const baseUrl = state.baseUrl ?? ctx.baseUrl;
  return {
    state: { ...state, phase: 'looking-up', lookupFor: purpose, nextAt: null },
    effects: [{ kind: 'look-up', baseUrl }],
  };
}

/** The Retry-After Oceane asked for when it is longer than is honoured (a day), else null. */
function tooLongWait(f: CallFailureInfo): number | null {
  const wait = f.retryAfterMs ?? 0;
  return wait > MAX_RETRY_AFTER_MS ? wait : null;
}

function noAnswer(message: string): OceaneError {
  return { httpStatus: null, appCode: '', message, description: '' };
}

function waitOrNull(state: RequestState, ctx: StepContext): StepResult | null {
  const at = readyAt(state);
  if (at !== null && ctx.now < at) return { state, effects: [{ kind: 'wait', until: at }] };
  return null;
}

function onDue(state: RequestState, ctx: StepContext): StepResult {
  switch (state.phase) {
    case 'new':
      return (
        waitOrNull(state, ctx) ??
        (state.checkFirst ? lookUp(state, 'check', ctx) : send(state, ctx))
      );
    case 'waiting-for-retry':
      return waitOrNull(state, ctx) ?? send(state, ctx);
    case 'maybe-sent': {
      if (state.baseUrl !== null && originOf(state.baseUrl) !== originOf(ctx.baseUrl)) {
        return fail(state, {
          stage: 'create',
          reason: 'base-url-changed',
          error: {
            httpStatus: null,
            appCode: '',
            message: 'Base URL changed',
            description: `This request may have created a ticket on ${state.baseUrl}, the Base URL when it was sent; the Base URL is now ${ctx.baseUrl}`,
          },
          inDoubt: true,
          sentTo: state.baseUrl,
        });
      }
      return waitOrNull(state, ctx) ?? lookUp(state, 'doubt', ctx);
    }
    default:
      return unchanged(state);
  }
}

function onCreateFailed(state: RequestState, f: CallFailureInfo, ctx: StepContext): StepResult {
  const failed = { ...state, lastError: f.error };
  if (f.answeredCreated) return lookUp(failed, 'unreadable', ctx);
  const tooLong = tooLongWait(f);
  if (tooLong !== null) {
    return fail(failed, {
      stage: 'create',
      reason: 'retry-after-too-long',
      error: f.error,
      inDoubt: f.maybeSent,
      retryAfterMs: tooLong,
    });
  }
  if (!f.retryable || state.createAttempts >= 1 + ctx.createRetryCount) {
    return fail(failed, {
      stage: 'create',
      reason: f.retryable ? 'retries-exhausted' : 'refused',
      error: f.error,
      inDoubt: f.maybeSent,
    });
  }
  let delay = retryDelayMs(state.createAttempts + 1, () => ctx.jitter, f.retryAfterMs);
  if (!f.maybeSent) {
    const next: RequestState = {
      ...failed,
      phase: 'waiting-for-retry',
      doubtUntil: null,
      nextAt: ctx.now + delay,
    };
    return { state: next, effects: [{ kind: 'persist' }] };
  }
  // An answer (a 5xx) ends the exchange: what Oceane did with the create is done by now
  // (doubtUntil), and the look-up follows the backoff. No answer: Oceane may still be working on the request (a slow
  // create that outlives the time-out), so it gets as long again before the look-up.
  const answered = f.error.httpStatus !== null;
  if (!answered) delay = Math.max(delay, Math.min(ctx.timeoutMs, BACKOFF_CAP_MS));
  const next: RequestState = {
    ...failed,
    phase: 'maybe-sent',
    doubtUntil: answered ? ctx.now : state.doubtUntil,
    nextAt: ctx.now + delay,
  };
  return { state: next, effects: [{ kind: 'persist' }] };
}

function onLookupFailed(state: RequestState, f: CallFailureInfo, ctx: StepContext): StepResult {
  const purpose = state.lookupFor ?? 'doubt';
  const failures = state.lookupFailures + 1;
  const failed: RequestState = { ...state, lookupFailures: failures, lastError: f.error };
  if (purpose === 'unreadable') {
    return fail(failed, {
      stage: 'create',
      reason: 'created-unreadable',
      error: f.error,
      inDoubt: true,
    });
  }
  const tooLong = tooLongWait(f);
  if (tooLong !== null) {
    return fail(failed, {
      stage: 'lookup',
      reason: 'retry-after-too-long',
      error: f.error,
      inDoubt: state.sentBefore,
      retryAfterMs: tooLong,
    });
  }
  if (!f.retryable || failures >= LOOKUP_ATTEMPTS) {
    return fail(failed, {
      stage: 'lookup',
      reason: 'lookups-exhausted',
      error: f.error,
      inDoubt: state.sentBefore,
    });
  }
  const delay = retryDelayMs(failures + 1, () => ctx.jitter, f.retryAfterMs);
  const next: RequestState = {
    ...failed,
    phase: purpose === 'check' ? 'new' : 'maybe-sent',
    lookupFor: null,
    checkFirst: purpose === 'check',
    nextAt: ctx.now + delay,
  };
  return { state: next, effects: [] };
}

function onLookupAbsent(state: RequestState, ctx: StepContext): StepResult {
  if (state.lookupFor === 'unreadable') {
    return fail(state, {
      stage: 'create',
      reason: 'created-unreadable',
      error: state.lastError ?? noAnswer('Created, but the answer could not be read'),
      inDoubt: true,
    });
  }
  // Nothing of ours is running in Oceane any more: a create may go out.
  return send({ ...state, lookupFailures: 0, doubtUntil: null }, ctx);
}

function onRestarted(state: RequestState, ctx: StepContext): StepResult {
  switch (state.phase) {
    // A call in flight (nothing scheduled): an existing-ticket check is made again, anything
    // else may have reached Oceane.
    case 'sending':
    case 'looking-up':
      return unchanged({
        ...state,
        phase: state.lookupFor === 'check' ? 'new' : 'maybe-sent',
        checkFirst: state.lookupFor === 'check',
        lookupFor: null,
      });
    case 'maybe-sent':
      // A send whose time was not kept: it happened before this start, so now + time-out is
      // after its last send plus the time-out.
      return state.doubtUntil === null
        ? unchanged({ ...state, doubtUntil: ctx.now + ctx.timeoutMs })
        : unchanged(state);
    default:
      return unchanged(state);
  }
}

function onRetryPressed(state: RequestState): StepResult {
  if (state.phase !== 'failed') return unchanged(state);
  const fresh = newRequestState(true);
  const next: RequestState = state.sentBefore
    ? {
        ...fresh,
        phase: 'maybe-sent',
        checkFirst: false,
        sentBefore: true,
        lastSentAt: state.lastSentAt,
        doubtUntil: state.doubtUntil,
      }
    : fresh;
  return { state: next, effects: [{ kind: 'persist' }] };
}

/** One transition: the state after `event`, and the effects to perform in order. */
export function step(state: RequestState, event: RequestEvent, ctx: StepContext): StepResult {
  switch (event.type) {
    case 'due':
      return onDue(state, ctx);
    case 'create-succeeded':
      return state.phase === 'sending'
        ? succeed(state, event.ticketId, 'created')
        : unchanged(state);
    case 'create-failed':
      return state.phase === 'sending'
        ? onCreateFailed(state, event.failure, ctx)
        : unchanged(state);
    case 'lookup-found':
      if (state.phase !== 'looking-up') return unchanged(state);
      return succeed(state, event.ticketId, state.sentBefore ? 'created' : 'found');
    case 'lookup-absent':
      return state.phase === 'looking-up' ? onLookupAbsent(state, ctx) : unchanged(state);
    case 'lookup-failed':
      return state.phase === 'looking-up'
        ? onLookupFailed(state, event.failure, ctx)
        : unchanged(state);
    case 'restarted':
      return onRestarted(state, ctx);
    case 'retry-pressed':
      return onRetryPressed(state);
  }
}
