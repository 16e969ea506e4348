/** The decision on an alarm's clear: nothing, a note, or a resolution; groups wait for all. */
import { describe, expect, it } from 'vitest';
import { decideOnClear, type TicketForClear } from './clear-action.js';

const one: TicketForClear = {
  ticketId: 'OCE-1',
  status: 'inProgress',
  alarmKeys: ['12/1'],
  actedOn: false,
};
const group: TicketForClear = { ...one, alarmKeys: ['12/1', '12/2', '13/3'] };

describe('an alarm clears', () => {
  it('resolves a ticket with the clear time as resolution date', () => {
    expect(decideOnClear('resolve', one, new Map([['12/1', '2025-03-01T11:00:00+01:00']]))).toEqual(
      {
        kind: 'resolve',
        clearedAt: '2025-03-01T10:00:00Z',
        change: {
          status: 'resolved',
          reason: 'Alarm cleared in DataMiner at 2025-03-01T10:00:00Z',
          resolutionDate: '2025-03-01T10:00:00Z',
        },
      },
    );
  });

  it('adds a note instead, with the other setting', () => {
    expect(decideOnClear('note', one, new Map([['12/1', '2025-03-01T10:00:00Z']]))).toEqual({
      kind: 'note',
      clearedAt: '2025-03-01T10:00:00Z',
      text: 'Alarm 12/1 cleared in DataMiner at 2025-03-01T10:00:00Z.',
    });
  });

  it('does nothing with the setting "nothing", on a final ticket, or when already acted on', () => {
    const cleared = new Map([['12/1', '2025-03-01T10:00:00Z']]);
    expect(decideOnClear('nothing', one, cleared)).toMatchObject({
      kind: 'nothing',
      reason: 'setting',
    });
    expect(decideOnClear('resolve', { ...one, status: 'closed' }, cleared)).toMatchObject({
      reason: 'ticket-final',
    });
    expect(decideOnClear('note', { ...one, actedOn: true }, cleared)).toMatchObject({
      reason: 'already-acted-on',
    });
    expect(decideOnClear('resolve', { ...one, status: 'resolved' }, cleared)).toMatchObject({
      reason: 'already-resolved',
    });
    // A note still goes to a resolved ticket: it is not final.
    expect(decideOnClear('note', { ...one, status: 'resolved' }, cleared).kind).toBe('note');
  });
});

describe('a ticket of several alarms', () => {
  it('waits until all its alarms have cleared, naming those still active', () => {
    expect(decideOnClear('resolve', group, new Map([['12/1', '2025-03-01T10:00:00Z']]))).toEqual({
      kind: 'nothing',
      reason: 'waiting-for-other-alarms',
      waitingFor: ['12/2', '13/3'],
    });
  });

  it('then resolves with the last clear time', () => {
    const cleared = new Map([
      ['12/1', '2025-03-01T10:00:00Z'],
      ['13/3', '2025-03-01T10:07:00Z'],
      ['12/2', '2025-03-01T10:05:00Z'],
    ]);
    expect(decideOnClear('resolve', group, cleared)).toEqual({
      kind: 'resolve',
      clearedAt: '2025-03-01T10:07:00Z',
      change: {
        status: 'resolved',
        reason: 'All 3 alarms of the ticket cleared in DataMiner, the last at 2025-03-01T10:07:00Z',
        resolutionDate: '2025-03-01T10:07:00Z',
      },
    });
    expect(decideOnClear('note', group, cleared)).toMatchObject({
      kind: 'note',
      text:
        'All 3 alarms of the ticket cleared in DataMiner: 12/1 at 2025-03-01T10:00:00Z, ' +
        '12/2 at 2025-03-01T10:05:00Z, 13/3 at 2025-03-01T10:07:00Z.',
    });
  });
});
