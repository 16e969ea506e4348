import { describe, expect, it } from 'vitest';
import type { Alarm, ExistingTicket } from '../../../shared/domain.js';
import { createTicketRequestSchema, MAX_GROUP_ALARMS } from '../../../shared/schemas.js';
import { AlarmTicketFlags } from '../store/ticket-flags.js';
import {
  canInclude,
  groupKeysFor,
  groupMembers,
  groupRequest,
  setIncluded,
} from './group-ticket-request.js';

function alarm(alarmId: string, elementId: string, elementName: string): Alarm {
  return {
    dmaId: '101',
    elementId,
    alarmId,
    elementName,
    parameter: `Param ${alarmId}`,
    value: `Value ${alarmId}`,
    severity: 'Major',
    time: '2026-12-02T10:00:00.000Z',
    rootTime: '2026-12-02T09:00:00.000Z',
    properties: {},
  };
}
const created: ExistingTicket = {
  source: 'property',
  status: 'Created',
  ticketId: 'TT-1',
  ticketUrl: null,
  instance: null,
};
const pending: ExistingTicket = {
  source: 'queue',
  status: 'Pending',
  ticketId: null,
  ticketUrl: null,
  instance: 'i-1',
};
const fields = { priority: 'High', urgency: 'Medium', technicalImpact: 'Major' };
const alarms = [
  { key: '101/1', alarm: alarm('1', '10', 'R1') },
  { key: '101/2', alarm: alarm('2', '11', 'R2') },
  { key: '101/3', alarm: alarm('3', '11', 'R2') },
  { key: '101/4', alarm: alarm('4', '12', 'R3') },
];

describe('the alarms of a selection’s Create Ticket dialog', () => {
  it('lists the selection with the alarm the menu was opened on first; one alarm is no group', () => {
    expect(groupKeysFor(['101/1', '101/2', '101/3'], '101/2')).toEqual({
      keys: ['101/2', '101/1', '101/3'],
    });
    expect(groupKeysFor(['101/1'], '101/1')).toEqual({ keys: [] });
    // A menu opened on an alarm outside the selection acts on that alarm alone.
    expect(groupKeysFor(['101/1', '101/2'], '101/9')).toEqual({ keys: [] });
  });

  it('refuses a selection above the bound with a sentence for the operator', () => {
    const many = Array.from({ length: MAX_GROUP_ALARMS + 1 }, (_, i) => `101/${i}`);
    const result = groupKeysFor(many, '101/0');
    expect('error' in result && result.error).toMatch(/^501 alarms are selected; .*500/);
    expect('keys' in groupKeysFor(many.slice(0, MAX_GROUP_ALARMS), '101/0')).toBe(true);
  });

  it('includes by default only the alarms without a ticket or an open request', () => {
    const members = groupMembers(alarms, [null, created, pending, null]);
    expect(members.map((m) => m.included)).toEqual([true, false, false, true]);
    expect(members.map(canInclude)).toEqual([true, true, false, true]);
  });

  it('lets the operator include an alarm with a ticket, never one with an open request', () => {
    let members = groupMembers(alarms, [null, created, pending, null]);
    members = setIncluded(members, '101/2', true);
    members = setIncluded(members, '101/3', true);
    members = setIncluded(members, '101/4', false);
    expect(members.map((m) => m.included)).toEqual([true, true, false, false]);
  });
});

describe('the one request of the dialog', () => {
  it('is for the first alarm without a ticket, with the other included alarms', () => {
    let members = groupMembers(alarms, [created, null, pending, null]);
    members = setIncluded(members, '101/1', true);
    const built = groupRequest(members, fields);
    if ('error' in built) throw new Error(built.error);
    const parsed = createTicketRequestSchema.parse(built.request);
    expect(parsed).toMatchObject({ alarmId: '2', elementId: '11', alarmValue: 'Value 2' });
    expect(parsed.otherAlarms).toEqual([
      expect.objectContaining({ alarmId: '1', elementName: 'R1', includeTicketed: true }),
      expect.objectContaining({ alarmId: '4', elementName: 'R3', parameter: 'Param 4' }),
    ]);
    expect(parsed.otherAlarms?.[1]).not.toHaveProperty('includeTicketed');
    expect(built.included.map((m) => m.key)).toEqual(['101/1', '101/2', '101/4']);
  });

  it('says why there is no request: nothing included, or only alarms with tickets', () => {
    const none = groupMembers(alarms.slice(0, 1), [pending]);
    const noneBuilt = groupRequest(none, fields);
    expect('error' in noneBuilt && noneBuilt.error).toMatch(/^No alarm/);
    const ticketed = setIncluded(groupMembers(alarms.slice(0, 1), [created]), '101/1', true);
    const ticketedBuilt = groupRequest(ticketed, fields);
    expect('error' in ticketedBuilt && ticketedBuilt.error).toMatch(
      /^Every included alarm already has a ticket/,
    );
  });

  it('a single included alarm makes a request without other alarms', () => {
    const members = groupMembers(alarms.slice(0, 2), [null, created]);
    const built = groupRequest(members, fields);
    if ('error' in built) throw new Error(built.error);
    expect(built.request).not.toHaveProperty('otherAlarms');
  });
});

describe('the ticket flags of a group', () => {
  it('marks every alarm of a pending group row, and clears them all once it is created', () => {
    const flags = new AlarmTicketFlags();
    const row = {
      instance: 'g-1',
      ticketId: '',
      alarmId: '1',
      dmaId: '101',
      elementId: '10',
      elementName: 'R1',
      createdAt: '2026-12-02T10:00:00.000Z',
      priority: 'High' as const,
      urgency: 'Medium' as const,
      technicalImpact: 'Major' as const,
      clientImpact: '',
      rootCause: '',
      rootTime: '',
      description: '',
      status: 'Pending' as const,
      ticketUrl: '',
      otherAlarms: [{ dmaId: '101', alarmId: '2', elementId: '11', elementName: 'R2' }],
    };
    flags.apply({ upserted: [row], removed: [] });
    expect([flags.flagOf('101/1'), flags.flagOf('101/2'), flags.flagOf('101/3')]).toEqual([
      'pending',
      'pending',
      null,
    ]);
    flags.apply({ upserted: [{ ...row, status: 'Failed' }], removed: [] });
    expect(flags.flagOf('101/2')).toBe('failed');
    flags.apply({ upserted: [], removed: ['g-1'] });
    expect([flags.flagOf('101/1'), flags.flagOf('101/2')]).toEqual([null, null]);
  });
});
