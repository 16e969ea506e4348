import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from './server.js';
import { createTicket, token } from './test-support.js';
import type { RunningSimulator, SimulatorRequestLog, TroubleTicket } from './types.js';

let sim: RunningSimulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(() => sim.close());

function control(method: string, name: string, body?: unknown): Promise<Response> {
  return fetch(`${sim.url}/__simulator/${name}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('simulator-only control routes (/__simulator/)', () => {
  it('POST faults queues a fault exactly like inject()', async () => {
    const res = await control('POST', 'faults', {
      route: 'create',
      fault: { kind: 'status', status: 503, retryAfter: '2' },
      times: 2,
    });
    expect(res.status).toBe(200);
    const accessToken = await token(sim);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await createTicket(sim, accessToken)).status);
    expect(statuses).toEqual([503, 503, 201]);
  });

  it('POST faults refuses an unknown route or fault with 400', async () => {
    const badRoute = await control('POST', 'faults', { route: 'delete', fault: { kind: 'drop' } });
    expect(badRoute.status).toBe(400);
    const badFault = await control('POST', 'faults', {
      route: 'create',
      fault: { kind: 'explode' },
    });
    expect(badFault.status).toBe(400);
    const notJson = await fetch(`${sim.url}/__simulator/faults`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('DELETE faults clears them', async () => {
    await control('POST', 'faults', { route: 'token', fault: { kind: 'status', status: 500 } });
    expect((await control('DELETE', 'faults')).status).toBe(204);
    expect(typeof (await token(sim))).toBe('string');
  });

  it('GET ledger and GET requests show the tickets and the requests, without control calls', async () => {
    const accessToken = await token(sim);
    await createTicket(sim, accessToken, undefined, { 'X-Request-ID': 'r-1' });
    const ledger = (await (await control('GET', 'ledger')).json()) as TroubleTicket[];
    expect(ledger).toEqual(sim.ledger());
    expect(ledger).toHaveLength(1);
    const requests = (await (await control('GET', 'requests')).json()) as SimulatorRequestLog[];
    expect(requests.map((r) => [r.method, r.path, r.status, r.requestId])).toEqual([
      ['POST', '/oauth/v3/token', 200, undefined],
      ['POST', '/tmf-api/troubleTicket/v5/troubleTicket', 201, 'r-1'],
    ]);
    expect(sim.requests()).toEqual(requests);
  });

  it('POST revoke-tokens makes issued tokens answer 401 code 42', async () => {
    const accessToken = await token(sim);
    expect((await control('POST', 'revoke-tokens')).status).toBe(204);
    const res = await createTicket(sim, accessToken);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 42 });
  });

  it('POST latency accepts a number of milliseconds and refuses anything else', async () => {
    expect((await control('POST', 'latency', { ms: 1 })).status).toBe(204);
    expect((await control('POST', 'latency', { ms: -5 })).status).toBe(400);
  });

  it('GET hubs and GET deliveries show the subscriptions and the delivery attempts', async () => {
    const accessToken = await token(sim);
    const res = await fetch(`${sim.url}/tmf-api/troubleTicket/v5/hub`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ '@type': 'Hub', callback: 'http://127.0.0.1:9/nobody' }),
    });
    expect(res.status).toBe(201);
    expect(await (await control('GET', 'hubs')).json()).toEqual(sim.hubs());
    expect(sim.hubs()).toHaveLength(1);
    expect(await (await control('GET', 'deliveries')).json()).toEqual([]);
    expect((await control('POST', 'hubs')).status).toBe(405);
  });

  it('answers 404 for an unknown control route and 405 for a wrong method', async () => {
    expect((await control('GET', 'nothing')).status).toBe(404);
    expect((await control('DELETE', 'ledger')).status).toBe(405);
  });
});
