/**
 * The request machine at the edges of its rules: every field of the states it persists, the
 * growth of the backoff, the one-day limit of Retry-After, spent budgets and answers that come
 * out of phase (the transitions themselves: ticket-request-machine.test.ts).
 */
import { describe, expect, it } from 'vitest';
import {
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
    const unreadable = unreadableCreated();
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
