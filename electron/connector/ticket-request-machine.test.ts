import { describe, expect, it } from 'vitest';
import {
  LOOKUP_ATTEMPTS,
  isSettled,
  newRequestState,
  readyAt,
  step,
  unknownSendState,
  type RequestState,
} from './ticket-request-machine.js';
import {
  T0,
  TIMEOUT,
  URL_A,
  URL_B,
  ctx,
  inDoubt,
  noAnswer,
  refused,
  sending,
  server503,
  tooMany,
  unreadableCreated,
} from './ticket-request-machine-fixtures.js';

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
    const unreadable = unreadableCreated();
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
