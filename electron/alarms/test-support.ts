/**
 * The alarm the alarm tests share: one critical alarm of a core router, as DataMiner gives it.
 * Each test overrides only the fields it checks, so the common shape is written once.
 */
import type { Alarm } from '../../shared/domain.js';

/** The shared alarm, with `overrides` laid over it. */
export function sampleAlarm(overrides: Partial<Alarm> = {}): Alarm {
  return {
    dmaId: '346',
    elementId: '212',
    alarmId: '48213',
    elementName: 'PAR-CORE-RTR-01',
    parameter: 'Interface Status',
    value: 'Down',
    severity: 'Critical',
    time: '2025-03-14T09:31:05.000Z',
    rootTime: '2025-03-14T08:02:07.250Z',
    properties: {},
    ...overrides,
  };
}
