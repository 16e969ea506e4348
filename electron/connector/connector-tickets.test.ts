import type { TicketRow } from '../../shared/domain.js';
import { readStoredRows } from '../storage/store-faults.js';
import type { QueueEntry } from './ticket-rows.js';
import { afterEach, describe, expect, it } from 'vitest';
import { PROPERTY_TICKET_ID, PROPERTY_TICKET_URL } from '../../shared/domain.js';
import type { TicketsChanged } from '../../shared/domain.js';
import { DEMO_CREDENTIALS } from '../oceane-simulator/index.js';
import { countRequests, startRig, ticketRequest, type Rig } from './test-support.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

describe('creating a ticket', () => {
  it('creates the ticket in Oceane, writes the alarm properties and marks the row Created', async () => {
    rig = await startRig();
    const changes: TicketsChanged[] = [];
    rig.connector.on('tickets:changed', (c) => changes.push(c));
    const request = ticketRequest({ description: 'Uplink lost' });

    const result = await rig.connector.createTicket(request);

    expect(result).toMatchObject({ ok: true, value: { status: 'Pending' } });
    if (!result.ok) return;
    await rig.connector.whenIdle();
    const ledger = rig.sim.ledger();
    expect(ledger).toHaveLength(1);
    const ticket = ledger[0]!;
    expect(ticket.externalIdentifier[0]?.id).toBe(`123/${request.alarmId}`);
    expect(ticket.description).toBe('Uplink lost');
    const url = `${rig.sim.url}/ticket/${encodeURIComponent(ticket.id)}`;
    expect(rig.props.get('123', request.alarmId)).toEqual({
      [PROPERTY_TICKET_ID]: ticket.id,
      [PROPERTY_TICKET_URL]: url,
    });
    expect(rig.connector.listTickets()).toEqual([
      expect.objectContaining({
        instance: result.value.instance,
        status: 'Created',
        ticketId: ticket.id,
        ticketUrl: url,
        alarmId: request.alarmId,
        dmaId: '123',
        elementId: '45',
        elementName: 'PAR-CORE-RTR-01',
        priority: 'High',
        urgency: 'Medium',
        technicalImpact: 'Major',
        rootCause: 'Link down',
      }),
    ]);
    const requestIds = rig.sim.requests().filter((r) => r.method === 'POST' && r.requestId);
    expect(requestIds.map((r) => r.requestId)).toEqual([result.value.instance]);
    expect(rig.connector.getQueueStatus()).toEqual({ locked: false, lockedBy: null, pending: [] });
    const statuses = changes.flatMap((c) => c.upserted.map((r) => r.status));
    expect(statuses[0]).toBe('Pending');
    expect(statuses.at(-1)).toBe('Created');
  });

  it('answers Pending only after the row and the queue entry are stored', async () => {
    rig = await startRig({ connector: { autoStart: false } });
    const result = await rig.connector.createTicket(ticketRequest());
    expect(result.ok).toBe(true);
    const instance = result.ok ? result.value.instance : 'none';
    const tickets = readStoredRows<TicketRow>(rig.dataDir, 'tickets');
    const queue = readStoredRows<QueueEntry>(rig.dataDir, 'queue');
    expect(tickets).toEqual([expect.objectContaining({ instance, status: 'Pending' })]);
    expect(queue).toEqual([expect.objectContaining({ instance })]);
    expect(countRequests(rig.sim, 'create')).toBe(0);
  });

  it('refuses each missing or invalid required field with its own message', async () => {
    rig = await startRig();
    const required = [
      'dmaId',
      'elementId',
      'alarmId',
      'elementName',
      'priority',
      'urgency',
      'technicalImpact',
    ] as const;
    for (const field of required) {
      const request: Record<string, unknown> = { ...ticketRequest() };
      delete request[field];
      const result = await rig.connector.createTicket(request as never);
      expect(result.ok, field).toBe(false);
      if (result.ok) continue;
      expect(result.error.code).toBe('validation');
      expect(Object.keys(result.error.fields ?? {})).toEqual([field]);
      expect(result.error.fields?.[field]).toMatch(/required|Choose/);
    }
    const bad = await rig.connector.createTicket(
      ticketRequest({ dmaId: 'abc', priority: 'Urgent' as never, elementName: '   ' }),
    );
    expect(bad.ok ? null : bad.error.fields).toEqual({
      dmaId: expect.stringContaining('number') as string,
      priority: 'Choose a Priority',
      elementName: 'Element Name is required',
    });
    expect(rig.connector.listTickets()).toEqual([]);
    expect(countRequests(rig.sim, 'create')).toBe(0);
  });

  it('refuses a second ticket for an alarm that has one pending or created', async () => {
    rig = await startRig({ connector: { autoStart: false } });
    const request = ticketRequest();
    const first = await rig.connector.createTicket(request);
    expect(first.ok).toBe(true);

    const pending = await rig.connector.createTicket({ ...request, priority: 'Low' });
    expect(pending).toMatchObject({ ok: false, error: { code: 'duplicate' } });
    expect(pending.ok ? '' : pending.error.message).toContain('pending');

    rig.connector.start();
    await rig.connector.whenIdle();
    const ticketId = rig.sim.ledger()[0]?.id ?? 'missing';
    const created = await rig.connector.createTicket(request);
    expect(created).toMatchObject({ ok: false, error: { code: 'duplicate' } });
    expect(created.ok ? '' : created.error.message).toContain(ticketId);
    expect(rig.sim.ledger()).toHaveLength(1);
  });

  it('refuses concurrent requests for the same alarm but one', async () => {
    rig = await startRig();
    const request = ticketRequest();
    const results = await Promise.all([1, 2, 3].map(() => rig!.connector.createTicket(request)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    await rig.connector.whenIdle();
    expect(rig.sim.ledger()).toHaveLength(1);
  });

  it('tells where an existing ticket comes from: property, table, queue or Oceane', async () => {
    rig = await startRig({ connector: { autoStart: false } });
    const queued = ticketRequest();
    await rig.connector.createTicket(queued);
    expect(await rig.connector.findExistingTicket(queued)).toMatchObject({
      source: 'queue',
      status: 'Pending',
    });

    await rig.props.set('123', '9', {
      [PROPERTY_TICKET_ID]: 'TT-9',
      [PROPERTY_TICKET_URL]: 'javascript:alert(1)',
    });
    expect(await rig.connector.findExistingTicket({ dmaId: '123', alarmId: '9' })).toEqual({
      source: 'property',
      status: 'Created',
      ticketId: 'TT-9',
      ticketUrl: null,
      instance: null,
    });

    expect(await rig.connector.findExistingTicket({ dmaId: '123', alarmId: '77777' })).toBeNull();
    expect(
      await rig.connector.findExistingTicket(
        { dmaId: '123', alarmId: '77777' },
        { askOceane: false },
      ),
    ).toBeNull();
  });

  it('gives a second operator the ticket that Oceane already has for the alarm', async () => {
    rig = await startRig();
    const request = ticketRequest();
    await rig.connector.createTicket(request);
    await rig.connector.whenIdle();
    const ticketId = rig.sim.ledger()[0]?.id;

    const second = await startRig({ simulator: {} });
    try {
      // The second operator's connector talks to the first simulator.
      // Another Base URL: the Client Secret is entered again with it.
      await second.connector.updateSettings({
        api: { baseUrl: rig.sim.url },
        clientSecret: DEMO_CREDENTIALS.clientSecret,
      });
      const found = await second.connector.findExistingTicket(request);
      expect(found).toMatchObject({ source: 'oceane', status: 'Created', ticketId });
      expect(found?.ticketUrl).toBe(`${rig.sim.url}/ticket/${encodeURIComponent(ticketId ?? '')}`);
      expect(second.props.get('123', request.alarmId)[PROPERTY_TICKET_ID]).toBe(ticketId);
      const again = await second.connector.createTicket(request);
      expect(again).toMatchObject({ ok: false, error: { code: 'duplicate' } });
      expect(rig.sim.ledger()).toHaveLength(1);
    } finally {
      await second.dispose();
    }
  });

  it('tells listeners about a burst of requests in a few events carrying only the changed rows', async () => {
    rig = await startRig({ connector: { autoStart: false } });
    const events: TicketsChanged[] = [];
    rig.connector.on('tickets:changed', (c) => events.push(c));
    const results = await Promise.all(
      Array.from({ length: 20 }, () => rig!.connector.createTicket(ticketRequest())),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    rig.connector.start();
    await rig.connector.whenIdle();
    const upserts = events.flatMap((e) => e.upserted);
    expect(upserts.filter((r) => r.status === 'Pending')).toHaveLength(20);
    // Rows that carry an Oceane status are the follow-up's (issue 13), not the creations.
    const created = upserts.filter((r) => r.status === 'Created' && r.oceaneStatus === undefined);
    expect(created).toHaveLength(20);
    expect(events.length).toBeLessThan(25);
    expect(events.every((e) => e.upserted.length <= 20)).toBe(true);
  });

  it('refuses to queue when Oceane is not configured', async () => {
    rig = await startRig({ configure: false });
    const result = await rig.connector.createTicket(ticketRequest());
    expect(result).toMatchObject({ ok: false, error: { code: 'not-configured' } });
    expect(rig.connector.listTickets()).toEqual([]);
  });

  it('stores a new request as "look the alarm up first": this run skips the look-up the dialog made, a later start does not', async () => {
    rig = await startRig({ connector: { autoStart: false } });
    const first = ticketRequest();
    const second = ticketRequest();
    for (const request of [first, second]) {
      // The Create Ticket dialog asked Oceane moments ago: none.
      expect(await rig.connector.findExistingTicket(request)).toBeNull();
      expect(await rig.connector.createTicket(request)).toMatchObject({ ok: true });
    }
    const stored = readStoredRows<QueueEntry>(rig.dataDir, 'queue');
    expect(stored.map((e) => [e.state.phase, e.state.checkFirst])).toEqual([
      ['new', true],
      ['new', true],
    ]);
    expect(countRequests(rig.sim, 'find')).toBe(2);

    // This run: the first request goes out without a second look-up.
    rig.connector.start();
    await rig.connector.whenIdle();
    expect(countRequests(rig.sim, 'find')).toBe(2);
    expect(countRequests(rig.sim, 'create')).toBe(2);

    // A request whose later writes are gone (as after a power cut) is looked up at the next
    // start before its create.
    const third = ticketRequest();
    expect(await rig.connector.findExistingTicket(third)).toBeNull();
    await rig.connector.close();
    const reopened = await rig.reopen({ autoStart: false });
    expect(await reopened.createTicket(third)).toMatchObject({ ok: true });
    const again = await rig.reopen({ autoStart: true });
    await again.whenIdle();
    expect(countRequests(rig.sim, 'find')).toBe(4);
    expect(countRequests(rig.sim, 'create')).toBe(3);
    expect(rig.sim.ledger()).toHaveLength(3);
  });
});
