import { describe, expect, it } from 'vitest';
import type { Alarm, AlarmState } from '../../shared/domain.js';
import {
  EMPTY_ALARM_STATE,
  MAX_COMMENTS,
  applyAlarmAction,
  isCleared,
  randomActive,
} from './alarm-actions.js';
import { sampleAlarm } from './test-support.js';

const AT = '2025-03-14T09:31:05.000Z';
const LATER = '2025-03-14T10:00:00.000Z';

const alarm: Alarm = sampleAlarm({ rootTime: AT });

const withState = (state: Partial<AlarmState>): Alarm => ({
  ...alarm,
  state: { ...EMPTY_ALARM_STATE, ...state },
});

describe('applyAlarmAction', () => {
  it('starts from an untouched state: nobody acknowledged, no owner, no comment, not cleared', () => {
    expect(EMPTY_ALARM_STATE).toEqual({
      acknowledgedBy: null,
      acknowledgedAt: null,
      owner: null,
      comments: [],
      clearedAt: null,
    });
    expect(Object.isFrozen(EMPTY_ALARM_STATE)).toBe(true);
  });

  it('acknowledges once, recording who and when; a second acknowledge changes nothing', () => {
    const acked = applyAlarmAction(alarm, 'acknowledge', 'alice', AT);
    expect(acked.state).toEqual({
      ...EMPTY_ALARM_STATE,
      acknowledgedBy: 'alice',
      acknowledgedAt: AT,
    });
    expect(acked).not.toBe(alarm);
    expect(alarm.state).toBeUndefined();
    expect(applyAlarmAction(acked, 'acknowledge', 'bob', LATER)).toBe(acked);
  });

  it('unacknowledges an acknowledged alarm only', () => {
    const acked = withState({ acknowledgedBy: 'alice', acknowledgedAt: AT, owner: 'alice' });
    expect(applyAlarmAction(acked, 'unacknowledge', 'bob', LATER).state).toEqual({
      ...EMPTY_ALARM_STATE,
      owner: 'alice',
    });
    expect(applyAlarmAction(alarm, 'unacknowledge', 'bob', LATER)).toBe(alarm);
  });

  it('gives ownership to one operator at a time; taking it again changes nothing', () => {
    const owned = applyAlarmAction(alarm, 'take-ownership', 'alice', AT);
    expect(owned.state).toEqual({ ...EMPTY_ALARM_STATE, owner: 'alice' });
    expect(applyAlarmAction(owned, 'take-ownership', 'alice', LATER)).toBe(owned);
    expect(applyAlarmAction(owned, 'take-ownership', 'bob', LATER).state?.owner).toBe('bob');
  });

  it('releases an owned alarm only', () => {
    const owned = withState({ owner: 'alice', acknowledgedBy: 'alice', acknowledgedAt: AT });
    expect(applyAlarmAction(owned, 'release', 'bob', LATER).state).toEqual({
      ...EMPTY_ALARM_STATE,
      acknowledgedBy: 'alice',
      acknowledgedAt: AT,
    });
    expect(applyAlarmAction(alarm, 'release', 'bob', LATER)).toBe(alarm);
  });

  it('appends a comment, trimmed, with its author and time; an empty one changes nothing', () => {
    const first = applyAlarmAction(alarm, 'comment', 'alice', AT, '  Looking into it \n');
    const second = applyAlarmAction(first, 'comment', 'bob', LATER, 'Fibre cut');
    expect(second.state?.comments).toEqual([
      { at: AT, by: 'alice', text: 'Looking into it' },
      { at: LATER, by: 'bob', text: 'Fibre cut' },
    ]);
    expect(first.state?.comments).toHaveLength(1);
    expect(applyAlarmAction(first, 'comment', 'bob', LATER, '   ')).toBe(first);
    expect(applyAlarmAction(first, 'comment', 'bob', LATER)).toBe(first);
  });

  it(`keeps the last ${MAX_COMMENTS} comments, dropping the oldest`, () => {
    expect(MAX_COMMENTS).toBe(100);
    let a = alarm;
    for (let i = 1; i <= MAX_COMMENTS + 2; i++)
      a = applyAlarmAction(a, 'comment', 'op', AT, `c${i}`);
    const comments = a.state?.comments ?? [];
    expect(comments).toHaveLength(MAX_COMMENTS);
    expect(comments[0]?.text).toBe('c3');
    expect(comments.at(-1)?.text).toBe(`c${MAX_COMMENTS + 2}`);
  });
});

describe('isCleared', () => {
  it('is true only once the alarm returned to normal', () => {
    expect(isCleared(alarm)).toBe(false);
    expect(isCleared(withState({}))).toBe(false);
    expect(isCleared(withState({ clearedAt: AT }))).toBe(true);
  });
});

describe('randomActive', () => {
  /** A random source that answers `values` in turn, then keeps answering the last one. */
  const sequence = (...values: number[]) => {
    let i = 0;
    const random = () => values[Math.min(i++, values.length - 1)] ?? 0;
    return Object.assign(random, { calls: () => i });
  };
  const cleared = withState({ clearedAt: AT });
  const first = sampleAlarm({ alarmId: '1' });
  const last = sampleAlarm({ alarmId: '3' });
  const list = [first, sampleAlarm({ alarmId: '2' }), last];

  it('finds nothing in an empty list, without drawing', () => {
    const random = sequence(0);
    expect(randomActive([], random)).toBeUndefined();
    expect(random.calls()).toBe(0);
  });

  it('takes the alarm the draw points at, first to last', () => {
    expect(randomActive(list, sequence(0))).toBe(first);
    expect(randomActive(list, sequence(0.5))).toBe(list[1]);
    expect(randomActive(list, sequence(0.999))).toBe(last);
  });

  it('draws again past a cleared alarm', () => {
    const random = sequence(0, 0, 0.99);
    expect(randomActive([cleared, last], random)).toBe(last);
    expect(random.calls()).toBe(3);
  });

  it('gives up after eight draws that all hit cleared alarms', () => {
    expect(randomActive([cleared, last], sequence(0, 0, 0, 0, 0, 0, 0, 0.99))).toBe(last);
    const random = sequence(0, 0, 0, 0, 0, 0, 0, 0, 0.99);
    expect(randomActive([cleared, last], random)).toBeUndefined();
    expect(random.calls()).toBe(8);
    expect(randomActive([cleared, cleared], sequence(0.3, 0.7))).toBeUndefined();
  });
});
