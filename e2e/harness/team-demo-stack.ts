/**
 * What `npm run team-demo` runs behind its two windows (issue 14): an embedded PostgreSQL
 * (its data in the temporary folder), the Oceane simulator, the mock DataMiner as its own
 * process, and two consoles in team mode, each with its own data folder under one temporary
 * folder and its own address serving the built renderer. `stop()` ends it all and removes the
 * folders; it is safe to call more than once.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { AppServices } from '../../electron/app-services.js';
import type { Logger } from '../../electron/connector/ports.js';
import { startSimulator, type RunningSimulator } from '../../electron/oceane-simulator/index.js';
import { DEMO_AUTO_ADVANCE } from '../../electron/oceane-simulator/index.js';
import { startTestPostgres, type TestPostgres } from '../../electron/team/test-postgres.js';
import { startDataMinerProcess, type DataMinerProcess } from './dataminer-process.js';
import { serveStatic, type StaticServer } from './static-server.js';
import { startTeamConsoleServices } from './team-console-services.js';

export { freePort } from '../../electron/team/test-postgres.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** How long PostgreSQL's stop is waited for before its folder is removed regardless. */
const POSTGRES_STOP_MS = 5_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** True when something accepts connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** How the demo is set up. */
export interface TeamDemoOptions {
  /** Console names, one console each (default Console A and Console B). */
  consoles?: string[];
  /** Alarms of the DataMiner (default 200). */
  alarms?: number;
  /** Live alarm changes per second (default 1). */
  rate?: number;
  /** Oceane holds every create this long (ms) before making it (default 0). */
  createDelayMs?: number;
  /** The built renderer (default out/renderer). */
  rendererDir?: string;
  /** Where the consoles' messages go (default: dropped). */
  logFor?: (consoleName: string) => Logger;
  /** Progress lines while starting (default: dropped). */
  progress?: (line: string) => void;
}

/** One console of the demo. */
export interface DemoConsole {
  name: string;
  dataDir: string;
  services: AppServices;
  /** Where its renderer is served (opened in its window). */
  url: string;
}

/** The running demo. */
export interface TeamDemo {
  postgres: TestPostgres;
  /** The team's database URL (without the password) and the password. */
  postgresUrl: string;
  sim: RunningSimulator;
  dataMiner: DataMinerProcess;
  consoles: DemoConsole[];
  /** The temporary folder of the consoles and the DataMiner. */
  dir: string;
  stop(): Promise<void>;
}

/** Starts every piece; if one fails, stops those already started and rethrows. */
export async function startTeamDemo(options: TeamDemoOptions = {}): Promise<TeamDemo> {
  const progress = options.progress ?? (() => undefined);
  const stops: (() => Promise<unknown>)[] = [];
  const dir = await mkdtemp(path.join(tmpdir(), 'oceane-team-demo-'));
  stops.push(() => rm(dir, { recursive: true, force: true }));
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      while (stops.length) await stops.pop()!().catch(() => undefined);
    })();
    return stopping;
  };
  try {
    progress('Starting PostgreSQL (embedded)…');
    const postgres = await startTestPostgres();
    stops.push(async () => {
      // A Ctrl+C in the terminal reaches PostgreSQL too; once it has stopped by itself, the
      // embedded server's stop would wait for an exit already past: its folder goes anyway.
      if (await listening(postgres.port)) {
        await Promise.race([postgres.stop(), sleep(POSTGRES_STOP_MS)]);
      }
      await rm(postgres.dataDir, { recursive: true, force: true });
    });
    const withPassword = await postgres.createDatabase('oceane_team');
    const postgresUrl = withPassword.replace(/\/\/[^@]*@/, `//${postgres.user}@`);

    progress('Starting the Oceane simulator…');
    const sim = await startSimulator({ port: 0, autoAdvance: DEMO_AUTO_ADVANCE });
    stops.push(() => sim.close());
    if (options.createDelayMs) {
      sim.inject('create', { kind: 'delay', ms: options.createDelayMs }, Infinity);
    }

    progress('Starting the mock DataMiner process…');
    const dmDir = path.join(dir, 'dataminer');
    await mkdir(dmDir);
    const dataMiner = await startDataMinerProcess({
      dataDir: dmDir,
      alarms: options.alarms ?? 200,
      rate: options.rate ?? 1,
    });
    stops.push(() => dataMiner.stop());

    const consoles: DemoConsole[] = [];
    for (const name of options.consoles ?? ['Console A', 'Console B']) {
      progress(`Starting ${name}…`);
      const dataDir = path.join(dir, name.replace(/\W+/g, '-').toLowerCase());
      await mkdir(dataDir);
      const services = await startTeamConsoleServices({
        name,
        dataDir,
        postgresUrl,
        postgresPassword: postgres.password,
        dataMinerUrl: dataMiner.url,
        oceaneUrl: sim.url,
        ...(options.logFor ? { logger: options.logFor(name) } : {}),
      });
      stops.push(() => services.close());
      const renderer: StaticServer = await serveStatic(
        options.rendererDir ?? path.join(ROOT, 'out/renderer'),
      );
      stops.push(() => renderer.close());
      consoles.push({ name, dataDir, services, url: renderer.url });
    }
    return { postgres, postgresUrl, sim, dataMiner, consoles, dir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
