/**
 * The browser harness for a team of two consoles (issue 14): one embedded PostgreSQL per
 * worker (a database of its own per test), and per test the Oceane simulator, the team's
 * DataMiner (a MockDataMiner served over HTTP, as `npm run dataminer` serves it) and two
 * consoles, A and B, each with its own data folder, its own services in team mode and its own
 * Chromium page (a browser context of its own, as two desktops). Each console reaches
 * PostgreSQL and the DataMiner through relays of its own, so a test can kill console A the way a
 * process dies: those connections dropped at once, nothing more recorded nor shown. Oceane is
 * reached directly: a team shares one Base URL, and a request remembers the one it was sent to
 * (a console that sees another refuses to guess), so an answer Oceane sends A still arrives,
 * but A can no longer record it anywhere.
 */
import { test as base, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MockDataMiner } from '../../electron/alarms/mock-dataminer.js';
import type { AppServices, AppServicesOptions } from '../../electron/app-services.js';
import { startDataMinerServer } from '../../electron/dataminer/dataminer-server.js';
import { startSimulator, type RunningSimulator } from '../../electron/oceane-simulator/index.js';
import { startTestPostgres, type TestPostgres } from '../../electron/team/test-postgres.js';
import { bindConsolePage } from './console-binding.js';
import { startCutLink, type CutLink } from './cut-link.js';
import { serveStatic, type StaticServer } from './static-server.js';
import { startTeamConsoleServices } from './team-console-services.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** How the team of a test is tuned. */
export interface TeamOptions {
  /** Alarms of the team's DataMiner (default 40). */
  alarms?: number;
  /** Oceane's request time-out of both consoles, in seconds (default 3). */
  requestTimeoutSeconds?: number;
  /** Further options of both consoles' services (the team's lease). */
  services?: Partial<AppServicesOptions>;
}

/** One console of the team in the test. */
export interface TeamConsoleHarness {
  name: string;
  page: Page;
  dataDir: string;
  services(): AppServices;
  /** Dies as a process would: its links to PostgreSQL and the DataMiner cut, then closed. */
  kill(): Promise<void>;
}

/** What a team test gets. */
export interface TeamHarness {
  sim: RunningSimulator;
  dataMiner: MockDataMiner;
  a: TeamConsoleHarness;
  b: TeamConsoleHarness;
  /** Starts both consoles' services and opens each in its page. */
  open(options?: TeamOptions): Promise<void>;
}

let databases = 0;

export const test = base.extend<
  { team: TeamHarness },
  { teamPostgres: TestPostgres; teamRenderer: StaticServer }
>({
  teamPostgres: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startTestPostgres();
      await use(server);
      await server.stop();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  teamRenderer: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await serveStatic(path.join(ROOT, 'out/renderer'));
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  team: async ({ browser, teamPostgres, teamRenderer }, use) => {
    const cleanup: (() => Promise<unknown>)[] = [];
    const postgresUrl = await teamPostgres.createDatabase(`team_${process.pid}_${++databases}`);
    const sim = await startSimulator({ port: 0 });
    cleanup.push(() => sim.close());
    const dmDir = await mkdtemp(path.join(tmpdir(), 'oceane-team-dm-'));
    cleanup.push(() => rm(dmDir, { recursive: true, force: true }));
    let dataMiner: MockDataMiner | null = null;

    const consoles = await Promise.all(
      ['Console A', 'Console B'].map(async (name) => {
        const context = await browser.newContext();
        cleanup.push(() => context.close());
        const page = await context.newPage();
        const binding = await bindConsolePage(page);
        const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-team-console-'));
        cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
        const pgLink = await startCutLink({ host: teamPostgres.host, port: teamPostgres.port });
        cleanup.push(() => pgLink.cut());
        const links: CutLink[] = [pgLink];
        return { name, page, binding, dataDir, pgLink, links };
      }),
    );
    const running = new Map<string, AppServices>();
    const harnessOf = (c: (typeof consoles)[number]): TeamConsoleHarness => ({
      name: c.name,
      page: c.page,
      dataDir: c.dataDir,
      services() {
        const s = running.get(c.name);
        if (!s) throw new Error(`${c.name} is not running`);
        return s;
      },
      async kill() {
        await Promise.all(c.links.map((link) => link.cut()));
        c.binding.detach();
        const s = running.get(c.name);
        running.delete(c.name);
        await s?.close();
      },
    });

    const harness: TeamHarness = {
      sim,
      get dataMiner() {
        if (!dataMiner) throw new Error('the team is not open');
        return dataMiner;
      },
      a: harnessOf(consoles[0]!),
      b: harnessOf(consoles[1]!),
      async open(options = {}) {
        const dm = await MockDataMiner.open({
          dataDir: dmDir,
          initialAlarms: options.alarms ?? 40,
          changesPerSecond: 0,
          seed: 7,
        });
        dataMiner = dm;
        cleanup.push(() => dm.close());
        const server = await startDataMinerServer(dm);
        cleanup.push(() => server.close());
        dm.start();
        const dmPort = Number(new URL(server.url).port);
        for (const c of consoles) {
          const dmLink = await startCutLink({ host: '127.0.0.1', port: dmPort });
          cleanup.push(() => dmLink.cut());
          c.links.push(dmLink);
          const services = await startTeamConsoleServices({
            name: c.name,
            dataDir: c.dataDir,
            postgresUrl: c.pgLink.via(postgresUrl.replace(/\/\/[^@]*@/, `//${teamPostgres.user}@`)),
            postgresPassword: teamPostgres.password,
            dataMinerUrl: dmLink.via(server.url),
            oceaneUrl: sim.url,
            requestTimeoutSeconds: options.requestTimeoutSeconds ?? 3,
            ...(options.services ? { services: options.services } : {}),
          });
          running.set(c.name, services);
          cleanup.push(() => running.get(c.name)?.close() ?? Promise.resolve());
          c.binding.attach(services);
          await c.page.goto(teamRenderer.url);
        }
      },
    };
    await use(harness);
    for (const c of consoles) c.binding.detach();
    while (cleanup.length) await cleanup.pop()!().catch(() => undefined);
  },
});

export { expect } from '@playwright/test';
