/**
 * Reading the answers of section 7 without trusting them: a page with a bad ticket keeps the
 * others, answers that cannot be read become sentences, events are checked before use.
 */
import { describe, expect, it } from 'vitest';
import {
  parseChangesPage,
  parseHubAnswer,
  parseTicketAnswer,
  parseTicketEvent,
  readTicketChange,
} from './oceane-lifecycle-responses.js';
import type { Answer } from './oceane-responses.js';

function answer(
  body: string,
  headers: Record<string, string> = {},
  contentType = 'application/json',
): Answer {
  return {
    kind: 'answer',
    status: 200,
    statusText: 'OK',
    headers: new Headers({ 'content-type': contentType, ...headers }),
    contentType,
    body,
    truncated: false,
  };
}

const ticket = {
  id: 'OCE-000001',
  status: 'resolved',
  statusChangeDate: '2025-03-01T11:00:00+01:00',
  statusChangeReason: 'Fixed',
  resolutionDate: '2025-03-01T09:59:00Z',
  lastUpdate: '2025-03-01T10:00:00Z',
  externalIdentifier: [
    { owner: 'DataMiner', id: '12/3456' },
    { owner: 'Other', id: 'x' },
    { owner: 'DataMiner', id: '12/3457' },
  ],
  note: [
    { id: 'n-1', author: 'l2', date: '2025-03-01T09:00:00Z', text: 'On site' },
    { text: 'no id' },
  ],
};

describe('a ticket of section 7', () => {
  it('is read with dates in UTC, its alarms, and its notes that have an id', () => {
    expect(readTicketChange(ticket)).toEqual({
      ticketId: 'OCE-000001',
      status: 'resolved',
      statusChangeDate: '2025-03-01T10:00:00.000Z',
      statusChangeReason: 'Fixed',
      resolutionDate: '2025-03-01T09:59:00.000Z',
      lastUpdate: '2025-03-01T10:00:00.000Z',
      alarmIds: ['12/3456', '12/3457'],
      notes: [{ id: 'n-1', author: 'l2', date: '2025-03-01T09:00:00.000Z', text: 'On site' }],
    });
  });

  it('is refused with the reason when its id, status or lastUpdate cannot be used', () => {
    expect(readTicketChange({ ...ticket, id: 'has space' })).toMatchObject({ ticketId: null });
    expect(readTicketChange({ ...ticket, status: 'done' })).toEqual({
      ticketId: 'OCE-000001',
      problem: 'the status is "done", not a status of TMF621',
    });
    expect(readTicketChange({ ...ticket, lastUpdate: 'soon' })).toEqual({
      ticketId: 'OCE-000001',
      problem: 'lastUpdate is not a date',
    });
  });
});

describe('a page of changes', () => {
  it('keeps the good tickets, lists the bad ones, and reads X-Total-Count', () => {
    const page = parseChangesPage(
      answer(JSON.stringify([ticket, { ...ticket, id: 'OCE-2', status: 7 }, 'nonsense']), {
        'X-Total-Count': '42',
      }),
    );
    expect(page.ok).toBe(true);
    if (!page.ok) return;
    expect(page.changes.map((c) => c.ticketId)).toEqual(['OCE-000001']);
    expect(page.skipped).toEqual([
      { ticketId: 'OCE-2', problem: 'the status is missing, not a status of TMF621' },
      { ticketId: null, problem: 'a ticket is not a JSON object' },
    ]);
    expect(page.total).toBe(42);
    expect(page.count).toBe(3);
  });

  it('turns an answer that is not a JSON list into a sentence saying what happens next', () => {
    for (const [body, type, why] of [
      ['{}', 'application/json', 'the body is not a JSON array'],
      ['<html></html>', 'text/html', 'the answer is not JSON'],
    ] as const) {
      const page = parseChangesPage(answer(body, {}, type));
      expect(page.ok).toBe(false);
      if (page.ok) continue;
      expect(page.error.message).toBe('Invalid answer from Oceane');
      expect(page.error.description).toMatch(
        new RegExp(`^Oceane answered the list of changed tickets, but ${why}`),
      );
      expect(page.error.description).toContain('The console keeps the statuses it has');
      expect(page.error.description).not.toContain('<html>');
    }
  });
});

describe('a ticket, a hub and an event', () => {
  it('reads a ticket answer, or says why not', () => {
    expect(parseTicketAnswer(answer(JSON.stringify(ticket)))).toMatchObject({
      ok: true,
      ticket: { ticketId: 'OCE-000001' },
    });
    const bad = parseTicketAnswer(answer(JSON.stringify({ ...ticket, status: 'weird' })));
    expect(bad.ok).toBe(false);
    expect(bad.ok ? '' : bad.error.description).toContain('the status is "weird"');
  });

  it('reads the hub id, or says polling goes on', () => {
    expect(parseHubAnswer(answer('{"id":"HUB-1","callback":"x"}'))).toEqual({
      ok: true,
      hubId: 'HUB-1',
    });
    const bad = parseHubAnswer(answer('{"callback":"x"}'));
    expect(bad.ok ? '' : bad.error.description).toBe(
      'Oceane answered the subscription to ticket events, but the hub id is missing. The console goes on polling for changes.',
    );
  });

  it('reads an event of 7.5, or names its problem', () => {
    const event = {
      eventId: 'EVT-1',
      eventTime: '2025-03-01T10:00:00Z',
      eventType: 'TroubleTicketStatusChangeEvent',
      event: { troubleTicket: ticket },
    };
    expect(parseTicketEvent(event)).toMatchObject({
      ok: true,
      eventId: 'EVT-1',
      eventType: 'TroubleTicketStatusChangeEvent',
      change: { ticketId: 'OCE-000001', status: 'resolved' },
    });
    expect(parseTicketEvent({ ...event, eventId: undefined })).toEqual({
      ok: false,
      problem: 'The event has no eventId or eventType.',
    });
    expect(parseTicketEvent({ ...event, event: {} })).toEqual({
      ok: false,
      problem: 'The ticket of event EVT-1 cannot be read: a ticket is not a JSON object.',
    });
    expect(parseTicketEvent('x')).toMatchObject({ ok: false });
  });
});
