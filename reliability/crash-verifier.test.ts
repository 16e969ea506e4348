import { describe, expect, it } from 'vitest';
import { PROPERTY_TICKET_ID, PROPERTY_TICKET_URL, type TicketRow } from '../shared/domain.js';
import {
  crashLine,
  verifyCrashRun,
  type CrashEvidence,
  type LedgerTicket,
} from './crash-verifier.js';

const BASE = 'http://127.0.0.1:4000';
const urlOf = (id: string): string => `${BASE}/ticket/${encodeURIComponent(id)}`;

function ticket(id: string, alarmId: string): LedgerTicket {
  return { id, externalIdentifier: [{ id: `321/${alarmId}` }] };
}

function row(
  alarmId: string,
  ticketId: string,
  status: TicketRow['status'] = 'Created',
): TicketRow {
  return {
    instance: `i-${alarmId}-${ticketId}`,
    ticketId,
    alarmId,
    dmaId: '321',
    elementId: '100',
    elementName: 'CRASH-RTR',
    createdAt: '2025-01-01T00:00:00.000Z',
    priority: 'High',
    urgency: 'Medium',
    technicalImpact: 'Major',
    clientImpact: '',
    rootCause: '',
    rootTime: '',
    description: '',
    status,
    ticketUrl: status === 'Created' ? urlOf(ticketId) : '',
  };
}

/** Evidence of a clean run over alarms 1..3: one ticket each, rows and properties agree. */
function cleanRun(): CrashEvidence {
  const ids = ['OCE-1', 'OCE-2', 'OCE-3'];
  return {
    requested: ['321/1', '321/2', '321/3'],
    ledger: ids.map((id, i) => ticket(id, String(i + 1))),
    tickets: ids.map((id, i) => row(String(i + 1), id)),
    properties: new Map(
      ids.map((id, i) => [
        `321/${i + 1}`,
        { [PROPERTY_TICKET_ID]: id, [PROPERTY_TICKET_URL]: urlOf(id) },
      ]),
    ),
    pending: 0,
    ticketUrl: urlOf,
  };
}

describe('the crash run verdict', () => {
  it('passes a run where every acknowledged alarm has exactly one ticket and all agree', () => {
    const verdict = verifyCrashRun(cleanRun());
    expect(verdict).toEqual({ tickets: 3, duplicates: 0, lost: 0, problems: [] });
    expect(crashLine(7, verdict)).toBe('kills: 7, tickets: 3, duplicates: 0, lost: 0');
  });

  it('counts a second ticket for the same alarm as a duplicate', () => {
    const evidence = cleanRun();
    const verdict = verifyCrashRun({
      ...evidence,
      ledger: [...evidence.ledger, ticket('OCE-4', '2')],
    });
    expect(verdict.duplicates).toBe(1);
    expect(verdict.lost).toBe(0);
    expect(verdict.problems).toEqual(['321/2: 2 tickets in Oceane (OCE-2, OCE-4)']);
    expect(crashLine(1, verdict)).toBe('kills: 1, tickets: 4, duplicates: 1, lost: 0');
  });

  it('counts an acknowledged alarm without a ticket in Oceane as lost', () => {
    const evidence = cleanRun();
    const verdict = verifyCrashRun({
      ...evidence,
      requested: [...evidence.requested, '321/4'],
    });
    expect(verdict.lost).toBe(1);
    expect(verdict.problems).toEqual(['321/4: lost (0 ticket(s) in Oceane, 0 Created row(s))']);
  });

  it('counts a ticket Oceane has but the app never recorded as Created as lost', () => {
    const evidence = cleanRun();
    const verdict = verifyCrashRun({
      ...evidence,
      tickets: [evidence.tickets[0]!, evidence.tickets[1]!, row('3', '', 'Failed')],
    });
    expect(verdict.lost).toBe(1);
    expect(verdict.problems).toEqual([
      '321/3: a Failed row',
      '321/3: lost (1 ticket(s) in Oceane, 0 Created row(s))',
    ]);
  });

  it('reports rows and properties that disagree with the ledger, and a queue left behind', () => {
    const evidence = cleanRun();
    const properties = new Map(evidence.properties);
    properties.set('321/1', {
      [PROPERTY_TICKET_ID]: 'OCE-9',
      [PROPERTY_TICKET_URL]: urlOf('OCE-9'),
    });
    properties.delete('321/3');
    const tickets = [...evidence.tickets];
    tickets[1] = { ...row('2', 'OCE-2'), ticketUrl: 'javascript:alert(1)' };
    const verdict = verifyCrashRun({ ...evidence, properties, tickets, pending: 2 });
    expect(verdict.duplicates).toBe(0);
    expect(verdict.lost).toBe(0);
    expect(verdict.problems).toEqual([
      '321/1: property ID OCE-9, Oceane OCE-1',
      `321/1: property URL ${urlOf('OCE-9')}, expected ${urlOf('OCE-1')}`,
      `321/2: row URL javascript:alert(1), expected ${urlOf('OCE-2')}`,
      '321/3: property ID (none), Oceane OCE-3',
      `321/3: property URL (none), expected ${urlOf('OCE-3')}`,
      '2 request(s) left in the queue',
    ]);
  });

  it('counts an acknowledged request the app forgot after a restart as lost', () => {
    const verdict = verifyCrashRun({ ...cleanRun(), forgotten: ['321/2'] });
    expect(verdict.lost).toBe(1);
    expect(verdict.problems).toEqual([
      '321/2: acknowledged, then forgotten by the app after a restart',
    ]);
  });

  it('reports a ticket created for an alarm the app never acknowledged', () => {
    const evidence = cleanRun();
    const verdict = verifyCrashRun({ ...evidence, requested: ['321/1', '321/2'] });
    expect(verdict.problems).toEqual(['321/3: a ticket for an alarm nobody was told about']);
  });

  it('counts a ticket for several alarms once, and checks it lists and marks every alarm', () => {
    const evidence = cleanRun();
    const group = ['321/10001', '321/10002'];
    const ledger = [...evidence.ledger];
    ledger[1] = { id: 'OCE-2', externalIdentifier: ['321/2', ...group].map((id) => ({ id })) };
    const properties = new Map(evidence.properties);
    const marked = { [PROPERTY_TICKET_ID]: 'OCE-2', [PROPERTY_TICKET_URL]: urlOf('OCE-2') };
    for (const key of group) properties.set(key, marked);
    const groupOf = (key: string): string[] => (key === '321/2' ? group : []);
    const clean = verifyCrashRun({ ...evidence, ledger, properties, groupOf });
    expect(clean).toEqual({ tickets: 3, duplicates: 0, lost: 0, problems: [] });

    // A member without its ID, and a ticket that left a member out.
    properties.delete('321/10002');
    ledger[1] = { id: 'OCE-2', externalIdentifier: [{ id: '321/2' }, { id: '321/10001' }] };
    const verdict = verifyCrashRun({ ...evidence, ledger, properties, groupOf });
    expect(verdict.problems).toEqual([
      '321/2: ticket OCE-2 lists 321/2, 321/10001',
      '321/10002: property ID (none), Oceane OCE-2',
      `321/10002: property URL (none), expected ${urlOf('OCE-2')}`,
    ]);
  });
});
