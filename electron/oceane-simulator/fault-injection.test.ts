import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSimulator } from './server.js';
import {
  createTicket,
  getWithToken,
  profileBody,
  requestToken,
  TICKETS,
  token,
} from './test-support.js';
import type { RunningSimulator, SimulatorFault } from './types.js';

let sim: RunningSimulator;
let accessToken: string;
beforeEach(async () => {
  sim = await startSimulator();
  accessToken = await token(sim);
});
afterEach(() => sim.close());

describe('scripted status faults', () => {
  it('answers an Orange body with the given code, message, description and Retry-After, creating nothing', async () => {
    sim.inject('create', {
      kind: 'status',
      status: 429,
      code: 53,
      message: 'Too many requests',
      description: 'Slow down',
      retryAfter: '7',
    });
    const res = await createTicket(sim, accessToken);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({
      code: 53,
      message: 'Too many requests',
      description: 'Slow down',
    });
    expect(sim.ledger()).toEqual([]);
  });

  it('fills in the Orange code of section 4 when none is given', async () => {
    sim.inject('create', { kind: 'status', status: 503 });
    const res = await createTicket(sim, accessToken);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBeNull();
    const body = (await res.json()) as { code: number; message: string; description: string };
    expect(body.code).toBe(5);
    expect(body.message).toBe('Service Unavailable');
    expect(typeof body.description).toBe('string');
  });

  it('answers a TMF630 body with a string code, reason, message and status', async () => {
    sim.inject('create', {
      kind: 'status',
      status: 500,
      body: 'tmf630',
      code: 'E-500',
      message: 'Internal failure',
      description: 'Database down',
    });
    const res = await createTicket(sim, accessToken);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      code: 'E-500',
      reason: 'Internal failure',
      message: 'Database down',
      status: '500',
    });
  });

  it("answers a proxy's HTML page with Retry-After as an HTTP date", async () => {
    const date = 'Wed, 21 Oct 2037 07:28:00 GMT';
    sim.inject('create', { kind: 'status', status: 502, body: 'html', retryAfter: date });
    const res = await createTicket(sim, accessToken);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.headers.get('retry-after')).toBe(date);
    expect(await res.text()).toContain('<h1>502 Bad Gateway</h1>');
  });

  it('answers plain text and empty bodies', async () => {
    sim.inject('create', { kind: 'status', status: 504, body: 'text' });
    sim.inject('create', { kind: 'status', status: 503, body: 'empty' });
    const text = await createTicket(sim, accessToken);
    expect(text.status).toBe(504);
    expect(text.headers.get('content-type')).toContain('text/plain');
    expect(await text.text()).toBe('504 Gateway Timeout');
    const empty = await createTicket(sim, accessToken);
    expect(empty.status).toBe(503);
    expect(empty.headers.get('content-type')).toBeNull();
    expect(await empty.text()).toBe('');
  });

  it('applies to the token route as well', async () => {
    sim.inject('token', { kind: 'status', status: 403, code: 50, message: 'Access denied' });
    const res = await requestToken(sim);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 50, message: 'Access denied' });
    expect((await requestToken(sim)).status).toBe(200);
  });
});

describe('raw faults (hostile responses)', () => {
  it('answers exactly the given status, content type, body and headers', async () => {
    sim.inject('create', {
      kind: 'raw',
      status: 201,
      contentType: 'application/json',
      body: '{"id": 42, "href": "javascript:alert(1)"',
      headers: { 'X-Hostile': 'yes' },
    });
    const res = await createTicket(sim, accessToken);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-hostile')).toBe('yes');
    expect(await res.text()).toBe('{"id": 42, "href": "javascript:alert(1)"');
    expect(sim.ledger()).toEqual([]);
  });
});

describe('delay, drop and ambiguous faults', () => {
  it('delay: waits, then serves normally (a later request overtakes it)', async () => {
    sim.inject('find', { kind: 'delay', ms: 400 });
    const order: string[] = [];
    const delayed = getWithToken(sim, accessToken, `${TICKETS}?externalIdentifier.id=1%2F1`).then(
      async (res) => {
        order.push('delayed');
        return res;
      },
    );
    const created = await createTicket(sim, accessToken);
    order.push('create');
    const res = await delayed;
    expect(created.status).toBe(201);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
    expect(order).toEqual(['create', 'delayed']);
  });

  it('drop: the client sees a socket error and no ticket is created', async () => {
    sim.inject('create', { kind: 'drop' });
    await expect(
      createTicket(sim, accessToken, profileBody(), { 'X-Request-ID': 'lost-1' }),
    ).rejects.toThrow();
    expect(sim.ledger()).toEqual([]);
    const logged = sim.requests().find((r) => r.requestId === 'lost-1');
    expect(logged).toMatchObject({ method: 'POST', status: null });
    expect((await createTicket(sim, accessToken)).status).toBe(201);
  });

  it('ambiguous drop: the ticket is created, the client sees a socket error, and find reveals it', async () => {
    sim.inject('create', { kind: 'ambiguous', mode: 'drop' });
    await expect(createTicket(sim, accessToken, profileBody('5', '500'))).rejects.toThrow();
    expect(sim.ledger()).toHaveLength(1);
    const found = await getWithToken(sim, accessToken, `${TICKETS}?externalIdentifier.id=5%2F500`);
    expect(await found.json()).toEqual(sim.ledger());
  });

  it('ambiguous delay: the ticket exists while the answer is held back (60 s by default)', async () => {
    sim.inject('create', { kind: 'ambiguous', mode: 'delay' });
    const pending = createTicket(sim, accessToken, profileBody(), {
      'X-Request-ID': 'slow-1',
    }).then(
      () => 'answered',
      () => 'socket closed',
    );
    // Waits for the simulator's side of the request, not for a duration.
    await vi.waitFor(() => expect(sim.ledger()).toHaveLength(1));
    expect(sim.requests().find((r) => r.requestId === 'slow-1')?.status).toBeNull();
    await sim.close();
    expect(await pending).toBe('socket closed');
  });

  it('ambiguous delay with a short ms: the 201 arrives late but intact', async () => {
    sim.inject('create', { kind: 'ambiguous', mode: 'delay', ms: 50 });
    const res = await createTicket(sim, accessToken);
    expect(res.status).toBe(201);
    expect(sim.ledger()).toHaveLength(1);
  });
});

describe('token faults', () => {
  it('expire-token on create: 401 code 42, and that token stays expired; a new one works', async () => {
    sim.inject('create', { kind: 'expire-token' });
    const first = await createTicket(sim, accessToken);
    expect(first.status).toBe(401);
    expect(await first.json()).toMatchObject({ code: 42 });
    const again = await createTicket(sim, accessToken);
    expect(again.status).toBe(401);
    expect((await createTicket(sim, await token(sim))).status).toBe(201);
    expect(sim.ledger()).toHaveLength(1);
  });

  it('expire-token on the token route: the token is issued but fails with 42 on first use', async () => {
    sim.inject('token', { kind: 'expire-token' });
    const res = await requestToken(sim);
    expect(res.status).toBe(200);
    const early = ((await res.json()) as { access_token: string }).access_token;
    const use = await createTicket(sim, early);
    expect(use.status).toBe(401);
    expect(await use.json()).toMatchObject({ code: 42 });
  });
});

describe('fault queue', () => {
  it('applies each fault for `times` requests of its route, first in, first out', async () => {
    sim.inject('create', { kind: 'status', status: 503 }, 2);
    sim.inject('create', { kind: 'status', status: 500 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await createTicket(sim, accessToken)).status);
    expect(statuses).toEqual([503, 503, 500, 201]);
  });

  it('keeps the routes apart: a fault on find leaves create alone', async () => {
    sim.inject('find', { kind: 'status', status: 500 });
    expect((await createTicket(sim, accessToken)).status).toBe(201);
    const find = await getWithToken(sim, accessToken, `${TICKETS}?externalIdentifier.id=1%2F1`);
    expect(find.status).toBe(500);
    const get = await getWithToken(sim, accessToken, `${TICKETS}/${sim.ledger()[0]!.id}`);
    expect(get.status).toBe(200);
  });

  it('clearFaults forgets every queued fault', async () => {
    sim.inject('create', { kind: 'status', status: 503 }, 5);
    sim.clearFaults();
    expect((await createTicket(sim, accessToken)).status).toBe(201);
  });

  it('repeats a fault until cleared when times is Infinity', async () => {
    sim.inject('get', { kind: 'status', status: 404, code: 60 }, Number.POSITIVE_INFINITY);
    for (let i = 0; i < 3; i += 1) {
      expect((await getWithToken(sim, accessToken, `${TICKETS}/OCE-000001`)).status).toBe(404);
    }
  });

  it('throws on a malformed fault or repeat count (a bug in the caller)', () => {
    expect(() => sim.inject('create', { kind: 'status', status: 42 })).toThrow();
    expect(() => sim.inject('create', { kind: 'nope' } as unknown as SimulatorFault)).toThrow();
    expect(() => sim.inject('create', { kind: 'drop' }, 0)).toThrow();
  });
});
