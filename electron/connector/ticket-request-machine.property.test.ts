/**
 * Random interleavings of answers, time-outs, lost connections, crashes, restarts and Retry
 * against the ticket request machine and a model of Oceane in which a create, if it lands at
 * all, lands before its send plus the time-out. A crash puts the machine back to what it last
 * persisted (its "persist" effects and its settled outcome) while a create in flight may still
 * land. The property: a create never goes out while an earlier create of the request may still
 * be running in Oceane, so Oceane never holds two tickets for the request.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isSettled,
  newRequestState,
  step,
  type CallFailureInfo,
  type RequestEffect,
  type RequestEvent,
  type RequestState,
  type StepContext,
} from './ticket-request-machine.js';

const TIMEOUT = 1_000;
const URL = 'http://127.0.0.1:9001';

interface SentCreate {
  sentAt: number;
  /** When Oceane commits it (null: never), at most sentAt + TIMEOUT. */
  commitAt: number | null;
  /** Oceane answered that nothing was created. */
  knownNotCreated: boolean;
  /** When a 5xx answer came: the create, if it landed, landed before. */
  answeredAt: number | null;
}

/** The create or look-up awaiting its answer. */
interface InFlight {
  kind: 'create' | 'look-up';
  at: number;
  create?: SentCreate;
}

type Action =
  | { kind: 'advance'; ms: number }
  | { kind: 'due' }
  | { kind: 'answer'; outcome: number; lands: boolean; commitFraction: number }
  | { kind: 'crash' }
  | { kind: 'retry' };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant('advance' as const),
    ms: fc.integer({ min: 0, max: 3 * TIMEOUT }),
  }),
  fc.constant({ kind: 'due' as const }),
  fc.constant({ kind: 'due' as const }),
  fc.record({
    kind: fc.constant('answer' as const),
    outcome: fc.integer({ min: 0, max: 6 }),
    lands: fc.boolean(),
    commitFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  fc.constant({ kind: 'crash' as const }),
  fc.constant({ kind: 'retry' as const }),
);

function failure(status: number | null, maybeSent: boolean, more = {}): CallFailureInfo {
  return {
    error: { httpStatus: status, appCode: '', message: 'x', description: '' },
    retryable: status === null || status === 429 || status >= 500,
    maybeSent,
    retryAfterMs: null,
    ...more,
  };
}

/** Runs one interleaving; returns the problems found. */
function run(actions: Action[], retryCount: number, checkFirst: boolean): string[] {
  const problems: string[] = [];
  let now = 1_000_000;
  let state: RequestState = newRequestState(checkFirst);
  let persisted: RequestState = state;
  const creates: SentCreate[] = [];
  let inFlight = null as InFlight | null;
  /** The latest look-up made that found nothing, by its start time. */
  let lastAbsentLookupAt = -Infinity;
  const ctx = (): StepContext => ({
    now,
    baseUrl: URL,
    timeoutMs: TIMEOUT,
    createRetryCount: retryCount,
    jitter: 0.5,
  });
  const committedBy = (t: number): number =>
    creates.filter((c) => c.commitAt !== null && c.commitAt <= t).length;

  const perform = (effects: RequestEffect[]): void => {
    for (const effect of effects) {
      if (effect.kind === 'persist') persisted = state;
      if (effect.kind === 'settle-created' || effect.kind === 'settle-failed') persisted = state;
      if (effect.kind === 'create') {
        for (const earlier of creates) {
          const settledBy = earlier.answeredAt ?? earlier.sentAt + TIMEOUT;
          const mayRun = !earlier.knownNotCreated && lastAbsentLookupAt < settledBy;
          if (mayRun) problems.push(`create at ${now} while the one of ${earlier.sentAt} may run`);
        }
        const create: SentCreate = {
          sentAt: now,
          commitAt: null,
          knownNotCreated: false,
          answeredAt: null,
        };
        creates.push(create);
        inFlight = { kind: 'create', at: now, create };
      }
      if (effect.kind === 'look-up') inFlight = { kind: 'look-up', at: now };
    }
  };
  const feed = (event: RequestEvent): void => {
    const result = step(state, event, ctx());
    state = result.state;
    perform(result.effects);
  };

  for (const action of actions) {
    if (isSettled(state) && action.kind !== 'retry' && action.kind !== 'advance') continue;
    switch (action.kind) {
      case 'advance':
        now += action.ms;
        break;
      case 'due':
        if (inFlight === null) feed({ type: 'due' });
        break;
      case 'crash':
        // What was in flight is abandoned; a create may still land in Oceane.
        inFlight = null;
        state = persisted;
        feed({ type: 'restarted' });
        break;
      case 'retry':
        if (state.phase === 'failed') feed({ type: 'retry-pressed' });
        break;
      case 'answer': {
        const op = inFlight;
        if (op === null) break;
        inFlight = null;
        if (op.kind === 'look-up') {
          if (action.outcome <= 1) {
            feed({
              type: 'lookup-failed',
              failure: failure(action.outcome === 0 ? 503 : null, false),
            });
          } else if (committedBy(now) > 0) {
            feed({ type: 'lookup-found', ticketId: 'TT-1' });
          } else {
            lastAbsentLookupAt = Math.max(lastAbsentLookupAt, op.at);
            feed({ type: 'lookup-absent' });
          }
          break;
        }
        const create = op.create;
        if (!create) break;
        const commitAt = create.sentAt + Math.floor(action.commitFraction * TIMEOUT);
        // 0: created and answered; 1: no answer (time-out or connection lost); 2: 503; 3: a
        // 2xx that cannot be read; 4: 429; 5: 400; 6: connection refused before sending.
        if (action.outcome === 0 || action.outcome === 3) create.commitAt = Math.min(commitAt, now);
        // No answer: the create may land up to its send plus the time-out. A 5xx answer: what
        // Oceane did is done when it answers.
        if (action.outcome === 1 && action.lands) create.commitAt = commitAt;
        if (action.outcome === 2 && action.lands) create.commitAt = Math.min(commitAt, now);
        if (action.outcome >= 4) create.knownNotCreated = true;
        if (action.outcome === 2) create.answeredAt = now;
        if (action.outcome === 0) feed({ type: 'create-succeeded', ticketId: 'TT-1' });
        else if (action.outcome === 1)
          feed({ type: 'create-failed', failure: failure(null, true) });
        else if (action.outcome === 2) feed({ type: 'create-failed', failure: failure(503, true) });
        else if (action.outcome === 3) {
          feed({ type: 'create-failed', failure: failure(201, true, { answeredCreated: true }) });
        } else if (action.outcome === 4) {
          feed({ type: 'create-failed', failure: failure(429, false) });
        } else if (action.outcome === 5) {
          feed({ type: 'create-failed', failure: failure(400, false) });
        } else feed({ type: 'create-failed', failure: failure(null, false) });
        break;
      }
    }
  }
  const tickets = committedBy(Infinity);
  if (tickets > 1) problems.push(`${tickets} tickets in Oceane for one request`);
  return problems;
}

describe('ticket request machine, random interleavings', () => {
  it('never sends a create while an earlier create of the request may still be running', () => {
    fc.assert(
      fc.property(
        fc.array(actionArb, { maxLength: 80 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        (actions, retryCount, checkFirst) => {
          expect(run(actions, retryCount, checkFirst)).toEqual([]);
        },
      ),
      { numRuns: 3_000 },
    );
  });
});
