/**
 * What an operator action does to one alarm, as DataMiner does it: acknowledging records who
 * and when; ownership is taken by one operator at a time (taking it from another replaces
 * them); releasing clears the owner; a comment is appended with its author and time. Pure:
 * a new alarm object when something changed, the same object otherwise.
 */
import type { Alarm, AlarmActionKind, AlarmState } from '../../shared/domain.js';
import { randomInt, type Random } from './prng.js';

/** The state of an alarm nobody has touched. */
export const EMPTY_ALARM_STATE: AlarmState = Object.freeze({
  acknowledgedBy: null,
  acknowledgedAt: null,
  owner: null,
  comments: [],
  clearedAt: null,
});

/** The most comments kept per alarm (the oldest go first). */
export const MAX_COMMENTS = 100;

/** The alarm after `action` by `operator` at `at` (ISO time); the same object when unchanged. */
export function applyAlarmAction(
  alarm: Alarm,
  action: AlarmActionKind,
  operator: string,
  at: string,
  comment?: string,
): Alarm {
  const state = alarm.state ?? EMPTY_ALARM_STATE;
  let next: AlarmState | null = null;
  switch (action) {
    case 'acknowledge':
      if (state.acknowledgedBy === null) {
        next = { ...state, acknowledgedBy: operator, acknowledgedAt: at };
      }
      break;
    case 'unacknowledge':
      if (state.acknowledgedBy !== null) {
        next = { ...state, acknowledgedBy: null, acknowledgedAt: null };
      }
      break;
    case 'take-ownership':
      if (state.owner !== operator) next = { ...state, owner: operator };
      break;
    case 'release':
      if (state.owner !== null) next = { ...state, owner: null };
      break;
    case 'comment': {
      const text = (comment ?? '').trim();
      if (text !== '') {
        const comments = [...state.comments, { at, by: operator, text }].slice(-MAX_COMMENTS);
        next = { ...state, comments };
      }
      break;
    }
  }
  return next ? { ...alarm, state: next } : alarm;
}

/** True when the alarm returned to normal and shows as Cleared until it goes. */
export function isCleared(alarm: Alarm): boolean {
  return (alarm.state?.clearedAt ?? null) !== null;
}

/** A random active (not cleared) alarm of the list, or undefined when none was found quickly. */
export function randomActive(alarms: readonly Alarm[], random: Random): Alarm | undefined {
  for (let tries = 0; tries < 8 && alarms.length > 0; tries++) {
    const alarm = alarms[randomInt(random, 0, alarms.length - 1)];
    if (alarm && !isCleared(alarm)) return alarm;
  }
  return undefined;
}
