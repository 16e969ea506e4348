/**
 * Team mode in the app (issue 14): two consoles' services in one test process, on one real
 * PostgreSQL and one shared DataMiner process (served over HTTP), against the real Oceane
 * simulator. What one console asks shows on the other through NOTIFY; one ticket per alarm
 * whichever console asks; the database cut off refuses requests with a sentence and the
 * health light says so; back again, the console reconnects and the queue is worked on.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, Socket, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  PROPERTY_TICKET_ID,
  type Alarm,
  type ExistingTicket,
  type FailedRequestRow,
  type FailedRequestsChanged,
  type IntegrationHealth,
  type Notice,
  type QueueStatus,
  type TicketRow,
  type TicketsChanged,
} from '../shared/domain.js';
import {
  firstFailedPage,
  firstTicketPage,
  type FailedPage,
  type TicketPage,
} from '../shared/table-page.js';
import { MockDataMiner } from './alarms/mock-dataminer.js';
import { CONSOLE_SETTINGS_FILE } from './alarms/console-settings.js';
import type { AppServices } from './app-services.js';
import { createTestAppServices, requestTicketFor } from './app-services-test-support.js';
import { createMemorySecretStore } from './connector/memory-secret-store.js';
import { startDataMinerServer, type RunningDataMinerServer } from './dataminer/dataminer-server.js';
import {
  DEMO_CREDENTIALS,
  startSimulator,
  type RunningSimulator,
} from './oceane-simulator/index.js';
import { TEAM_SETTINGS_FILE } from './team/team-settings-service.js';
import { startTestPostgres, type TestPostgres } from './team/test-postgres.js';

let pgServer: TestPostgres;
let sim: RunningSimulator;
let dm: MockDataMiner;
let dmServer: RunningDataMinerServer;
let databases = 0;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  pgServer = await startTestPostgres();
  sim = await startSimulator({ port: 0 });
  const dir = await mkdtemp(path.join(tmpdir(), 'oceane-team-dm-'));
  dm = await MockDataMiner.open({ dataDir: dir, initialAlarms: 20, changesPerSecond: 0 });
  dmServer = await startDataMinerServer(dm);
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
}, 120_000);

afterEach(async () => {
  while (cleanup.length > 1) await cleanup.pop()!();
});

afterAll(async () => {
  await dmServer?.close();
  await dm?.close();
  await sim?.close();
  await pgServer?.stop();
  while (cleanup.length) await cleanup.pop()!();
});

/** Waits until `read` gives a value (checked every 25 ms, for at most 15 s). */
async function until<T>(
  what: string,
  read: () => Promise<T | undefined | null | false> | T | undefined | null | false,
): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await read();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** A fresh database of the test server: its host and port, name and URL without password. */
async function freshDatabase(): Promise<{ port: number; name: string }> {
  const name = `team_app_${++databases}`;
  await pgServer.createDatabase(name);
  return { port: pgServer.port, name };
}

interface ConsoleOptions {
  name: string;
  port: number;
  database: string;
  /** Without the Oceane secret, the console queues but takes no lease. */
  secret?: boolean;
}

/** One console's services in team mode. */
async function teamConsole(options: ConsoleOptions): Promise<AppServices> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-team-console-'));
  await writeFile(
    path.join(dataDir, CONSOLE_SETTINGS_FILE),
    JSON.stringify({ dataMinerUrl: dmServer.url }),
  );
  await writeFile(
    path.join(dataDir, TEAM_SETTINGS_FILE),
    JSON.stringify({
      postgresUrl: `postgres://${pgServer.user}@127.0.0.1:${options.port}/${options.database}`,
      tls: 'off',
      caFile: '',
    }),
  );
  const services = await createTestAppServices({
    dataDir,
    teamSecretStore: createMemorySecretStore(pgServer.password),
    teamConsoleName: options.name,
    teamLeaseMs: 3_000,
  });
  cleanup.push(async () => {
    await services.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const configured = await services.router.handle('settings:update', {
    api: {
      baseUrl: sim.url,
      clientId: DEMO_CREDENTIALS.clientId,
      userId: DEMO_CREDENTIALS.userId,
      requestTimeoutSeconds: 1,
    },
    ...(options.secret === false ? {} : { clientSecret: DEMO_CREDENTIALS.clientSecret }),
  });
  expect(configured.ok).toBe(true);
  return services;
}

async function value<T>(services: AppServices, channel: string, payload?: unknown): Promise<T> {
  const result = await services.router.handle(channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as T;
}

function alarmAt(index: number): Alarm {
  const alarm = dm.list()[index];
  if (!alarm) throw new Error(`no alarm ${index}`);
  return alarm;
}

async function rowFor(services: AppServices, alarm: Alarm): Promise<TicketRow | undefined> {
  const rows = await value<TicketRow[]>(services, 'tickets:list');
  return rows.find((r) => r.dmaId === alarm.dmaId && r.alarmId === alarm.alarmId);
}

describe('two consoles in team mode', () => {
  it("shows a ticket asked on console A on console B, its tables, events and alarm's Ticket ID", async () => {
    const db = await freshDatabase();
    const a = await teamConsole({ name: 'console-a', port: db.port, database: db.name });
    const b = await teamConsole({ name: 'console-b', port: db.port, database: db.name });
    expect(a.team?.databaseHealth().state).toBe('reachable');
    const heardOnB: TicketsChanged[] = [];
    b.subscribe((channel, payload) => {
      if (channel === 'tickets:changed') heardOnB.push(payload as TicketsChanged);
    });
    const alarm = alarmAt(0);

    const asked = await requestTicketFor(a, alarm);
    expect(asked.ok).toBe(true);
    const instance = asked.ok ? (asked.value as { instance: string }).instance : '';

    await until('B hears the new row', () =>
      heardOnB.some((c) => c.upserted.some((r) => r.instance === instance)),
    );
    const created = await until('the ticket Created, seen from B', async () => {
      const row = await rowFor(b, alarm);
      return row?.status === 'Created' ? row : undefined;
    });
    expect(created.instance).toBe(instance);
    expect(created.ticketId).not.toBe('');
    const page = await value<TicketPage>(b, 'tables:page', {
      ...firstTicketPage(),
      filter: alarm.elementName.toUpperCase(),
      statuses: ['Created'],
    });
    expect(page.rows.map((r) => r.instance)).toContain(instance);
    expect(page.total).toBe(page.rows.length);
    const none = await value<TicketPage>(b, 'tables:page', {
      ...firstTicketPage(),
      statuses: ['Failed'],
    });
    expect(none).toMatchObject({ rows: [], total: 0 });

    // The Ticket ID reaches every console's alarm through the shared DataMiner.
    for (const services of [a, b]) {
      await until('the Ticket ID on the alarm', () => {
        const seen = services.alarms.find(alarm.dmaId, alarm.alarmId);
        return seen?.properties?.[PROPERTY_TICKET_ID] === created.ticketId;
      });
    }
    const existing = await value<ExistingTicket | null>(b, 'tickets:find-existing', {
      dmaId: alarm.dmaId,
      alarmId: alarm.alarmId,
    });
    expect(existing).toMatchObject({ status: 'Created', ticketId: created.ticketId });
    const group = await value<(ExistingTicket | null)[]>(b, 'tickets:check-group', {
      keys: [
        { dmaId: alarm.dmaId, alarmId: alarm.alarmId },
        { dmaId: alarmAt(1).dmaId, alarmId: alarmAt(1).alarmId },
      ],
    });
    expect(group[0]).toMatchObject({ status: 'Created', instance });
    expect(group[1]).toBeNull();
    const queue = await value<QueueStatus>(b, 'queue:status');
    expect(queue.pending).toEqual([]);
  }, 60_000);

  it('gives one ticket when both ask for the same alarm at once, naming the first', async () => {
    const db = await freshDatabase();
    // No secret: the requests stay queued, and the Debug page shows them.
    const a = await teamConsole({
      name: 'console-a',
      port: db.port,
      database: db.name,
      secret: false,
    });
    const b = await teamConsole({
      name: 'console-b',
      port: db.port,
      database: db.name,
      secret: false,
    });
    const alarm = alarmAt(2);
    const [fromA, fromB] = await Promise.all([
      requestTicketFor(a, alarm),
      requestTicketFor(b, alarm),
    ]);
    const outcomes = [fromA, fromB];
    const accepted = outcomes.filter((r) => r.ok);
    const refused = outcomes.flatMap((r) => (r.ok ? [] : [r.error]));
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const winner = fromA.ok ? 'console-a' : 'console-b';
    expect(refused[0]?.code).toBe('duplicate');
    expect(refused[0]?.message).toContain(`by ${winner} at `);
    const rows = (await value<TicketRow[]>(a, 'tickets:list')).filter(
      (r) => r.alarmId === alarm.alarmId && r.dmaId === alarm.dmaId,
    );
    expect(rows).toHaveLength(1);
    const queue = await value<QueueStatus>(b, 'queue:status');
    expect(queue.pending.map((p) => p.alarmId)).toEqual([alarm.alarmId]);
    const held = await value<ExistingTicket | null>(a, 'tickets:find-existing', {
      dmaId: alarm.dmaId,
      alarmId: alarm.alarmId,
    });
    expect(held).toMatchObject({ source: 'queue', status: 'Pending' });
  }, 60_000);
});

/** A TCP relay to the test server that can be cut off (the network or the server gone). */
async function relay(
  target: number,
): Promise<{ port: number; cut(): Promise<void>; restore(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = new Socket();
        sockets.add(client).add(upstream);
        const drop = (): void => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        upstream.connect(target, '127.0.0.1', () => {
          client.pipe(upstream).pipe(client);
        });
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        const address = s.address();
        if (address && typeof address === 'object') port = address.port;
        server = s;
        resolve();
      });
    });
  await listen();
  const cut = async (): Promise<void> => {
    const s = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await new Promise<void>((resolve) => (s ? s.close(() => resolve()) : resolve()));
  };
  cleanup.push(cut);
  return { port, cut, restore: listen };
}

describe("the Debug page's queue in team mode", () => {
  it('shows the processing lock with the console that holds it, on the other console', async () => {
    const db = await freshDatabase();
    const a = await teamConsole({ name: 'console-a', port: db.port, database: db.name });
    const b = await teamConsole({
      name: 'console-b',
      port: db.port,
      database: db.name,
      secret: false,
    });
    const alarm = alarmAt(7);
    // Oceane answers the create slowly: console A holds the request's lease meanwhile.
    sim.inject('create', { kind: 'delay', ms: 700 });
    const asked = await requestTicketFor(a, alarm);
    const instance = asked.ok ? (asked.value as { instance: string }).instance : '';
    const locked = await until('the lock seen from B', async () => {
      const queue = await value<QueueStatus>(b, 'queue:status');
      return queue.locked ? queue : undefined;
    });
    expect(locked.lockedBy).toBe(`console-a (request ${instance})`);
    expect(locked.pending.map((p) => p.instance)).toEqual([instance]);
    await until('the queue empty again', async () => {
      const queue = await value<QueueStatus>(b, 'queue:status');
      return !queue.locked && queue.pending.length === 0;
    });
    expect((await rowFor(b, alarm))?.status).toBe('Created');
  }, 60_000);
});

describe('a failed request in team mode', () => {
  it("shows in both consoles' Failed table, and Retry on the other console creates it", async () => {
    const db = await freshDatabase();
    const a = await teamConsole({ name: 'console-a', port: db.port, database: db.name });
    const b = await teamConsole({ name: 'console-b', port: db.port, database: db.name });
    const failedOnB: FailedRequestsChanged[] = [];
    b.subscribe((channel, payload) => {
      if (channel === 'failed:changed') failedOnB.push(payload as FailedRequestsChanged);
    });
    const alarm = alarmAt(5);
    sim.inject('create', { kind: 'status', status: 400 });
    const asked = await requestTicketFor(a, alarm);
    expect(asked.ok).toBe(true);
    const instance = asked.ok ? (asked.value as { instance: string }).instance : '';
    await until('B hears the failure', () =>
      failedOnB.some((c) => c.upserted.some((r) => r.ticketInstance === instance)),
    );
    const failed = await value<FailedRequestRow[]>(b, 'failed:list');
    expect(failed.find((r) => r.ticketInstance === instance)?.httpErrorCode).toBe(400);
    const page = await value<FailedPage>(b, 'tables:page', firstFailedPage());
    expect(page.rows.map((r) => r.ticketInstance)).toEqual([instance]);
    expect((await rowFor(a, alarm))?.status).toBe('Failed');
    // The claim is released: B's Retry queues the request again, and it is created.
    const retried = await b.router.handle('tickets:retry', { instance });
    expect(retried).toEqual({ ok: true, value: { instance, status: 'Pending' } });
    const again = await b.router.handle('tickets:retry', { instance });
    expect(again.ok ? null : again.error.code).toBe('duplicate');
    await until('the retried request Created, seen from A', async () => {
      const row = await rowFor(a, alarm);
      return row?.status === 'Created' && row.instance === instance;
    });
  }, 60_000);
});

describe('a team console whose database goes away', () => {
  it('refuses with a sentence, says so on the light, reconnects and works the queue', async () => {
    const db = await freshDatabase();
    const link = await relay(db.port);
    const a = await teamConsole({
      name: 'console-a',
      port: link.port,
      database: db.name,
      secret: false,
    });
    const queued = alarmAt(3);
    const first = await requestTicketFor(a, queued);
    expect(first.ok).toBe(true);

    await link.cut();
    const refused = await requestTicketFor(a, alarmAt(4));
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
    const again = await requestTicketFor(a, alarmAt(4));
    expect(again.ok).toBe(true);
  }, 90_000);
});

describe('a team console started while its database cannot be reached', () => {
  it("starts anyway, says pg's reason on the light, and joins once the database answers", async () => {
    const db = await freshDatabase();
    const link = await relay(db.port);
    await link.cut();
    const a = await teamConsole({ name: 'console-a', port: link.port, database: db.name });
    const health = await value<IntegrationHealth>(a, 'health:get');
    expect(health.level).toBe('red');
    expect(health.teamDatabase).toEqual({
      state: 'unreachable',
      message: `The team database cannot be reached: PostgreSQL at 127.0.0.1:${link.port} refused the connection. Check that it runs and that the host and port are right. Reconnecting with backoff.`,
    });
    const refused = await requestTicketFor(a, alarmAt(6));
    expect(refused.ok ? null : refused.error.code).toBe('storage');
    const page = await a.router.handle('tables:page', firstTicketPage());
    expect(page.ok ? null : page.error.code).toBe('storage');

    await link.restore();
    await a.team?.connected();
    expect(a.team?.databaseHealth().state).toBe('reachable');
    const asked = await requestTicketFor(a, alarmAt(6));
    expect(asked.ok).toBe(true);
  }, 60_000);
});

describe('the Team settings changed at run time', () => {
  it('asks for a restart, and the console joins the team when restarted', async () => {
    const db = await freshDatabase();
    const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-team-join-'));
    const teamSecretStore = createMemorySecretStore();
    const alone = await createTestAppServices({ dataDir, teamSecretStore, teamConsoleName: 'j' });
    cleanup.push(() => alone.close());
    expect(alone.team).toBeNull();
    const heard: Notice[] = [];
    alone.subscribe((channel, payload) => {
      if (channel === 'notice') heard.push(payload as Notice);
    });
    const saved = await alone.router.handle('team:update', {
      postgresUrl: `postgres://${pgServer.user}@127.0.0.1:${db.port}/${db.name}`,
      tls: 'off',
      password: pgServer.password,
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
    cleanup.push(async () => {
      await joined.close();
      await rm(dataDir, { recursive: true, force: true });
    });
    expect(joined.team?.consoleName).toBe('j');
    expect(joined.team?.databaseHealth().state).toBe('reachable');
    const health = await value<IntegrationHealth>(joined, 'health:get');
    expect(health.teamDatabase?.message).toContain(`127.0.0.1:${db.port} answers`);
  }, 60_000);
});
