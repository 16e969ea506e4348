/**
 * Events of oceane-api.md section 7.5 over real HTTP: subscribe and unsubscribe, events POSTed
 * to a real listener on 127.0.0.1, retried until it answers 2xx, and the delivery faults (an
 * event lost, an event delivered twice).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSimulator } from './server.js';
import { createTicket, noteOperation, patchTicket, token } from './test-support.js';
import type { RunningSimulator, TroubleTicket } from './types.js';

const HUB = '/tmf-api/troubleTicket/v5/hub';
const QUERY =
  'eventType=TroubleTicketStatusChangeEvent,TroubleTicketResolvedEvent,TroubleTicketAttributeValueChangeEvent';

interface Received {
  path: string;
  body: {
    eventId: string;
    eventTime: string;
    eventType: string;
    event: { troubleTicket: TroubleTicket };
  };
}

let sim: RunningSimulator;
let accessToken: string;
let listener: http.Server;
let listenerUrl: string;
let received: Received[];
/** Statuses the listener answers, in turn; 204 once they are used up. */
let answers: number[];

beforeEach(async () => {
  received = [];
  answers = [];
  listener = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = answers.shift() ?? 204;
      if (status < 300) {
        received.push({
          path: req.url ?? '',
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'],
        });
      }
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/console`;
  sim = await startSimulator({ eventRetryMs: 10, eventAttempts: 3 });
  accessToken = await token(sim);
});
afterEach(async () => {
  await sim.close();
  await new Promise((resolve) => listener.close(resolve));
});

function subscribe(body: unknown): Promise<Response> {
  return fetch(`${sim.url}${HUB}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${accessToken}`,
      'Content-Type': 'application/json',
      Accept: 'application/json',
    },
    body: JSON.stringify(body),
  });
}

function unsubscribe(id: string): Promise<Response> {
  return fetch(`${sim.url}${HUB}/${id}`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${accessToken}` },
  });
}

async function newTicket(): Promise<TroubleTicket> {
  return (await (await createTicket(sim, accessToken)).json()) as TroubleTicket;
}

describe('subscriptions (7.5)', () => {
  it('subscribes with 201 and the hub, and unsubscribes with 204', async () => {
    const res = await subscribe({ '@type': 'Hub', callback: listenerUrl, query: QUERY });
    expect(res.status).toBe(201);
    const hub = (await res.json()) as { id: string; callback: string; query: string };
    expect(hub).toMatchObject({ callback: listenerUrl, query: QUERY });
    expect(sim.hubs().map((h) => h.id)).toEqual([hub.id]);
    expect((await unsubscribe(hub.id)).status).toBe(204);
    expect(sim.hubs()).toEqual([]);
    const again = await unsubscribe(hub.id);
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ code: 60 });
  });

  it('refuses a hub without @type or with a callback that is not an http URL', async () => {
    const noType = await subscribe({ callback: listenerUrl });
    expect(noType.status).toBe(400);
    expect(await noType.json()).toMatchObject({ code: 25 });
    const badCallback = await subscribe({ '@type': 'Hub', callback: 'file:///etc/passwd' });
    expect(badCallback.status).toBe(400);
    expect(await badCallback.json()).toMatchObject({ code: 24 });
    expect(sim.hubs()).toEqual([]);
  });

  it('takes faults on subscribe and unsubscribe', async () => {
    sim.inject('hub', { kind: 'status', status: 503 });
    expect((await subscribe({ '@type': 'Hub', callback: listenerUrl })).status).toBe(503);
    expect(sim.hubs()).toEqual([]);
    const hub = (await (await subscribe({ '@type': 'Hub', callback: listenerUrl })).json()) as {
      id: string;
    };
    sim.inject('unsubscribe', { kind: 'ambiguous', mode: 'drop' });
    await expect(unsubscribe(hub.id)).rejects.toThrow();
    expect(sim.hubs()).toEqual([]);
  });
});

describe('deliveries (7.5)', () => {
  it('POSTs each event to {callback}/listener/{name}, in order, with the ticket as it was', async () => {
    await subscribe({ '@type': 'Hub', callback: listenerUrl, query: QUERY });
    const ticket = await newTicket();
    sim.setStatus(ticket.id, 'inProgress', 'Taken by level 2');
    await patchTicket(sim, accessToken, ticket.id, 'application/merge-patch+json', {
      '@type': 'TroubleTicket',
      status: 'resolved',
    });
    await patchTicket(
      sim,
      accessToken,
      ticket.id,
      'application/json-patch+json',
      noteOperation('n-1'),
    );
    await vi.waitFor(() => expect(received).toHaveLength(4));
    expect(received.map((r) => [r.path, r.body.event.troubleTicket.status])).toEqual([
      ['/console/listener/troubleTicketStatusChangeEvent', 'inProgress'],
      ['/console/listener/troubleTicketStatusChangeEvent', 'resolved'],
      ['/console/listener/troubleTicketResolvedEvent', 'resolved'],
      ['/console/listener/troubleTicketAttributeValueChangeEvent', 'resolved'],
    ]);
    expect(received[0]!.body.event.troubleTicket.statusChangeReason).toBe('Taken by level 2');
    expect(new Set(received.map((r) => r.body.eventId)).size).toBe(4);
    // The create event was not asked for.
    expect(sim.deliveries().some((d) => d.eventType === 'TroubleTicketCreateEvent')).toBe(false);
  });

  it('retries a delivery that is not answered 2xx, then gives up after the attempts', async () => {
    await subscribe({ '@type': 'Hub', callback: listenerUrl, query: QUERY });
    const ticket = await newTicket();
    answers = [500, 503];
    sim.setStatus(ticket.id, 'inProgress');
    await vi.waitFor(() => expect(sim.deliveries()).toHaveLength(3));
    expect(received).toHaveLength(1);
    expect(sim.deliveries().map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 503],
      [3, 204],
    ]);
    answers = [500, 500, 500];
    sim.setStatus(ticket.id, 'pending');
    await vi.waitFor(() => expect(sim.deliveries()).toHaveLength(6));
    expect(
      sim
        .deliveries()
        .slice(3)
        .map((d) => d.status),
    ).toEqual([500, 500, 500]);
    expect(received).toHaveLength(1);
  });

  it('loses an event (drop), delivers it twice (ambiguous) or late (delay), as real events can be', async () => {
    await subscribe({ '@type': 'Hub', callback: listenerUrl, query: QUERY });
    const ticket = await newTicket();
    sim.inject('event', { kind: 'drop' });
    sim.setStatus(ticket.id, 'inProgress');
    sim.inject('event', { kind: 'ambiguous', mode: 'drop' });
    sim.setStatus(ticket.id, 'held');
    await vi.waitFor(() => expect(sim.deliveries()).toHaveLength(3));
    expect(received.map((r) => r.body.event.troubleTicket.status)).toEqual(['held', 'held']);
    expect(received[0]!.body.eventId).toBe(received[1]!.body.eventId);
    expect(sim.deliveries()[0]).toMatchObject({ status: 'dropped', ticketId: ticket.id });
    expect(() => sim.inject('event', { kind: 'status', status: 500 })).toThrow(/drop, delay/);
    sim.inject('event', { kind: 'delay', ms: 30 });
    sim.setStatus(ticket.id, 'inProgress');
    await vi.waitFor(() => expect(received).toHaveLength(3));
    expect(received[2]!.body.event.troubleTicket.status).toBe('inProgress');
  });

  it('delivers nothing after unsubscribe', async () => {
    const hub = (await (await subscribe({ '@type': 'Hub', callback: listenerUrl })).json()) as {
      id: string;
    };
    await unsubscribe(hub.id);
    const ticket = await newTicket();
    sim.setStatus(ticket.id, 'inProgress');
    sim.setStatus(ticket.id, 'resolved');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sim.deliveries()).toEqual([]);
  });
});
