/**
 * The ticket life wired into the app's services (issue 13), against a real simulator over
 * HTTP and the real mock DataMiner and store in a temporary folder: Oceane's events reach the
 * listener and are applied at once; an alarm that clears gets its ticket resolved; a note from
 * the console goes through the router's validation and shows in the history; the subscription
 * ends when the app stops.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TicketRow } from '../shared/domain.js';
import type { TicketHistory } from '../shared/ticket-life.js';
import type { AppServices } from './app-services.js';
import { createTestAppServices, requestTicketFor } from './app-services-test-support.js';
import { ConfSettingsStore } from './connector/conf-settings-store.js';
import { createMemorySecretStore } from './connector/memory-secret-store.js';
import { simulatorSettings } from './connector/test-support.js';
import { startSimulator, type RunningSimulator } from './oceane-simulator/index.js';

let services: AppServices | undefined;
let sim: RunningSimulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await services?.close();
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  services = sim = dir = undefined;
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error(`Timed out waiting for ${what}`);
}

describe('the ticket life in the app', () => {
  it('applies events at once, resolves the ticket of a cleared alarm, adds notes, unsubscribes at stop', async () => {
    sim = await startSimulator({ eventRetryMs: 10 });
    dir = await mkdtemp(path.join(tmpdir(), 'oceane-life-'));
    const settingsStore = new ConfSettingsStore(dir);
    const secretStore = createMemorySecretStore();
    const start = () =>
      createTestAppServices({
        dataDir: dir!,
        settingsStore,
        secretStore,
        alarms: { initialAlarms: 20, changesPerSecond: 0 },
      });
    services = await start();
    const configured = await services.router.handle('settings:update', {
      ...simulatorSettings(sim.url, 1),
      element: { eventListenerUrl: 'http://127.0.0.1:0', clearAction: 'resolve' },
    });
    expect(configured.ok).toBe(true);
    await services.close();
    services = await start();
    const s = services;
    await until(() => sim!.hubs().length === 1, 'the subscription');
    // Polls stop: what follows comes by events only.
    await s.connector.life.polls.close();

    const alarm = s.alarms.list().find((a) => !a.state?.clearedAt)!;
    const created = await requestTicketFor(s, alarm);
    expect(created.ok).toBe(true);
    await s.connector.whenIdle();
    const row = (): TicketRow => s.connector.listTickets()[0]!;
    const ticketId = row().ticketId;
    sim.setStatus(ticketId, 'inProgress', 'Taken');
    await until(() => row().oceaneStatus === 'inProgress', 'the event');
    expect(s.alarms.get(alarm.dmaId, alarm.alarmId)['Oceane Ticket Status']).toBe('inProgress');

    const refused = await s.router.handle('tickets:add-note', { ticketId, text: '   ' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    const note = await s.router.handle('tickets:add-note', {
      ticketId,
      text: 'Site visit at 14:00',
    });
    expect(note.ok).toBe(true);
    await s.connector.life.changes.settled();
    expect((sim.ledger()[0]!.note ?? []).map((n) => n.text)).toEqual(['Site visit at 14:00']);

    // The alarm clears: its ticket is resolved (the clear action's setting).
    for (let i = 0; i < 3000 && !s.alarms.find(alarm.dmaId, alarm.alarmId)?.state?.clearedAt; i++) {
      s.alarms.tick(1);
    }
    expect(s.alarms.find(alarm.dmaId, alarm.alarmId)?.state?.clearedAt).toBeTruthy();
    await until(() => sim!.ledger()[0]!.status === 'resolved', 'the resolution');
    await until(() => row().oceaneStatus === 'resolved', 'the resolved event');
    const history = await s.router.handle('tickets:history', { ticketId });
    expect(history.ok).toBe(true);
    const entries = (history.ok ? (history.value as TicketHistory) : null)!.entries;
    expect(entries.map((e) => (e.kind === 'status' ? e.to : e.text))).toEqual(
      expect.arrayContaining(['inProgress', 'Site visit at 14:00', 'resolved']),
    );

    await s.close();
    services = undefined;
    expect(sim.hubs()).toHaveLength(0);
  });
});
