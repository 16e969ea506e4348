/**
 * Team mode in the app (issue 14) when the team database goes away: requests refused with a
 * sentence, the health light's Team database part red with pg's reason, then reconnected with
 * backoff and the queue worked on; a console started while the database cannot be reached;
 * retention of the team's tables, heard by the other console; and a change of the Team
 * settings at run time, which asks for a restart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IntegrationHealth, Notice, TicketRow, TicketsChanged } from '../shared/domain.js';
import { firstTicketPage } from '../shared/table-page.js';
import { rowFor, until, useTeamWorld, value } from './app-services-team-support.js';
import { createTestAppServices, requestTicketFor } from './app-services-test-support.js';
import { createMemorySecretStore } from './connector/memory-secret-store.js';
import { DEMO_CREDENTIALS } from './oceane-simulator/index.js';

const world = useTeamWorld();

describe('a team console whose database goes away', () => {
  it('refuses with a sentence, says so on the light, reconnects and works the queue', async () => {
    const db = await world.freshDatabase();
    const link = await world.relay(db.port);
    const a = await world.console({
      name: 'console-a',
      port: link.port,
      database: db.name,
      secret: false,
    });
    const queued = world.alarmAt(3);
    const first = await requestTicketFor(a, queued);
    expect(first.ok).toBe(true);

    await link.cut();
    const refused = await requestTicketFor(a, world.alarmAt(4));
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('storage');
      expect(refused.error.message).toMatch(
        new RegExp(`^The team database at 127\\.0\\.0\\.1:${link.port} cannot be reached \\(`),
      );
      expect(refused.error.message).toContain('the request was not accepted');
    }
    const down = await until('the light says the database is unreachable', async () => {
      const health = await value<IntegrationHealth>(a, 'health:get');
      return health.teamDatabase?.state === 'unreachable' ? health : undefined;
    });
    expect(down.level).toBe('red');
    expect(down.teamDatabase?.message).toMatch(/^The team database cannot be reached: /);
    expect(down.teamDatabase?.message).toContain('Reconnecting with backoff.');
    // The tables answer with what was last read.
    expect((await rowFor(a, queued))?.status).toBe('Pending');

    await link.restore();
    await until('the light says the database answers again', async () => {
      const health = await value<IntegrationHealth>(a, 'health:get');
      return health.teamDatabase?.state === 'reachable';
    });
    // The Oceane secret arrives: the queued request is sent and created.
    const secret = await a.router.handle('settings:update', {
      clientSecret: DEMO_CREDENTIALS.clientSecret,
    });
    expect(secret.ok).toBe(true);
    await until(
      'the queued request Created',
      async () => (await rowFor(a, queued))?.status === 'Created',
    );
    const again = await requestTicketFor(a, world.alarmAt(4));
    expect(again.ok).toBe(true);
  }, 90_000);
});

describe('a team console started while its database cannot be reached', () => {
  it("starts anyway, says pg's reason on the light, and joins once the database answers", async () => {
    const db = await world.freshDatabase();
    const link = await world.relay(db.port);
    await link.cut();
    const a = await world.console({ name: 'console-a', port: link.port, database: db.name });
    const health = await value<IntegrationHealth>(a, 'health:get');
    expect(health.level).toBe('red');
    expect(health.teamDatabase).toEqual({
      state: 'unreachable',
      message: `The team database cannot be reached: PostgreSQL at 127.0.0.1:${link.port} refused the connection. Check that it runs and that the host and port are right. Reconnecting with backoff.`,
    });
    const refused = await requestTicketFor(a, world.alarmAt(6));
    expect(refused.ok ? null : refused.error.code).toBe('storage');
    const page = await a.router.handle('tables:page', firstTicketPage());
    expect(page.ok ? null : page.error.code).toBe('storage');

    await link.restore();
    await a.team?.connected();
    expect(a.team?.databaseHealth().state).toBe('reachable');
    const asked = await requestTicketFor(a, world.alarmAt(6));
    expect(asked.ok).toBe(true);
  }, 60_000);
});

describe("retention of the team's tables", () => {
  it("prunes after a settle beyond the count limit, and the other console's table drops the row", async () => {
    const db = await world.freshDatabase();
    const a = await world.console({ name: 'console-a', port: db.port, database: db.name });
    const b = await world.console({ name: 'console-b', port: db.port, database: db.name });
    // Both consoles get the limit (as the README asks): either may settle the request.
    for (const c of [a, b]) {
      const limited = await c.router.handle('settings:update', {
        element: { ticketStorageCountLimit: 1 },
      });
      expect(limited.ok).toBe(true);
    }
    const removedOnB: string[] = [];
    b.subscribe((channel, payload) => {
      if (channel === 'tickets:changed') removedOnB.push(...(payload as TicketsChanged).removed);
    });
    const [first, second] = [world.alarmAt(8), world.alarmAt(9)];
    expect((await requestTicketFor(a, first)).ok).toBe(true);
    await until('the first Created', async () => (await rowFor(b, first))?.status === 'Created');
    const old = (await rowFor(b, first))?.instance ?? '';
    expect((await requestTicketFor(a, second)).ok).toBe(true);
    await until('the second Created', async () => (await rowFor(b, second))?.status === 'Created');
    // The settle of the second pruned the first: B hears it and its table drops it.
    await until('B hears the removal', () => removedOnB.includes(old));
    const rows = await value<TicketRow[]>(b, 'tickets:list');
    expect(rows.map((r) => r.alarmId)).toEqual([second.alarmId]);
  }, 60_000);
});

describe("retention of the team's tables when the storage limits change", () => {
  it('prunes soon after the count limit is lowered in Settings, without waiting for a settle', async () => {
    const db = await world.freshDatabase();
    const a = await world.console({ name: 'console-a', port: db.port, database: db.name });
    const b = await world.console({
      name: 'console-b',
      port: db.port,
      database: db.name,
      secret: false,
    });
    const [first, second] = [world.alarmAt(10), world.alarmAt(11)];
    for (const alarm of [first, second]) {
      expect((await requestTicketFor(a, alarm)).ok).toBe(true);
      await until('Created', async () => (await rowFor(b, alarm))?.status === 'Created');
    }
    const old = (await rowFor(b, first))?.instance ?? '';
    const removedOnB: string[] = [];
    b.subscribe((channel, payload) => {
      if (channel === 'tickets:changed') removedOnB.push(...(payload as TicketsChanged).removed);
    });
    // Nothing more is settled: only the lowered limit can prune now.
    const limited = await b.router.handle('settings:update', {
      element: { ticketStorageCountLimit: 1 },
    });
    expect(limited.ok).toBe(true);
    await until('the oldest row pruned', () => removedOnB.includes(old));
    const rows = await value<TicketRow[]>(a, 'tickets:list');
    expect(rows.map((r) => r.alarmId)).toEqual([second.alarmId]);
  }, 60_000);
});

describe('the Team settings changed at run time', () => {
  it('asks for a restart, and the console joins the team when restarted', async () => {
    const db = await world.freshDatabase();
    const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-team-join-'));
    const teamSecretStore = createMemorySecretStore();
    const alone = await createTestAppServices({ dataDir, teamSecretStore, teamConsoleName: 'j' });
    world.afterTest(() => alone.close());
    expect(alone.team).toBeNull();
    const heard: Notice[] = [];
    alone.subscribe((channel, payload) => {
      if (channel === 'notice') heard.push(payload as Notice);
    });
    const saved = await alone.router.handle('team:update', {
      postgresUrl: `postgres://${world.pg.user}@127.0.0.1:${db.port}/${db.name}`,
      tls: 'off',
      password: world.pg.password,
    });
    expect(saved.ok).toBe(true);
    expect(heard.map((n) => n.title)).toEqual(['Restart the console to apply the Team settings']);
    expect(heard[0]?.message).toContain(
      'This console joins the team when the console is restarted',
    );
    expect(alone.team).toBeNull();
    const unchanged = await alone.router.handle('team:update', { tls: 'off' });
    expect(unchanged.ok).toBe(true);
    // Saved again as it is: nothing to restart for.
    expect(heard).toHaveLength(1);
    await alone.close();

    const joined = await createTestAppServices({ dataDir, teamSecretStore, teamConsoleName: 'j' });
    world.afterTest(async () => {
      await joined.close();
      await rm(dataDir, { recursive: true, force: true });
    });
    expect(joined.team?.consoleName).toBe('j');
    expect(joined.team?.databaseHealth().state).toBe('reachable');
    const health = await value<IntegrationHealth>(joined, 'health:get');
    expect(health.teamDatabase?.message).toContain(`127.0.0.1:${db.port} answers`);
  }, 60_000);
});
