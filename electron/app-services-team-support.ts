/**
 * Test support for team mode in the app (issue 14): one real PostgreSQL, the Oceane simulator
 * and one shared DataMiner process (served over HTTP) per test file, and consoles' services in
 * team mode on them (each in its own data folder, closed after each test). A TCP relay stands
 * for the network to the database, so that a test can cut it off and restore it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, Socket, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Alarm, TicketRow } from '../shared/domain.js';
import { MockDataMiner } from './alarms/mock-dataminer.js';
import { CONSOLE_SETTINGS_FILE } from './alarms/console-settings.js';
import type { AppServices } from './app-services.js';
import { createTestAppServices } from './app-services-test-support.js';
import { createMemorySecretStore } from './connector/memory-secret-store.js';
import { startDataMinerServer, type RunningDataMinerServer } from './dataminer/dataminer-server.js';
import {
  DEMO_CREDENTIALS,
  startSimulator,
  type RunningSimulator,
} from './oceane-simulator/index.js';
import { TEAM_SETTINGS_FILE } from './team/team-settings-service.js';
import { startTestPostgres, type TestPostgres } from './team/test-postgres.js';

/** How a console of a test joins the team. */
export interface ConsoleOptions {
  name: string;
  port: number;
  database: string;
  /** Without the Oceane secret, the console queues but takes no lease. */
  secret?: boolean;
}

/** A relay to the database that a test cuts off and restores. */
export interface Relay {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
}

/** What a test file's team world offers its tests. */
export interface TeamWorld {
  readonly pg: TestPostgres;
  readonly sim: RunningSimulator;
  readonly dm: MockDataMiner;
  /** Runs after the current test (after the consoles it started are closed). */
  afterTest(fn: () => Promise<void>): void;
  freshDatabase(): Promise<{ port: number; name: string }>;
  console(options: ConsoleOptions): Promise<AppServices>;
  relay(target: number): Promise<Relay>;
  alarmAt(index: number): Alarm;
}

/** Starts the world before the file's tests and stops it after them. */
export function useTeamWorld(): TeamWorld {
  let pg: TestPostgres | undefined;
  let sim: RunningSimulator | undefined;
  let dm: MockDataMiner | undefined;
  let dmServer: RunningDataMinerServer | undefined;
  let dmDir = '';
  let databases = 0;
  const cleanup: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    pg = await startTestPostgres();
    sim = await startSimulator({ port: 0 });
    dmDir = await mkdtemp(path.join(tmpdir(), 'oceane-team-dm-'));
    dm = await MockDataMiner.open({ dataDir: dmDir, initialAlarms: 20, changesPerSecond: 0 });
    dmServer = await startDataMinerServer(dm);
  }, 120_000);
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });
  afterAll(async () => {
    await dmServer?.close();
    await dm?.close();
    await sim?.close();
    await pg?.stop();
    if (dmDir) await rm(dmDir, { recursive: true, force: true });
  });
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the team world is not started');
    return value;
  };
  const world: TeamWorld = {
    get pg() {
      return need(pg);
    },
    get sim() {
      return need(sim);
    },
    get dm() {
      return need(dm);
    },
    afterTest: (fn) => cleanup.push(fn),
    async freshDatabase() {
      const name = `team_app_${++databases}`;
      await need(pg).createDatabase(name);
      return { port: need(pg).port, name };
    },
    console: (options) => teamConsole(options),
    relay: async (target) => {
      const r = await relay(target);
      cleanup.push(() => r.cut());
      return r;
    },
    alarmAt(index) {
      const alarm = need(dm).list()[index];
      if (!alarm) throw new Error(`no alarm ${index}`);
      return alarm;
    },
  };

  /** One console's services in team mode. */
  async function teamConsole(options: ConsoleOptions): Promise<AppServices> {
    const server = need(pg);
    const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-team-console-'));
    await writeFile(
      path.join(dataDir, CONSOLE_SETTINGS_FILE),
      JSON.stringify({ dataMinerUrl: need(dmServer).url }),
    );
    await writeFile(
      path.join(dataDir, TEAM_SETTINGS_FILE),
      JSON.stringify({
        postgresUrl: `postgres://${server.user}@127.0.0.1:${options.port}/${options.database}`,
        tls: 'off',
        caFile: '',
      }),
    );
    const services = await createTestAppServices({
      dataDir,
      teamSecretStore: createMemorySecretStore(server.password),
      teamConsoleName: options.name,
      teamLeaseMs: 3_000,
    });
    cleanup.push(async () => {
      await services.close();
      await rm(dataDir, { recursive: true, force: true });
    });
    const configured = await services.router.handle('settings:update', {
      api: {
        baseUrl: need(sim).url,
        clientId: DEMO_CREDENTIALS.clientId,
        userId: DEMO_CREDENTIALS.userId,
        requestTimeoutSeconds: 1,
      },
      ...(options.secret === false ? {} : { clientSecret: DEMO_CREDENTIALS.clientSecret }),
    });
    expect(configured.ok).toBe(true);
    return services;
  }

  return world;
}

/** Waits until `read` gives a value (checked every 25 ms, for at most 15 s). */
export async function until<T>(
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

/** A router call that must succeed; returns its value. */
export async function value<T>(
  services: AppServices,
  channel: string,
  payload?: unknown,
): Promise<T> {
  const result = await services.router.handle(channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as T;
}

/** The Tickets row of `alarm` as the console lists it. */
export async function rowFor(services: AppServices, alarm: Alarm): Promise<TicketRow | undefined> {
  const rows = await value<TicketRow[]>(services, 'tickets:list');
  return rows.find((r) => r.dmaId === alarm.dmaId && r.alarmId === alarm.alarmId);
}

/** A TCP relay to the test server that can be cut off (the network or the server gone). */
async function relay(target: number): Promise<Relay> {
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
  return { port, cut, restore: listen };
}
