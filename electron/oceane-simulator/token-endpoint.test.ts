import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator } from './server.js';
import { basicAuth, createTicket, requestToken, token } from './test-support.js';
import type { RunningSimulator } from './types.js';

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('token endpoint (oceane-api.md section 1)', () => {
  it('issues a Bearer token for the demo credentials', async () => {
    sim = await startSimulator({ tokenTtlSeconds: 1800 });
    const res = await requestToken(sim);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(1800);
    expect(typeof body.access_token).toBe('string');
    expect((body.access_token as string).length).toBeGreaterThanOrEqual(20);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('issues a different opaque token on every call', async () => {
    sim = await startSimulator();
    expect(await token(sim)).not.toBe(await token(sim));
  });

  it('answers 401 code 40 when the Authorization header is missing', async () => {
    sim = await startSimulator();
    const res = await requestToken(sim, null);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 40, message: 'Missing credentials' });
  });

  it('answers 401 code 41 for a wrong secret and for an unknown client', async () => {
    sim = await startSimulator();
    const wrongSecret = await requestToken(sim, basicAuth('demo-console', 'nope'));
    const unknownClient = await requestToken(
      sim,
      basicAuth('someone', 'demo-secret-not-for-production'),
    );
    for (const res of [wrongSecret, unknownClient]) {
      expect(res.status).toBe(401);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ code: 41, message: 'Invalid credentials' });
      expect(typeof body.description).toBe('string');
    }
  });

  it('accepts the credentials it was configured with instead of the demo ones', async () => {
    sim = await startSimulator({ clientId: 'acme', clientSecret: 's3cret' });
    expect((await requestToken(sim)).status).toBe(401);
    expect((await requestToken(sim, basicAuth('acme', 's3cret'))).status).toBe(200);
  });

  it('refuses a wrong content type and a wrong grant type with 400 codes 2x', async () => {
    sim = await startSimulator();
    const wrongType = await fetch(`${sim.url}/oauth/v3/token`, {
      method: 'POST',
      headers: { Authorization: basicAuth(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(wrongType.status).toBe(400);
    expect(await wrongType.json()).toMatchObject({ code: 26 });

    const wrongGrant = await fetch(`${sim.url}/oauth/v3/token`, {
      method: 'POST',
      headers: { Authorization: basicAuth(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password',
    });
    expect(wrongGrant.status).toBe(400);
    const body = (await wrongGrant.json()) as { code: number; description: string };
    expect(body.code).toBe(24);
    expect(body.description).toContain('grant_type');
  });

  it('accepts a token until its lifetime ends, then answers 401 code 42', async () => {
    let now = 1_000_000;
    sim = await startSimulator({ tokenTtlSeconds: 60, now: () => now });
    const accessToken = await token(sim);
    now += 59_999;
    expect((await createTicket(sim, accessToken)).status).toBe(201);
    now += 1;
    const expired = await createTicket(sim, accessToken);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ code: 42 });
    expect(sim.ledger()).toHaveLength(1);
  });

  it('answers 401 code 42 for every token issued before revokeTokens, and accepts new ones', async () => {
    sim = await startSimulator();
    const first = await token(sim);
    const second = await token(sim);
    sim.revokeTokens();
    for (const old of [first, second]) {
      const res = await createTicket(sim, old);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 42 });
    }
    expect((await createTicket(sim, await token(sim))).status).toBe(201);
  });

  it('answers 401 code 41 for a token it never issued and 40 for a missing Bearer', async () => {
    sim = await startSimulator();
    const unknown = await createTicket(sim, 'made-up-token');
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ code: 41 });
    const noBearer = await fetch(`${sim.url}/tmf-api/troubleTicket/v5/troubleTicket`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(noBearer.status).toBe(401);
    expect(await noBearer.json()).toMatchObject({ code: 40 });
    expect(sim.ledger()).toEqual([]);
  });
});
