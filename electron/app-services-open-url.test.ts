import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppServices } from './app-services.js';
import { createTestAppServices } from './app-services-test-support.js';

const running: AppServices[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

async function start(openExternal: (url: string) => Promise<void>): Promise<AppServices> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-open-'));
  const services = await createTestAppServices({
    dataDir,
    openExternal,
    demo: 'auto',
    demoPort: 0,
    alarms: { initialAlarms: 5, changesPerSecond: 0 },
  });
  running.push(services);
  return services;
}

describe('opening a ticket URL (Go To Ticket)', () => {
  it('opens a link on the Oceane server in the browser', async () => {
    const opened: string[] = [];
    const services = await start(async (url) => void opened.push(url));
    const url = `${services.demo.simulatorUrl}/ticket/OCE-000001`;
    const result = await services.router.handle('shell:open-ticket-url', { url });
    expect(result).toEqual({ ok: true, value: true });
    expect(opened).toEqual([url]);
  });

  it('refuses links elsewhere and other schemes without calling the browser', async () => {
    const opened: string[] = [];
    const services = await start(async (url) => void opened.push(url));
    for (const url of [
      'javascript:alert(1)',
      'https://evil.example.net/ticket/1',
      'file:///etc/passwd',
    ]) {
      const result = await services.router.handle('shell:open-ticket-url', { url });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('refused');
    }
    expect(opened).toEqual([]);
  });

  it('tells the operator when the browser cannot be started, instead of failing silently', async () => {
    const services = await start(async () => {
      throw new Error('No application is registered for http links');
    });
    const result = await services.router.handle('shell:open-ticket-url', {
      url: `${services.demo.simulatorUrl}/ticket/OCE-000001`,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('open-failed');
      expect(result.error.message).toMatch(/could not be opened in your browser: No application/);
    }
  });
});
