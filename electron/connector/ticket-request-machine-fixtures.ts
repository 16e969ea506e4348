/**
 * Shared by the request machine's tests: a context, the failures of a call, and requests in
 * flight or in doubt, built by the machine itself.
 */
import {
  newRequestState,
  step,
  type CallFailureInfo,
  type RequestState,
  type StepContext,
} from './ticket-request-machine.js';

export const URL_A = 'http://127.0.0.1:9001';
export const URL_B = 'http://127.0.0.1:9002';
export const T0 = 1_000_000;
export const TIMEOUT = 2_000;

export function ctx(now = T0, more: Partial<StepContext> = {}): StepContext {
  return { now, baseUrl: URL_A, timeoutMs: TIMEOUT, createRetryCount: 1, jitter: 0.5, ...more };
}

export const noAnswer: CallFailureInfo = {
  error: { httpStatus: null, appCode: '', message: 'Timed out', description: '' },
  retryable: true,
  maybeSent: true,
  retryAfterMs: null,
};
export const server503: CallFailureInfo = {
  error: { httpStatus: 503, appCode: '5', message: 'Service Unavailable', description: '' },
  retryable: true,
  maybeSent: true,
  retryAfterMs: null,
};
export const tooMany: CallFailureInfo = {
  error: { httpStatus: 429, appCode: '53', message: 'Too Many Requests', description: '' },
  retryable: true,
  maybeSent: false,
  retryAfterMs: 4_000,
};
export const refused: CallFailureInfo = {
  error: { httpStatus: 400, appCode: '24', message: 'Bad Request', description: 'x' },
  retryable: false,
  maybeSent: false,
  retryAfterMs: null,
};

/** A request whose first create is in flight, sent at T0. */
export function sending(): RequestState {
  return step(newRequestState(false), { type: 'due' }, ctx()).state;
}

/** A request whose create at T0 got no answer, now in doubt. */
export function inDoubt(): RequestState {
  return step(sending(), { type: 'create-failed', failure: noAnswer }, ctx(T0 + TIMEOUT)).state;
}

/** A request whose create was answered with a 2xx that could not be read, now to be looked up. */
export function unreadableCreated(): RequestState {
  return step(
    sending(),
    { type: 'create-failed', failure: { ...server503, answeredCreated: true } },
    ctx(),
  ).state;
}
