import { describe, expect, it } from 'vitest';
import {
  LOOKUP_ATTEMPTS,
  isSettled,
  newRequestState,
  readyAt,
  step,
  unknownSendState,
  type CallFailureInfo,
  type RequestState,
  type StepContext,
} from './ticket-request-machine.js';

const URL_A = 'http://127.0.0.1:9001';
const URL_B = 'http://127.0.0.1:9002';
const T0 = 1_000_000;
const TIMEOUT = 2_000;

function ctx(now = T0, more: Partial<StepContext> = {}): StepContext {
  return { now, baseUrl: URL_A, timeoutMs: TIMEOUT, createRetryCount: 1, jitter: 0.5, ...more };
}

const noAnswer: CallFailureInfo = {
  error: { httpStatus: null, appCode: '', message: 'Timed out', description: '' },
  retryable: true,
  maybeSent: true,
  retryAfterMs: null,
};
const server503: CallFailureInfo = {
  error: { httpStatus: 503, appCode: '5', message: 'Service Unavailable', description: '' },
  retryable: true,
  maybeSent: true,
  retryAfterMs: null,
};
const tooMany: CallFailureInfo = {
  error: { httpStatus: 429, appCode: '53', message: 'Too Many Requests', description: '' },
  retryable: true,
  maybeSent: false,
  retryAfterMs: 4_000,
};
const refused: CallFailureInfo = {
  error: { httpStatus: 400, appCode: '24', message: 'Bad Request', description: 'x' },
  retryable: false,
  maybeSent: false,
  retryAfterMs: null,
};

/** A request whose first create is in flight, sent at T0. */
function sending(): RequestState {
  return step(newRequestState(false), { type: 'due' }, ctx()).state;
}

/** A request whose create at T0 got no answer, now in doubt. */
function inDoubt(): RequestState {
  return step(sending(), { type: 'create-failed', failure: noAnswer }, ctx(T0 + TIMEOUT)).state;
}

describe('ticket request machine: new', () => {
  it('due with the existing-ticket check: looks the alarm up first', () => {
    const r = step(newRequestState(true), { type: 'due' }, ctx());
    expect(r.state).toMatchObject({ phase: 'looking-up', lookupFor: 'check' });
    expect(r.effects).toEqual([{ kind: 'look-up', baseUrl: URL_A }]);
  });

  it('due without the check: persists the send time, then sends the create', () => {
    const r = step(newRequestState(false), { type: 'due' }, ctx());
    expect(r.state).toMatchObject({
      phase: 'sending',
      createAttempts: 1,
      lastSentAt: T0,
      doubtUntil: T0 + TIMEOUT,
      baseUrl: URL_A,
      sentBefore: true,
    });
    expect(r.effects).toEqual([{ kind: 'persist' }, { kind: 'create', baseUrl: URL_A }]);
  });
});

describe('ticket request machine: sending', () => {
  it('create succeeded: created here', () => {
    const r = step(sending(), { type: 'create-succeeded', ticketId: 'TT-1' }, ctx());
    expect(r.state).toMatchObject({ phase: 'created', ticketId: 'TT-1', origin: 'created' });
    expect(r.effects).toEqual([{ kind: 'settle-created', ticketId: 'TT-1', origin: 'created' }]);
  });

  it('no answer: in doubt, looked up only after as long again as the time-out', () => {
    const r = step(sending(), { type: 'create-failed', failure: noAnswer }, ctx(T0 + TIMEOUT));
    expect(r.state.phase).toBe('maybe-sent');
    expect(readyAt(r.state)).toBe(T0 + 2 * TIMEOUT);
    expect(r.effects).toEqual([{ kind: 'persist' }]);
  });

  it('a 5xx: in doubt, looked up after the backoff (the answer ended the exchange)', () => {
    const r = step(sending(), { type: 'create-failed', failure: server503 }, ctx(T0 + 10));
    expect(r.state).toMatchObject({ phase: 'maybe-sent', doubtUntil: T0 + 10 });
    expect(readyAt(r.state)).toBe(T0 + 10 + 750);
  });

  it('a 429: known not created, waits its Retry-After, no look-up', () => {
    const r = step(sending(), { type: 'create-failed', failure: tooMany }, ctx(T0 + 10));
    expect(r.state).toMatchObject({ phase: 'waiting-for-retry', nextAt: T0 + 10 + 4_000 });
    expect(r.effects).toEqual([{ kind: 'persist' }]);
  });

  it('a refusal: failed at the create, not in doubt', () => {
    const r = step(sending(), { type: 'create-failed', failure: refused }, ctx());
    expect(r.state.phase).toBe('failed');
    expect(r.effects).toEqual([
      {
        kind: 'settle-failed',
        failure: { stage: 'create', reason: 'refused', error: refused.error, inDoubt: false },
      },
    ]);
  });

  it('no create attempt left: failed at the create, in doubt after no answer', () => {
    const r = step(
      sending(),
      { type: 'create-failed', failure: noAnswer },
      ctx(T0, { createRetryCount: 0 }),
    );
    expect(r.state.failure).toMatchObject({
      stage: 'create',
      reason: 'retries-exhausted',
      inDoubt: true,
    });
  });

  it('a Retry-After beyond a day: failed, saying so', () => {
    const failure = { ...tooMany, retryAfterMs: 2 * 24 * 3_600_000 };
    const r = step(sending(), { type: 'create-failed', failure }, ctx());
    expect(r.state.failure).toMatchObject({ reason: 'retry-after-too-long' });
  });

  it('a 2xx that cannot be read: the alarm is looked up at once', () => {
    const failure = { ...server503, answeredCreated: true };
    const r = step(sending(), { type: 'create-failed', failure }, ctx());
    expect(r.state).toMatchObject({ phase: 'looking-up', lookupFor: 'unreadable' });
    expect(r.effects).toEqual([{ kind: 'look-up', baseUrl: URL_A }]);
  });

  it('restarted: in doubt, keeping the time of its send', () => {
    const r = step(sending(), { type: 'restarted' }, ctx(T0 + 100));
    expect(r.state.phase).toBe('maybe-sent');
    expect(readyAt(r.state)).toBe(T0 + TIMEOUT);
    expect(r.effects).toEqual([]);
  });
});

describe('ticket request machine: maybe-sent', () => {
  it('due before its last send plus the time-out: waits', () => {
    const state = step(sending(), { type: 'restarted' }, ctx(T0 + 100)).state;
    const r = step(state, { type: 'due' }, ctx(T0 + 100));
    expect(r.effects).toEqual([{ kind: 'wait', until: T0 + TIMEOUT }]);
    expect(r.state).toBe(state);
  });

  it('due once the wait is over: looked up at the URL it was sent to', () => {
    const state = inDoubt();
    const r = step(state, { type: 'due' }, ctx(readyAt(state) ?? 0));
    expect(r.state).toMatchObject({ phase: 'looking-up', lookupFor: 'doubt' });
    expect(r.effects).toEqual([{ kind: 'look-up', baseUrl: URL_A }]);
  });

  it('due after the Base URL changed: failed in doubt, naming the old server', () => {
    const r = step(inDoubt(), { type: 'due' }, ctx(T0 + 60_000, { baseUrl: URL_B }));
    expect(r.state.failure).toMatchObject({
      reason: 'base-url-changed',
      inDoubt: true,
      sentTo: URL_A,
    });
  });

  it('restarted with no known send time: waits a time-out from the restart', () => {
    const r = step(unknownSendState(), { type: 'restarted' }, ctx(T0));
    expect(readyAt(r.state)).toBe(T0 + TIMEOUT);
  });
});

describe('ticket request machine: looking-up', () => {
  function lookingUp(purpose: 'check' | 'doubt'): RequestState {
    if (purpose === 'check') return step(newRequestState(true), { type: 'due' }, ctx()).state;
    const doubt = inDoubt();
    return step(doubt, { type: 'due' }, ctx(readyAt(doubt) ?? 0)).state;
  }

  it('found by the existing-ticket check: adopted, marked as found', () => {
    const r = step(lookingUp('check'), { type: 'lookup-found', ticketId: 'TT-9' }, ctx());
    expect(r.effects).toEqual([{ kind: 'settle-created', ticketId: 'TT-9', origin: 'found' }]);
  });

  it('found after our create was in doubt: our ticket, created here', () => {
    const r = step(lookingUp('doubt'), { type: 'lookup-found', ticketId: 'TT-2' }, ctx());
    expect(r.effects).toEqual([{ kind: 'settle-created', ticketId: 'TT-2', origin: 'created' }]);
  });

  it('absent at the check: the first create goes out', () => {
    const r = step(lookingUp('check'), { type: 'lookup-absent' }, ctx());
    expect(r.state).toMatchObject({ phase: 'sending', createAttempts: 1 });
  });

  it('absent after a create in doubt: the next create goes out', () => {
    const r = step(lookingUp('doubt'), { type: 'lookup-absent' }, ctx(T0 + 10_000));
    expect(r.state).toMatchObject({ phase: 'sending', createAttempts: 2, lastSentAt: T0 + 10_000 });
  });

  it('absent after an unreadable 2xx: failed in doubt', () => {
    const unreadable = step(
      sending(),
      { type: 'create-failed', failure: { ...server503, answeredCreated: true } },
      ctx(),
    ).state;
    const r = step(unreadable, { type: 'lookup-absent' }, ctx());
    expect(r.state.failure).toMatchObject({ reason: 'created-unreadable', inDoubt: true });
  });

  it('a failed look-up does not use up a create attempt: backoff, then looked up again', () => {
    const r = step(
      lookingUp('doubt'),
      { type: 'lookup-failed', failure: server503 },
      ctx(T0 + 10_000, { createRetryCount: 0 }),
    );
    expect(r.state).toMatchObject({ phase: 'maybe-sent', lookupFailures: 1, createAttempts: 1 });
    expect(readyAt(r.state)).toBe(T0 + 10_000 + 750);
  });

  it('a failed check look-up: back to new, checking again after the backoff', () => {
    const r = step(lookingUp('check'), { type: 'lookup-failed', failure: server503 }, ctx());
    expect(r.state).toMatchObject({ phase: 'new', checkFirst: true, nextAt: T0 + 750 });
  });

  it('the look-up budget spent: failed at the look-up', () => {
    let state = lookingUp('check');
    let now = T0;
    for (let i = 1; i < LOOKUP_ATTEMPTS; i++) {
      state = step(state, { type: 'lookup-failed', failure: server503 }, ctx(now)).state;
      now = readyAt(state) ?? now;
      state = step(state, { type: 'due' }, ctx(now)).state;
    }
    const r = step(state, { type: 'lookup-failed', failure: server503 }, ctx(now));
    expect(r.state.failure).toMatchObject({
      stage: 'lookup',
      reason: 'lookups-exhausted',
      inDoubt: false,
    });
  });

  it('a look-up refused (not retryable): failed at the look-up', () => {
    const r = step(lookingUp('doubt'), { type: 'lookup-failed', failure: refused }, ctx());
    expect(r.state.failure).toMatchObject({ stage: 'lookup', inDoubt: true });
  });

  it('restarted: the check or the doubt stays', () => {
    expect(step(lookingUp('check'), { type: 'restarted' }, ctx()).state).toMatchObject({
      phase: 'new',
      checkFirst: true,
    });
    expect(step(lookingUp('doubt'), { type: 'restarted' }, ctx()).state.phase).toBe('maybe-sent');
  });
});

describe('ticket request machine: waiting-for-retry', () => {
  const waiting = (): RequestState =>
    step(sending(), { type: 'create-failed', failure: tooMany }, ctx(T0)).state;

  it('due before its time: waits', () => {
    expect(step(waiting(), { type: 'due' }, ctx(T0 + 3_999)).effects).toEqual([
      { kind: 'wait', until: T0 + 4_000 },
    ]);
  });

  it('due at its time: the next create goes out without a look-up', () => {
    const r = step(waiting(), { type: 'due' }, ctx(T0 + 4_000));
    expect(r.state).toMatchObject({ phase: 'sending', createAttempts: 2 });
  });
});

describe('ticket request machine: failed and Retry', () => {
  it('Retry after a create went out: looked up first, attempts reset, Base URL unpinned', () => {
    const failed = step(
      sending(),
      { type: 'create-failed', failure: noAnswer },
      ctx(T0, { createRetryCount: 0 }),
    ).state;
    const r = step(failed, { type: 'retry-pressed' }, ctx());
    expect(r.state).toMatchObject({ phase: 'maybe-sent', createAttempts: 0, baseUrl: null });
    expect(r.effects).toEqual([{ kind: 'persist' }]);
  });

  it('Retry when nothing was sent: the existing-ticket check, then the create', () => {
    let state = step(newRequestState(true), { type: 'due' }, ctx()).state;
    state = step(state, { type: 'lookup-failed', failure: refused }, ctx()).state;
    const r = step(state, { type: 'retry-pressed' }, ctx());
    expect(r.state).toMatchObject({ phase: 'new', checkFirst: true });
  });

  it('events that do not apply change nothing', () => {
    const created = step(sending(), { type: 'create-succeeded', ticketId: 'TT-1' }, ctx()).state;
    expect(isSettled(created)).toBe(true);
    for (const event of [
      { type: 'due' },
      { type: 'retry-pressed' },
      { type: 'lookup-absent' },
      { type: 'create-succeeded', ticketId: 'TT-2' },
    ] as const) {
      expect(step(created, event, ctx())).toEqual({ state: created, effects: [] });
    }
  });
});

describe('ticket request machine: every field of the states it persists', () => {
  it('a send from the check clears the check, pins the Base URL and resets the look-up count', () => {
    const checking = step(newRequestState(true), { type: 'due' }, ctx()).state;
    const failedOnce = step(checking, { type: 'lookup-failed', failure: server503 }, ctx()).state;
    const again = step(failedOnce, { type: 'due' }, ctx(T0 + 750)).state;
    const r = step(again, { type: 'lookup-absent' }, ctx(T0 + 800));
    expect(r.state).toEqual({
      ...newRequestState(false),
      phase: 'sending',
      createAttempts: 1,
      lookupFailures: 0,
      checkFirst: false,
      sentBefore: true,
      lastSentAt: T0 + 800,
      doubtUntil: T0 + 800 + TIMEOUT,
      baseUrl: URL_A,
      lastError: server503.error,
    });
  });

  it('a failed look-up after a doubt: in doubt again, no check, nothing to do but wait', () => {
    const doubt = inDoubt();
    const looking = step(doubt, { type: 'due' }, ctx(readyAt(doubt) ?? 0)).state;
    const r = step(looking, { type: 'lookup-failed', failure: server503 }, ctx(T0 + 50_000));
    expect(r.effects).toEqual([]);
    expect(r.state).toMatchObject({
      phase: 'maybe-sent',
      checkFirst: false,
      lookupFor: null,
      lookupFailures: 1,
      nextAt: T0 + 50_000 + 750,
    });
  });

  it('restarted during a doubt look-up: in doubt, without a check', () => {
    const doubt = inDoubt();
    const looking = step(doubt, { type: 'due' }, ctx(readyAt(doubt) ?? 0)).state;
    expect(step(looking, { type: 'restarted' }, ctx()).state).toMatchObject({
      phase: 'maybe-sent',
      checkFirst: false,
      lookupFor: null,
    });
  });

  it('restarted while in doubt with a known send time: nothing changes', () => {
    const doubt = inDoubt();
    const r = step(doubt, { type: 'restarted' }, ctx(T0 + 50 * TIMEOUT));
    expect(r).toEqual({ state: doubt, effects: [] });
    expect(r.state).toBe(doubt);
  });

  it('Retry after a create went out: in doubt from the old send, nothing else kept', () => {
    const failed = step(
      sending(),
      { type: 'create-failed', failure: noAnswer },
      ctx(T0 + 5, { createRetryCount: 0 }),
    ).state;
    const r = step(failed, { type: 'retry-pressed' }, ctx(T0 + 60_000));
    expect(r.state).toEqual({
      ...newRequestState(true),
      phase: 'maybe-sent',
      checkFirst: false,
      sentBefore: true,
      lastSentAt: T0,
      doubtUntil: T0 + TIMEOUT,
    });
  });
});

describe('ticket request machine: the edges of its rules', () => {
  it('backs off longer after each failed create (the attempt that comes next counts)', () => {
    const more = (now: number) => ctx(now, { createRetryCount: 3 });
    const noWait = { ...tooMany, retryAfterMs: null };
    let state = step(sending(), { type: 'create-failed', failure: noWait }, more(T0)).state;
    expect(state.nextAt).toBe(T0 + 750);
    state = step(state, { type: 'due' }, more(T0 + 750)).state;
    state = step(state, { type: 'create-failed', failure: noWait }, more(T0 + 800)).state;
    expect(state).toMatchObject({ phase: 'waiting-for-retry', nextAt: T0 + 800 + 1_500 });
  });

  it('backs off longer after each failed look-up', () => {
    let state = step(newRequestState(true), { type: 'due' }, ctx()).state;
    state = step(state, { type: 'lookup-failed', failure: server503 }, ctx(T0)).state;
    expect(state.nextAt).toBe(T0 + 750);
    state = step(state, { type: 'due' }, ctx(T0 + 750)).state;
    state = step(state, { type: 'lookup-failed', failure: server503 }, ctx(T0 + 800)).state;
    expect(state).toMatchObject({ phase: 'new', lookupFailures: 2, nextAt: T0 + 800 + 1_500 });
  });

  it('honours a Retry-After of exactly a day, and refuses one a millisecond longer', () => {
    const day = 24 * 3_600_000;
    const waitDay = { ...tooMany, retryAfterMs: day };
    const create = step(sending(), { type: 'create-failed', failure: waitDay }, ctx(T0));
    expect(create.state).toMatchObject({ phase: 'waiting-for-retry', nextAt: T0 + day });
    const longer = { ...tooMany, retryAfterMs: day + 1 };
    expect(step(sending(), { type: 'create-failed', failure: longer }, ctx()).effects).toEqual([
      {
        kind: 'settle-failed',
        failure: {
          stage: 'create',
          reason: 'retry-after-too-long',
          error: tooMany.error,
          inDoubt: false,
          retryAfterMs: day + 1,
        },
      },
    ]);
  });

  it('a look-up asked to wait more than a day: failed at the look-up, saying how long', () => {
    const day = 24 * 3_600_000;
    const checking = step(newRequestState(true), { type: 'due' }, ctx()).state;
    const waitDay = { ...server503, retryAfterMs: day };
    expect(
      step(checking, { type: 'lookup-failed', failure: waitDay }, ctx(T0)).state,
    ).toMatchObject({ phase: 'new', nextAt: T0 + day });
    const longer = { ...server503, retryAfterMs: day + 1 };
    expect(step(checking, { type: 'lookup-failed', failure: longer }, ctx()).state.failure).toEqual(
      {
        stage: 'lookup',
        reason: 'retry-after-too-long',
        error: server503.error,
        inDoubt: false,
        retryAfterMs: day + 1,
      },
    );
  });

  it('a look-up budget spent or a refusal carries no wait, even one Oceane asked for', () => {
    const checking = step(newRequestState(true), { type: 'due' }, ctx()).state;
    const refusedWait = { ...refused, retryAfterMs: 4_000 };
    expect(
      step(checking, { type: 'lookup-failed', failure: refusedWait }, ctx()).state.failure,
    ).toEqual({
      stage: 'lookup',
      reason: 'lookups-exhausted',
      error: refused.error,
      inDoubt: false,
    });
  });

  it('no create attempt left after a doubt was looked up: failed at the create, in doubt', () => {
    const once = (now: number) => ctx(now, { createRetryCount: 0 });
    const doubt = step(sending(), { type: 'create-failed', failure: server503 }, ctx(T0)).state;
    const looking = step(doubt, { type: 'due' }, once(readyAt(doubt) ?? 0)).state;
    const r = step(looking, { type: 'lookup-absent' }, once(T0 + 10_000));
    expect(r.effects).toEqual([
      {
        kind: 'settle-failed',
        failure: {
          stage: 'create',
          reason: 'retries-exhausted',
          error: server503.error,
          inDoubt: true,
        },
      },
    ]);
  });

  it('no create attempt left and no error known: failed with "no answer"', () => {
    const state: RequestState = {
      ...newRequestState(false),
      phase: 'waiting-for-retry',
      createAttempts: 2,
    };
    expect(step(state, { type: 'due' }, ctx()).state.failure).toEqual({
      stage: 'create',
      reason: 'retries-exhausted',
      error: { httpStatus: null, appCode: '', message: 'No create attempt left', description: '' },
      inDoubt: false,
    });
  });

  it('a failed look-up after an unreadable 2xx: failed at the create, in doubt', () => {
    const unreadable = step(
      sending(),
      { type: 'create-failed', failure: { ...server503, answeredCreated: true } },
      ctx(),
    ).state;
    const r = step(unreadable, { type: 'lookup-failed', failure: noAnswer }, ctx());
    expect(r.state.failure).toEqual({
      stage: 'create',
      reason: 'created-unreadable',
      error: noAnswer.error,
      inDoubt: true,
    });
    const absent = step(unreadable, { type: 'lookup-absent' }, ctx());
    expect(absent.state.failure).toEqual({
      stage: 'create',
      reason: 'created-unreadable',
      error: server503.error,
      inDoubt: true,
    });
  });

  it('a Base URL change: the failure names both servers', () => {
    const r = step(inDoubt(), { type: 'due' }, ctx(T0 + 60_000, { baseUrl: URL_B }));
    expect(r.state.failure).toMatchObject({
      stage: 'create',
      error: { httpStatus: null, appCode: '', message: 'Base URL changed' },
    });
    expect(r.state.failure?.error.description).toContain(URL_A);
    expect(r.state.failure?.error.description).toContain(URL_B);
  });

  it('the same server under another path is no Base URL change', () => {
    const r = step(inDoubt(), { type: 'due' }, ctx(T0 + 60_000, { baseUrl: `${URL_A}/oceane/` }));
    expect(r.state).toMatchObject({ phase: 'looking-up', lookupFor: 'doubt' });
  });

  it('in doubt with no pinned Base URL: looked up at the one in the settings', () => {
    const resumed = step(unknownSendState(), { type: 'restarted' }, ctx(T0)).state;
    const r = step(resumed, { type: 'due' }, ctx(T0 + TIMEOUT, { baseUrl: URL_B }));
    expect(r.state).toMatchObject({ phase: 'looking-up', lookupFor: 'doubt' });
    expect(r.effects).toEqual([{ kind: 'look-up', baseUrl: URL_B }]);
  });

  it('answers of a call that is not in flight change nothing', () => {
    const failure = noAnswer;
    const waiting = step(sending(), { type: 'create-failed', failure: tooMany }, ctx()).state;
    for (const event of [
      { type: 'create-succeeded', ticketId: 'TT-1' },
      { type: 'create-failed', failure },
      { type: 'lookup-found', ticketId: 'TT-1' },
      { type: 'lookup-absent' },
      { type: 'lookup-failed', failure },
    ] as const) {
      expect(step(waiting, event, ctx()), event.type).toEqual({ state: waiting, effects: [] });
    }
    const looking = step(newRequestState(true), { type: 'due' }, ctx()).state;
    expect(step(looking, { type: 'create-failed', failure }, ctx()).state).toBe(looking);
    expect(step(looking, { type: 'create-succeeded', ticketId: 'X' }, ctx()).state).toBe(looking);
    const inFlight = sending();
    expect(step(inFlight, { type: 'lookup-found', ticketId: 'X' }, ctx()).state).toBe(inFlight);
    expect(step(inFlight, { type: 'lookup-failed', failure }, ctx()).state).toBe(inFlight);
  });
});

describe('ticket request machine: restarts of requests that were not in flight', () => {
  it('leave them as they were', () => {
    const waiting = step(sending(), { type: 'create-failed', failure: tooMany }, ctx()).state;
    const created = step(sending(), { type: 'create-succeeded', ticketId: 'TT-1' }, ctx()).state;
    const failed = step(sending(), { type: 'create-failed', failure: refused }, ctx()).state;
    for (const state of [newRequestState(true), waiting, created, failed]) {
      const r = step(state, { type: 'restarted' }, ctx(T0 + 99));
      expect(r, state.phase).toEqual({ state, effects: [] });
      expect(r.state).toBe(state);
    }
  });
});
