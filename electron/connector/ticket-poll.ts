/**
 * One poll of the ticket follow-up (oceane-api.md 7.1): ask Oceane for every change since the
 * cursor minus the overlap, apply the changes to the known tickets (ticket-follower.ts), and
 * say what to store, the next cursor, and when to poll again, with a sentence for the health
 * light while Oceane cannot be asked. No store and no timer here: the caller loads the
 * followed tickets, stores the updates and the state in one transaction, and sets the timer.
 */
import type { CallConfig } from './oceane-client.js';
import type { OceaneLifecycleClient } from './oceane-lifecycle-client.js';
import type { SkippedTicket } from './oceane-lifecycle-responses.js';
import {
  POLL_OVERLAP_MS,
  applyChanges,
  followFailureMessage,
  nextCursor,
  nextPollDelayMs,
  pollSince,
  type FollowResult,
  type FollowedTicket,
} from './ticket-follower.js';

/** What a poll carries over to the next one (stored with the tickets). */
export interface PollState {
  /** The newest lastUpdate applied; null while nothing is followed yet. */
  cursor: string | null;
  /** Polls in a row that got no usable answer. */
  failures: number;
}

/** What one poll needs. */
export interface PollInput {
  config: CallConfig;
  known: ReadonlyMap<string, FollowedTicket>;
  state: PollState;
  intervalMs: number;
  eventsActive: boolean;
  overlapMs?: number;
  pageSize?: number;
}

/** What one poll found, and what comes next. */
export interface PollOutcome {
  /** Oceane answered every page. */
  ok: boolean;
  /** What to store; empty after a failure. */
  result: FollowResult;
  /** Tickets Oceane listed that could not be read (for the log). */
  skipped: SkippedTicket[];
  /** The state to store for the next poll. */
  state: PollState;
  /** When to poll again: 0 when there are more pages to read at once. */
  delayMs: number;
  /** The health light's sentence after a failure, null after a good poll. */
  problem: string | null;
}

const NOTHING: FollowResult = { updates: [], unchanged: 0, notFollowed: [] };

/** Runs one poll. */
export async function pollOnce(
  client: OceaneLifecycleClient,
  input: PollInput,
): Promise<PollOutcome> {
  const timing = { intervalMs: input.intervalMs, eventsActive: input.eventsActive };
  const { cursor } = input.state;
  if (cursor === null) {
    return {
      ok: true,
      result: NOTHING,
      skipped: [],
      state: { cursor, failures: 0 },
      delayMs: nextPollDelayMs({ ...timing, failures: 0, retryAfterMs: null }),
      problem: null,
    };
  }
  const since = pollSince(cursor, input.overlapMs ?? POLL_OVERLAP_MS);
  const options = input.pageSize === undefined ? {} : { pageSize: input.pageSize };
  const answer = await client.changesSince(input.config, since, options);
  if (!answer.ok) {
    const failures = input.state.failures + 1;
    const delayMs = nextPollDelayMs({ ...timing, failures, retryAfterMs: answer.retryAfterMs });
    const cause = answer.error.description
      ? `${answer.error.message}: ${answer.error.description}`
      : answer.error.message;
    return {
      ok: false,
      result: NOTHING,
      skipped: [],
      state: { cursor, failures },
      delayMs,
      problem: followFailureMessage(failures, cause.slice(0, 300), delayMs),
    };
  }
  return {
    ok: true,
    result: applyChanges(input.known, answer.changes),
    skipped: answer.skipped,
    state: { cursor: nextCursor(cursor, answer.changes, answer.consistent), failures: 0 },
    delayMs: answer.complete ? nextPollDelayMs({ ...timing, failures: 0, retryAfterMs: null }) : 0,
    problem: null,
  };
}
