/**
 * A second operator (issue 5): another console, with its own connector, stores and data
 * folder, asks for a ticket on an alarm that already has one in Oceane. It gets that ticket,
 * whether it asks first (findExistingTicket, as the Create Ticket dialog does) or sends a
 * request straight away (createTicket): Oceane never gets a second ticket for the alarm.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PROPERTY_TICKET_ID, PROPERTY_TICKET_URL } from '../shared/domain.js';
import { FakeClock } from '../electron/connector/index.js';
import { DEMO_CREDENTIALS } from '../electron/oceane-simulator/index.js';
import {
  countRequests,
  startRig,
  ticketRequest,
  type Rig,
} from '../electron/connector/test-support.js';

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.dispose();
});

/** A console of its own (data folder, stores, connector) pointed at `oceaneUrl`. */
async function operator(oceaneUrl?: string): Promise<Rig> {
  const r = await startRig();
  rigs.push(r);
  if (oceaneUrl) {
    // Another Base URL: the Client Secret is entered again with it.
    const result = await r.connector.updateSettings({
      api: { baseUrl: oceaneUrl },
      clientSecret: DEMO_CREDENTIALS.clientSecret,
    });
    expect(result.ok).toBe(true);
  }
  return r;
}

/** Operator 1 creates the alarm's ticket; returns its id and the shared Oceane. */
async function firstOperatorCreates(): Promise<{ first: Rig; ticketId: string; url: string }> {
  const first = await operator();
  const request = ticketRequest();
  expect(await first.connector.findExistingTicket(request)).toBeNull();
  expect((await first.connector.createTicket(request)).ok).toBe(true);
  await first.connector.whenIdle();
  const ticketId = first.sim.ledger()[0]?.id ?? '';
  expect(ticketId).not.toBe('');
  return { first, ticketId, url: `${first.sim.url}/ticket/${encodeURIComponent(ticketId)}` };
}

describe('a second operator asking for a ticket on an alarm that has one in Oceane', () => {
  it('is shown the existing ticket (findExistingTicket), and a request is then refused', async () => {
    const { first, ticketId, url } = await firstOperatorCreates();
    const request = {
      ...ticketRequest(),
      alarmId: first.connector.listTickets()[0]?.alarmId ?? '',
    };
    const second = await operator(first.sim.url);

    const found = await second.connector.findExistingTicket(request);

    expect(found).toEqual({
      source: 'oceane',
      status: 'Created',
      ticketId,
      ticketUrl: url,
      instance: null,
    });
    expect(second.props.get(request.dmaId, request.alarmId)).toEqual({
      [PROPERTY_TICKET_ID]: ticketId,
      [PROPERTY_TICKET_URL]: url,
    });
    const again = await second.connector.createTicket(request);
    expect(again).toMatchObject({ ok: false, error: { code: 'duplicate' } });
    expect(again.ok ? '' : again.error.message).toContain(ticketId);
    expect(first.sim.ledger()).toHaveLength(1);
    expect(countRequests(first.sim, 'create')).toBe(1);
  });

  it('gets the existing ticket adopted when it sends a request straight away (createTicket)', async () => {
    const { first, ticketId, url } = await firstOperatorCreates();
    const request = {
      ...ticketRequest(),
      alarmId: first.connector.listTickets()[0]?.alarmId ?? '',
    };
    const second = await operator(first.sim.url);
    const notices: string[] = [];
    second.connector.on('notice', (n) => notices.push(n.message));

    const queued = await second.connector.createTicket(request);
    expect(queued).toMatchObject({ ok: true, value: { status: 'Pending' } });
    await second.connector.whenIdle();

    expect(first.sim.ledger()).toHaveLength(1);
    expect(countRequests(first.sim, 'create')).toBe(1);
    // Issue 10: the adopted ticket is in the Tickets table, marked as found, not created here.
    expect(second.connector.listTickets()).toEqual([
      expect.objectContaining({ status: 'Created', ticketId, ticketUrl: url, origin: 'found' }),
    ]);
    expect(second.props.get(request.dmaId, request.alarmId)).toEqual({
      [PROPERTY_TICKET_ID]: ticketId,
      [PROPERTY_TICKET_URL]: url,
    });
    expect(
      notices.some((m) => m.includes(`Ticket ${ticketId}`) && m.includes('found in Oceane')),
    ).toBe(true);
  });

  it('gets the ticket another operator created while its dialog was open', async () => {
    const first = await operator();
    const clock = new FakeClock();
    const second = await startRig({ clock });
    rigs.push(second);
    await second.connector.updateSettings({
      api: { baseUrl: first.sim.url },
      clientSecret: DEMO_CREDENTIALS.clientSecret,
    });
    const request = ticketRequest();
    // Both dialogs open while the alarm has no ticket; the first operator sends at once.
    expect(await first.connector.findExistingTicket(request)).toBeNull();
    expect(await second.connector.findExistingTicket(request)).toBeNull();
    await first.connector.createTicket(request);
    await first.connector.whenIdle();
    // The second operator sends a minute later: that "no ticket" is stale, so the alarm is
    // looked up again before anything is created.
    clock.set(clock.now() + 60_000);
    const creates = countRequests(first.sim, 'create');
    expect((await second.connector.createTicket(request)).ok).toBe(true);
    await second.connector.whenIdle();
    expect(countRequests(first.sim, 'create')).toBe(creates);
    expect(first.sim.ledger()).toHaveLength(1);
    expect(second.connector.listTickets()[0]).toMatchObject({
      status: 'Created',
      ticketId: first.sim.ledger()[0]?.id,
      origin: 'found',
    });
  });
});
