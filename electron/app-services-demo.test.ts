import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppServices } from './app-services.js';
import { createTestAppServices, requestTicketFor } from './app-services-test-support.js';
import { createMemorySecretStore } from './connector/memory-secret-store.js';
import type { SecretStorePort } from './connector/ports.js';
import type { SettingsView } from '../shared/domain.js';

const running: AppServices[] = [];

async function start(dataDir: string, secretStore: SecretStorePort): Promise<AppServices> {
  const services = await createTestAppServices({
    dataDir,
    secretStore,
    demo: 'auto',
    demoPort: 0,
    alarms: { initialAlarms: 20, changesPerSecond: 0 },
  });
  running.push(services);
  return services;
}

async function settings(services: AppServices): Promise<SettingsView> {
  const result = await services.router.handle('settings:get', undefined);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as SettingsView;
}

afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

describe('demo mode (the embedded default)', () => {
  it('starts the built-in simulator on a first start, fills the API settings and creates tickets', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-demo-'));
    const services = await start(dataDir, createMemorySecretStore());

    expect(services.demo.active).toBe(true);
    const view = await settings(services);
    expect(view.demoMode).toBe(true);
    expect(view.api.baseUrl).toBe(services.demo.simulatorUrl);
    expect(view.api.clientId).not.toBe('');
    expect(view.clientSecretSet).toBe(true);

    const auth = await services.connector.authenticate();
    expect(auth.ok).toBe(true);
    const alarm = services.alarms.list()[0]!;
    const created = await requestTicketFor(services, alarm);
    expect(created.ok).toBe(true);
    await services.connector.whenIdle();
    expect(services.alarms.get(alarm.dmaId, alarm.alarmId)['Oceane Ticket ID']).toMatch(/\S/);
  });

  it('keeps the same simulator address across restarts, so ticket links stay valid', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-demo-'));
    const secrets = createMemorySecretStore();
    const first = await start(dataDir, secrets);
    const url = first.demo.simulatorUrl;
    await running.pop()!.close();

    const second = await start(dataDir, secrets);
    expect(second.demo.active).toBe(true);
    expect(second.demo.simulatorUrl).toBe(url);
    expect((await settings(second)).demoMode).toBe(true);
  });

  it('fills the new address when the simulator comes back on another port, with a secret already set', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-demo-'));
    const secrets = createMemorySecretStore();
    const first = await start(dataDir, secrets);
    const port = Number(new URL(first.demo.simulatorUrl ?? '').port);
    await running.pop()!.close();
    // Someone else took the port meanwhile.
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const second = await start(dataDir, secrets);
      expect(second.demo.active).toBe(true);
      expect(second.demo.simulatorUrl).not.toBe(first.demo.simulatorUrl);
      const view = await settings(second);
      expect(view.api.baseUrl).toBe(second.demo.simulatorUrl);
      expect(view.demoMode).toBe(true);
      expect((await second.connector.authenticate()).ok).toBe(true);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('leaves demo mode for good once the user sets a real Base URL', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-demo-'));
    const secrets = createMemorySecretStore();
    const first = await start(dataDir, secrets);
    const changed = await first.router.handle('settings:update', {
      api: { baseUrl: 'https://oceane.example.com' },
      clientSecret: 'the-real-secret',
    });
    expect(changed.ok).toBe(true);
    expect((await settings(first)).demoMode).toBe(false);
    await running.pop()!.close();

    const second = await start(dataDir, secrets);
    expect(second.demo.active).toBe(false);
    const view = await settings(second);
    expect(view.demoMode).toBe(false);
    expect(view.api.baseUrl).toBe('https://oceane.example.com');
  });
});
