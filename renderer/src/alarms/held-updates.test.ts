import { beforeEach, describe, expect, it } from 'vitest';
import type { Alarm } from '../../../shared/domain.js';
import { useAppStore } from '../store/store.js';
import { toEntry } from './alarm-entry.js';
import { HeldUpdates, isHolding, staysInPlace } from './held-updates.js';

const base: Alarm = {
  dmaId: '100',
  elementId: '200',
  alarmId: '300',
  elementName: 'PAR-PE-RTR-01',
  parameter: 'CPU Load',
  value: '91 %',
  severity: 'Major',
  time: '2025-03-14T09:00:00.000Z',
  rootTime: '2025-03-14T08:00:00.000Z',
  properties: {},
};
const other: Alarm = { ...base, alarmId: '301', elementName: 'LYO-PE-RTR-02' };

describe('held live changes', () => {
  let held: HeldUpdates;
  beforeEach(() => {
    useAppStore.setState({ menu: null, dialog: null, commentFor: null, holdReasons: new Set() });
    const index = useAppStore.getState().alarmIndex;
    index.replaceAll([base, other]);
    held = new HeldUpdates(useAppStore.getState, useAppStore.setState);
  });

  it('apply at once while the operator is not working in the grid', () => {
    held.deliver([{ upserted: [{ ...base, severity: 'Critical' }], removed: [] }]);
    expect(useAppStore.getState().alarmIndex.get('100/300')?.alarm.severity).toBe('Critical');
    expect(useAppStore.getState().heldChanges).toBe(0);
  });

  it('wait while a menu is open, counted per alarm, and apply once released', () => {
    useAppStore.getState().setHold('pointer', true);
    expect(isHolding(useAppStore.getState())).toBe(true);
    held.deliver([
      { upserted: [{ ...base, severity: 'Critical', latestAlarmId: '305' }], removed: [] },
      { upserted: [{ ...base, severity: 'Minor', latestAlarmId: '306' }], removed: ['100/301'] },
    ]);
    const s = useAppStore.getState();
    expect(s.heldChanges).toBe(2);
    expect(s.alarmIndex.get('100/300')?.alarm.severity).toBe('Major');
    expect(s.alarmIndex.get('100/301')).toBeDefined();
    held.release();
    const after = useAppStore.getState();
    expect(after.alarmIndex.get('100/300')?.alarm.severity).toBe('Minor');
    expect(after.alarmIndex.get('100/301')).toBeUndefined();
    expect(after.heldChanges).toBe(0);
  });

  it('still show at once a change that leaves the row where it is (an acknowledgement)', () => {
    useAppStore.setState({ commentFor: ['100/300'] });
    const acked: Alarm = {
      ...base,
      state: {
        acknowledgedBy: 'Ana',
        acknowledgedAt: base.time,
        owner: null,
        comments: [],
        clearedAt: null,
      },
    };
    held.deliver([{ upserted: [acked], removed: [] }]);
    expect(useAppStore.getState().alarmIndex.get('100/300')?.alarm.state?.acknowledgedBy).toBe(
      'Ana',
    );
    expect(held.size).toBe(0);
  });

  it('count a change as moving the row when the grid is sorted by the changed column', () => {
    const acked: Alarm = { ...base, state: { ...EMPTY, owner: 'Ana' } };
    expect(staysInPlace(toEntry(base), acked, 'time')).toBe(true);
    expect(staysInPlace(toEntry(base), acked, 'owner')).toBe(false);
    expect(staysInPlace(toEntry(base), { ...base, time: '2025-03-14T10:00:00.000Z' }, 'time')).toBe(
      false,
    );
  });
});

const EMPTY = {
  acknowledgedBy: null,
  acknowledgedAt: null,
  owner: null,
  comments: [],
  clearedAt: null,
};
