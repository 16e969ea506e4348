import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TicketsChanged } from '../../shared/domain.js';
import { DATABASE_FILE } from '../storage/sqlite-database.js';
import { failWrites } from '../storage/store-faults.js';
import { FakeClock } from './fake-clock.js';
import {
  countRequests,
  drainWithClock,
  startRig,
  ticketRequest,
  type Rig,
} from './test-support.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

const DAY = 86_400_000;

describe('durability: queue and tables survive a restart', () => {
  it('keeps a request that was queued and never processed, and sends it after the restart', async () => {
    rig = await startRig({ connector: { autoStart: false } });
    const request = ticketRequest();
    const queued = await rig.connector.createTicket(request);
    expect(queued.ok).toBe(true);
    expect(countRequests(rig.sim, 'create')).toBe(0);

    const reopened = await rig.reopen({ autoStart: true });
    await reopened.whenIdle();

    expect(rig.sim.ledger()).toHaveLength(1);
    // A resumed request may have been sent before the restart: it is looked up first.
    expect(countRequests(rig.sim, 'find')).toBe(1);
    expect(reopened.listTickets()).toEqual([
      expect.objectContaining({
        instance: queued.ok ? queued.value.instance : '',
        status: 'Created',
      }),
    ]);
  });

  it('keeps created and failed rows and the alarm properties', async () => {
    rig = await startRig({ retryCount: 0 });
    const good = ticketRequest();
    await rig.connector.createTicket(good);
    await rig.connector.whenIdle();
    rig.sim.inject('create', { kind: 'status', status: 400, code: 24 });
    await rig.connector.createTicket(ticketRequest());
    await rig.connector.whenIdle();
    const tickets = rig.connector.listTickets();
    const failed = rig.connector.listFailedRequests();

    const reopened = await rig.reopen();
    expect(reopened.listTickets()).toEqual(tickets);
    expect(reopened.listFailedRequests()).toEqual(failed);
    expect(rig.props.get('123', good.alarmId)['Oceane Ticket ID']).toBe(rig.sim.ledger()[0]?.id);
    expect(reopened.notices).toEqual([]);
    const duplicate = await reopened.createTicket(good);
    expect(duplicate).toMatchObject({ ok: false, error: { code: 'duplicate' } });
  });

  it('adopts, after a restart, the ticket whose answer was lost when the app stopped', async () => {
    rig = await startRig({ timeoutMs: 5000 });
    rig.sim.inject('create', { kind: 'ambiguous', mode: 'delay', ms: 10_000 });
    await rig.connector.createTicket(ticketRequest());
    // Wait until Oceane has the ticket, then close while the answer is still on its way.
    while (rig.sim.ledger().length === 0) await new Promise((resolve) => setImmediate(resolve));
    const reopened = await rig.reopen();
    await reopened.whenIdle();
    expect(rig.sim.ledger()).toHaveLength(1);
    expect(reopened.listTickets()[0]).toMatchObject({
      status: 'Created',
      ticketId: rig.sim.ledger()[0]?.id,
    });
  });

  it('keeps a damaged database aside, says so, and keeps working', async () => {
    rig = await startRig();
    await rig.connector.createTicket(ticketRequest());
    await rig.connector.whenIdle();
    await rig.connector.close();
    await rig.props.close();
    const file = path.join(rig.dataDir, DATABASE_FILE);
    await writeFile(file, `garbage{{{\u0000\u0001 more garbage\n`.repeat(20));
    await rm(`${file}-wal`, { force: true });

    const reopened = await rig.reopen();
    expect(reopened.notices.map((n) => n.message)).toEqual([
      expect.stringMatching(
        /^The database .*oceane-console\.db could not be read \(file is not a database.*\): it was kept aside as .*oceane-console\.db\.broken-.* and a new one started/,
      ),
    ]);
    expect(reopened.listTickets()).toEqual([]);
    const files = await readdir(rig.dataDir);
    expect(files.filter((f) => f.startsWith(`${DATABASE_FILE}.broken-`))).toHaveLength(1);
    const next = await reopened.createTicket(ticketRequest({ alarmId: '7777' }));
    expect(next.ok).toBe(true);
    await reopened.whenIdle();
    expect(reopened.listTickets().map((r) => r.status)).toEqual(['Created']);
  });

  it('falls back to default settings when the settings file is damaged, and says so', async () => {
    rig = await startRig();
    await rig.connector.close();
    await writeFile(rig.settingsStore.file, '{"element": {"ticketStorageCountLimit": ');
    const reopened = await rig.reopen();
    expect(reopened.notices.map((n) => n.message)).toEqual([
      expect.stringMatching(
        /^Settings file was damaged, defaults restored; the old file was moved aside to .*settings\.json\.broken-/,
      ),
    ]);
    expect(reopened.getSettings().api.baseUrl).toBe('');
    expect(reopened.getSettings().element.ticketStorageCountLimit).toBe(1000);
    expect(JSON.parse(await readFile(rig.settingsStore.file, 'utf8'))).toMatchObject({
      api: { baseUrl: '' },
    });
  });

  it('falls back to defaults when a stored setting is out of bounds', async () => {
    rig = await startRig();
    await rig.connector.close();
    await writeFile(
      rig.settingsStore.file,
      JSON.stringify({ element: { ticketCreationRetryCount: 99 } }),
    );
    const reopened = await rig.reopen();
    expect(reopened.notices[0]?.message).toMatch(/^Settings file was invalid, defaults restored/);
    expect(reopened.getSettings().element.ticketCreationRetryCount).toBe(1);
  });
});

describe('a store that cannot be written (issue 5)', () => {
  it('refuses the request before anything is sent to Oceane', async () => {
    rig = await startRig({ connector: { autoStart: true } });
    await rig.connector.authenticate();
    // Every write to the tickets and the queue fails, as on a full disk.
    failWrites(rig.dataDir, ['tickets', 'queue']);
    const request = ticketRequest();
    const result = await rig.connector.createTicket(request);
    expect(result).toMatchObject({ ok: false, error: { code: 'storage' } });
    expect(result.ok ? '' : result.error.message).toContain('nothing was sent to Oceane');
    await rig.connector.whenIdle();
    expect(countRequests(rig.sim, 'create')).toBe(0);
    expect(rig.connector.listTickets()).toEqual([]);
    expect(rig.connector.getQueueStatus().pending).toEqual([]);
    expect(await rig.connector.findExistingTicket(request, { askOceane: false })).toBeNull();
  });

  it('refuses when only the queue cannot be written, and leaves no ticket row behind', async () => {
    rig = await startRig({ connector: { autoStart: false } });
    failWrites(rig.dataDir, ['queue']);
    const result = await rig.connector.createTicket(ticketRequest());
    expect(result).toMatchObject({ ok: false, error: { code: 'storage' } });
    expect(rig.connector.listTickets()).toEqual([]);
    rig.connector.start();
    await rig.connector.whenIdle();
    expect(countRequests(rig.sim, 'create')).toBe(0);
  });
});

describe('retention (design.md "Retention")', () => {
  it('prunes rows older than the duration limit, hourly, but never a pending request', async () => {
    const clock = new FakeClock();
    rig = await startRig({ clock, retryCount: 10 });
    await rig.connector.updateSettings({ element: { ticketStorageDurationDays: 2 } });
    await rig.connector.createTicket(ticketRequest());
    await rig.connector.whenIdle();
    // A second request stays pending: Oceane keeps asking it to come back in 10 minutes.
    rig.sim.inject('create', { kind: 'status', status: 503, retryAfter: '600' }, Infinity);
    rig.sim.inject('find', { kind: 'status', status: 503, retryAfter: '600' }, Infinity);
    await rig.connector.createTicket(ticketRequest());
    await rig.connector.whenQuiet();
    const removed: string[] = [];
    rig.connector.on('tickets:changed', (c: TicketsChanged) => removed.push(...c.removed));

    clock.set(clock.now() + DAY);
    await clock.advanceAsync(3_600_000);
    await rig.connector.whenQuiet();
    expect(rig.connector.listTickets()).toHaveLength(2);

    clock.set(clock.now() + DAY);
    await clock.advanceAsync(3_600_000);
    await rig.connector.whenQuiet();
    await new Promise((resolve) => setImmediate(resolve));

    expect(rig.connector.listTickets().map((r) => r.status)).toEqual(['Pending']);
    expect(removed).toHaveLength(1);
  });

  it('prunes the oldest rows beyond the count limit, in both tables', async () => {
    const clock = new FakeClock();
    rig = await startRig({ clock, retryCount: 0 });
    await rig.connector.updateSettings({ element: { ticketStorageCountLimit: 3 } });
    const alarms: string[] = [];
    for (let i = 0; i < 5; i++) {
      const request = ticketRequest();
      alarms.push(request.alarmId);
      rig.sim.inject('create', { kind: 'status', status: 400, code: 24 });
      await rig.connector.createTicket(request);
      await drainWithClock(rig);
      await clock.advanceAsync(1000);
    }
    expect(rig.connector.listTickets().map((r) => r.alarmId)).toEqual(alarms.slice(2));
    expect(rig.connector.listFailedRequests()).toHaveLength(3);
    const reopened = await rig.reopen();
    expect(reopened.listTickets().map((r) => r.alarmId)).toEqual(alarms.slice(2));
  });

  it('prunes the oldest Created row beyond the count limit once a new ticket is Created, after announcing it', async () => {
    rig = await startRig();
    await rig.connector.updateSettings({ element: { ticketStorageCountLimit: 2 } });
    const alarms: string[] = [];
    const heard: { created: string[]; removed: number }[] = [];
    rig.connector.on('tickets:changed', (c: TicketsChanged) =>
      heard.push({
        created: c.upserted.filter((r) => r.status === 'Created').map((r) => r.alarmId),
        removed: c.removed.length,
      }),
    );
    for (let i = 0; i < 3; i++) {
      const request = ticketRequest();
      alarms.push(request.alarmId);
      await rig.connector.createTicket(request);
      await rig.connector.whenIdle();
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(rig.connector.listTickets().map((r) => r.alarmId)).toEqual(alarms.slice(1));
    // The third Created row was heard of before the first row's removal, in its own batch.
    const third = heard.findIndex((h) => h.created.includes(alarms[2]!));
    const removal = heard.findIndex((h) => h.removed > 0);
    expect(third).toBeGreaterThanOrEqual(0);
    expect(removal).toBeGreaterThan(third);
  });

  it('prunes again when the limits are lowered', async () => {
    rig = await startRig();
    for (let i = 0; i < 4; i++) await rig.connector.createTicket(ticketRequest());
    await rig.connector.whenIdle();
    expect(rig.connector.listTickets()).toHaveLength(4);
    const result = await rig.connector.updateSettings({ element: { ticketStorageCountLimit: 1 } });
    expect(result.ok).toBe(true);
    expect(rig.connector.listTickets()).toHaveLength(1);
  });

  it('keeps a pending request even beyond the count limit', async () => {
    rig = await startRig({ connector: { autoStart: false } });
    await rig.connector.updateSettings({ element: { ticketStorageCountLimit: 1 } });
    await rig.connector.createTicket(ticketRequest());
    await rig.connector.createTicket(ticketRequest());
    await rig.connector.pruneNow();
    expect(rig.connector.listTickets().map((r) => r.status)).toEqual(['Pending', 'Pending']);
  });
});

describe('settings', () => {
  it('refuses a Base URL on another server unless the Client Secret comes with it', async () => {
    rig = await startRig();
    const before = rig.connector.getSettings();
    const moved = await rig.connector.updateSettings({
      api: { baseUrl: 'https://attacker.example.com' },
    });
    expect(moved).toMatchObject({
      ok: false,
      error: {
        code: 'validation',
        fields: { clientSecret: 'Enter the Client Secret again for the new Base URL' },
      },
    });
    expect(rig.connector.getSettings()).toEqual(before);
    // Another port is another server too.
    const port = Number(new URL(rig.sim.url).port);
    const otherPort = await rig.connector.updateSettings({
      api: { baseUrl: `http://127.0.0.1:${port === 1 ? 2 : port - 1}` },
    });
    expect(otherPort.ok).toBe(false);
    // Same server, another path: the secret stays.
    const samePlace = await rig.connector.updateSettings({ api: { baseUrl: `${rig.sim.url}/` } });
    expect(samePlace.ok).toBe(true);
    const withSecret = await rig.connector.updateSettings({
      api: { baseUrl: 'https://oceane.example.com' },
      clientSecret: 'another-secret',
    });
    expect(withSecret).toMatchObject({ ok: true, value: { clientSecretSet: true } });
    expect(rig.secrets.get()).toBe('another-secret');
  });

  it('refuses a bad update whole, with one message per field, and keeps what was stored', async () => {
    rig = await startRig();
    const before = rig.connector.getSettings();
    const stored = await readFile(rig.settingsStore.file, 'utf8');
    const result = await rig.connector.updateSettings({
      element: { ticketStorageDurationDays: 0, ticketCreationRetryCount: 3 },
      api: { baseUrl: 'http://oceane.example.com', userId: 'someone.else' },
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'validation',
        fields: {
          'element.ticketStorageDurationDays': 'Ticket Storage Duration Limit must be at least 1',
          'api.baseUrl': expect.stringContaining('Plain http') as string,
        },
      },
    });
    expect(rig.connector.getSettings()).toEqual(before);
    expect(await readFile(rig.settingsStore.file, 'utf8')).toBe(stored);
  });

  it('keeps the Client Secret out of the view and the settings file', async () => {
    rig = await startRig();
    const view = rig.connector.getSettings();
    expect(view.clientSecretSet).toBe(true);
    expect(JSON.stringify(view)).not.toContain('demo-secret');
    expect(await readFile(rig.settingsStore.file, 'utf8')).not.toContain('demo-secret');
    const cleared = await rig.connector.updateSettings({ clearClientSecret: true });
    expect(cleared.ok && cleared.value.clientSecretSet).toBe(false);
  });

  it('stores a valid update, normalises the Base URL and tells the listeners', async () => {
    rig = await startRig();
    const heard: unknown[] = [];
    rig.connector.on('settings:changed', (v) => heard.push(v));
    const result = await rig.connector.updateSettings({
      api: { baseUrl: `${rig.sim.url}/` },
      element: { displayDebugPage: true },
    });
    expect(result.ok && result.value.api.baseUrl).toBe(rig.sim.url);
    await rig.connector.whenIdle();
    expect(heard).toHaveLength(1);
    const reopened = await rig.reopen();
    expect(reopened.getSettings().element.displayDebugPage).toBe(true);
  });
});
