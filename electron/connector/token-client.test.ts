import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../oceane-simulator/index.js';
import { FakeClock } from './fake-clock.js';
import { countRequests, startRig, ticketRequest, type Rig } from './test-support.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

describe('the token (oceane-api.md section 1)', () => {
  it('authenticates with the client credentials and says until when the token is valid', async () => {
    const clock = new FakeClock();
    rig = await startRig({ clock });
    const result = await rig.connector.authenticate();
    expect(result).toEqual({
      ok: true,
      tokenType: 'Bearer',
      validUntil: new Date(clock.now() + 3600_000).toISOString(),
    });
    expect(countRequests(rig.sim, 'token')).toBe(1);
  });

  it('reports bad credentials with the HTTP status, app code, message and description', async () => {
    rig = await startRig();
    await rig.connector.updateSettings({ clientSecret: 'wrong-secret' });
    const result = await rig.connector.authenticate();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({
      httpStatus: 401,
      appCode: '41',
      message: 'Invalid credentials',
    });
    expect(result.error.description).not.toContain('wrong-secret');
  });

  it('reports a missing configuration without calling Oceane', async () => {
    rig = await startRig({ configure: false });
    const result = await rig.connector.authenticate();
    expect(result).toMatchObject({ ok: false, error: { httpStatus: null } });
    expect(result.ok ? '' : result.error.message).toContain('Base URL');
    expect(rig.sim.requests()).toEqual([]);
  });

  it('fetches one token for many tickets, and only the first ticket waits for it', async () => {
    rig = await startRig();
    const requests = Array.from({ length: 5 }, () => ticketRequest());
    for (const r of requests) await rig.connector.createTicket(r);
    await rig.connector.whenIdle();
    expect(rig.sim.ledger()).toHaveLength(5);
    expect(countRequests(rig.sim, 'token')).toBe(1);
    expect(rig.connector.stats().ticketsThatWaitedForToken).toBe(1);
  });

  it('renews the token in the background before it expires, so tickets do not wait', async () => {
    const clock = new FakeClock();
    rig = await startRig({ clock });
    await rig.connector.createTicket(ticketRequest());
    await rig.connector.whenIdle();
    expect(countRequests(rig.sim, 'token')).toBe(1);

    // 3520 s later: 80 s before expiry, the background renewal has started.
    await clock.advanceAsync(3520_000);
    await rig.connector.createTicket(ticketRequest());
    await rig.connector.whenIdle();
    expect(countRequests(rig.sim, 'token')).toBe(2);
    expect(rig.connector.stats().ticketsThatWaitedForToken).toBe(1);
  });

  it('renews the token before use when less than 60 s of life remain', async () => {
    const clock = new FakeClock();
    rig = await startRig({ clock });
    await rig.connector.authenticate();
    // Jump past the background renewal without running it (a suspended laptop does this).
    clock.set(clock.now() + 3550_000);
    await rig.connector.createTicket(ticketRequest());
    await rig.connector.whenIdle();
    expect(countRequests(rig.sim, 'token')).toBe(2);
    expect(rig.sim.ledger()).toHaveLength(1);
  });

  it('shares one token request between concurrent callers', async () => {
    rig = await startRig();
    rig.sim.setLatency(50);
    await Promise.all(
      [1, 2, 3].map(() => rig!.connector.findExistingTicket({ dmaId: '1', alarmId: '2' })),
    );
    expect(countRequests(rig.sim, 'token')).toBe(1);
  });

  it('renews once and resends after a 401 code 42, without counting a retry', async () => {
    rig = await startRig({ retryCount: 0 });
    await rig.connector.authenticate();
    rig.sim.inject('create', { kind: 'expire-token' });
    await rig.connector.createTicket(ticketRequest());
    await rig.connector.whenIdle();
    expect(rig.connector.listTickets()[0]?.status).toBe('Created');
    expect(countRequests(rig.sim, 'token')).toBe(2);
    expect(countRequests(rig.sim, 'create')).toBe(2);
    expect(rig.sim.ledger()).toHaveLength(1);
  });

  it('recovers from tokens revoked in the middle of the queue', async () => {
    rig = await startRig({ retryCount: 0 });
    await rig.connector.createTicket(ticketRequest());
    await rig.connector.whenIdle();
    rig.sim.revokeTokens();
    await rig.connector.createTicket(ticketRequest());
    await rig.connector.whenIdle();
    expect(rig.connector.listTickets().map((r) => r.status)).toEqual(['Created', 'Created']);
  });

  it('drops the cached token when the credentials change', async () => {
    rig = await startRig();
    await rig.connector.authenticate();
    await rig.connector.updateSettings({ clientSecret: DEMO_CREDENTIALS.clientSecret + 'x' });
    await rig.connector.createTicket(ticketRequest());
    await rig.connector.whenIdle();
    expect(countRequests(rig.sim, 'token')).toBe(2);
    expect(rig.connector.listFailedRequests()[0]).toMatchObject({
      httpErrorCode: 401,
      appErrorCode: '41',
    });
  });
});
