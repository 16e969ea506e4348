import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IntegrationHealth } from '../shared/domain.js';
import type { AppServices } from './app-services.js';
import { createTestAppServices } from './app-services-test-support.js';
import { simulatorSettings, ticketRequest } from './connector/test-support.js';
import { startSimulator, type RunningSimulator } from './oceane-simulator/index.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function start() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-health-'));
  const sim: RunningSimulator = await startSimulator({ port: 0 });
  cleanup.push(() => sim.close());
  const desktop: { title: string; body: string }[] = [];
  const services: AppServices = await createTestAppServices({
    dataDir,
    alarms: { initialAlarms: 5, changesPerSecond: 0 },
    desktopNotifier: { show: (n) => desktop.push(n) },
  });
  cleanup.push(() => services.close());
  const configured = await services.connector.updateSettings(simulatorSettings(sim.url, 0));
  if (!configured.ok) throw new Error(configured.error.message);
  const heard: IntegrationHealth[] = [];
  services.subscribe((channel, payload) => {
    if (channel === 'health:changed') heard.push(payload as IntegrationHealth);
  });
  const health = async (): Promise<IntegrationHealth> => {
    const r = await services.router.handle('health:get', undefined);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as IntegrationHealth;
  };
  const ticket = async () => {
    const r = await services.router.handle('tickets:create', ticketRequest());
    if (!r.ok) throw new Error(r.error.message);
    await services.connector.whenIdle();
  };
  const until = async (level: IntegrationHealth['level']) => {
    for (let i = 0; i < 100 && heard.at(-1)?.level !== level; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    return heard.at(-1);
  };
  return { services, sim, desktop, health, ticket, until, heard };
}

describe('the integration health light over the services', () => {
  it('is unknown before the first call, then green with the token expiry after a ticket', async () => {
    const s = await start();
    expect((await s.health()).level).toBe('unknown');
    await s.ticket();
    const h = await s.health();
    expect(h).toMatchObject({ level: 'green', reachable: true, queueDepth: 0 });
    expect(Date.parse(h.tokenExpiresAt!)).toBeGreaterThan(Date.now());
    expect((await s.until('green'))?.level).toBe('green');
  });

  it('turns red and tells the desktop when Oceane stops answering, green again when it answers', async () => {
    const s = await start();
    await s.ticket();
    s.sim.inject('create', { kind: 'status', status: 502, body: 'html' });
    await s.ticket();
    expect((await s.health()).level).toBe('red');
    expect((await s.until('red'))?.summary).toContain('cannot be reached');
    await s.ticket();
    expect((await s.until('green'))?.level).toBe('green');
    const titles = s.desktop.map((n) => n.title);
    // The failure is told at once, the light after its short coalescing delay.
    expect([...titles].sort()).toEqual([
      'Oceane is reachable again',
      'Oceane is unreachable',
      'Ticket not created',
    ]);
    expect(titles.at(-1)).toBe('Oceane is reachable again');
    const failure = s.desktop.find((n) => n.title === 'Ticket not created')!;
    expect(failure.body).toContain('a web page from the server');
    expect(failure.body).not.toContain('<');
  });

  it('turns red when Oceane refuses the credentials, and starts over when they change', async () => {
    const s = await start();
    await s.services.router.handle('settings:update', { clientSecret: 'wrong-secret' });
    await s.services.router.handle('auth:authenticate', undefined);
    const red = await s.health();
    expect(red.level).toBe('red');
    expect(red.summary).toContain('refused the credentials');
    await s.services.router.handle('settings:update', { clientSecret: 'another-secret' });
    expect((await s.health()).level).toBe('unknown');
  });

  it('sends nothing to the desktop when the setting is off', async () => {
    const s = await start();
    await s.services.router.handle('settings:update', { element: { desktopNotifications: false } });
    s.sim.inject('create', { kind: 'status', status: 400 });
    await s.ticket();
    await new Promise((r) => setTimeout(r, 300));
    expect(s.desktop).toEqual([]);
  });
});
