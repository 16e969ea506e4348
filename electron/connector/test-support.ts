/**
 * Shared set-up of the connector's integration tests: a temporary data folder, the real
 * simulator on 127.0.0.1 port 0, `conf` as the settings store, an in-memory secret store and a
 * journal-backed alarm property store, and (optionally) a fake clock.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CreateTicketRequest, SettingsUpdate } from '../../shared/domain.js';
import {
  DEMO_CREDENTIALS,
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '../oceane-simulator/index.js';
import { ConfSettingsStore } from './conf-settings-store.js';
import { OceaneConnector, type ConnectorOptions } from './connector.js';
import type { FakeClock } from './fake-clock.js';
import {
  openSqlAlarmPropertyStore,
  type ClosableAlarmPropertyPort,
} from './sql-alarm-property-store.js';
import { createMemorySecretStore } from './memory-secret-store.js';
import type { SecretStorePort } from './ports.js';

/** Everything a connector test works with. */
export interface Rig {
  dir: string;
  dataDir: string;
  sim: RunningSimulator;
  clock: FakeClock | undefined;
  secrets: SecretStorePort;
  settingsStore: ConfSettingsStore;
  props: ClosableAlarmPropertyPort;
  connector: OceaneConnector;
  /** Closes the connector and opens a new one on the same folders. */
  reopen(extra?: Partial<ConnectorOptions>): Promise<OceaneConnector>;
  /** Closes everything and deletes the folder. */
  dispose(): Promise<void>;
}

/** Options of a rig. */
export interface RigOptions {
  clock?: FakeClock;
  retryCount?: number;
  /** HTTP time-out in ms (default 2000). */
  timeoutMs?: number;
  /** Fill the API settings with the simulator's demo credentials (default true). */
  configure?: boolean;
  simulator?: SimulatorOptions;
  connector?: Partial<ConnectorOptions>;
  /** Reuse a folder (a second operator uses a new one; a restart the same one). */
  dir?: string;
}

/** Starts the simulator and a connector in a new temporary folder. */
export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const dir = options.dir ?? (await mkdtemp(path.join(tmpdir(), 'oceane-connector-')));
  const dataDir = path.join(dir, 'data');
  const sim = await startSimulator({ port: 0, ...options.simulator });
  const secrets = createMemorySecretStore();
  const settingsStore = new ConfSettingsStore(dir);
  let props = await openSqlAlarmPropertyStore(dir);
  const build = (extra: Partial<ConnectorOptions> = {}) =>
    OceaneConnector.open({
      dataDir,
      settingsStore,
      secretStore: secrets,
      alarmProperties: props,
      clock: options.clock,
      random: () => 0.5,
      requestTimeoutMs: options.timeoutMs ?? 2000,
      closeWaitMs: 500,
      ...options.connector,
      ...extra,
    });
  const rig: Rig = {
    dir,
    dataDir,
    sim,
    clock: options.clock,
    secrets,
    settingsStore,
    props,
    connector: await build(),
    async reopen(extra) {
      await rig.connector.close();
      await props.close();
      props = await openSqlAlarmPropertyStore(dir);
      rig.props = props;
      rig.connector = await build(extra);
      return rig.connector;
    },
    async dispose() {
      await rig.connector.close();
      await props.close();
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  if (options.configure !== false) {
    const result = await rig.connector.updateSettings(
      simulatorSettings(sim.url, options.retryCount ?? 1),
    );
    if (!result.ok) throw new Error(`test settings refused: ${result.error.message}`);
  }
  return rig;
}

let alarmCounter = 1000;

/** A valid request for a new alarm (a distinct Alarm ID each call). */
export function ticketRequest(overrides: Partial<CreateTicketRequest> = {}): CreateTicketRequest {
  alarmCounter++;
  return {
    dmaId: '123',
    elementId: '45',
    alarmId: String(alarmCounter),
    elementName: 'PAR-CORE-RTR-01',
    alarmValue: 'Link down',
    rootTime: '2025-03-01T10:00:00Z',
    priority: 'High',
    urgency: 'Medium',
    technicalImpact: 'Major',
    ...overrides,
  };
}

/** How many requests the simulator saw on a route. */
export function countRequests(sim: RunningSimulator, route: 'token' | 'create' | 'find'): number {
  return sim.requests().filter((r) => {
    const [p = '', query] = r.path.split('?');
    if (route === 'token') return p.endsWith('/oauth/v3/token');
    if (!p.endsWith('/troubleTicket')) return false;
    if (route === 'create') return r.method === 'POST';
    // A find asks by alarm; the ticket polls (lastUpdate.gt, issue 13) are not finds.
    return r.method === 'GET' && query !== undefined && !query.includes('lastUpdate.gt');
  }).length;
}

/**
 * Runs the queue to the end under a fake clock: whenever nothing is ready, jumps to the next
 * retry. Returns the delays jumped, in ms.
 */
export async function drainWithClock(rig: Rig, maxSteps = 50): Promise<number[]> {
  const clock = rig.clock;
  if (!clock) throw new Error('drainWithClock needs a fake clock');
  const jumps: number[] = [];
  for (let i = 0; i < maxSteps; i++) {
    await rig.connector.whenQuiet();
    const status = rig.connector.getQueueStatus();
    if (status.pending.length === 0) break;
    const next = Math.min(
      ...status.pending.map((p) => (p.nextAttemptAt ? Date.parse(p.nextAttemptAt) : clock.now())),
    );
    const delay = Math.max(0, next - clock.now());
    jumps.push(delay);
    await clock.advanceAsync(delay);
  }
  await rig.connector.whenIdle();
  return jumps;
}

/** The settings update that points a connector at a simulator with its demo credentials. */
export function simulatorSettings(url: string, retryCount: number): SettingsUpdate {
  return {
    api: { baseUrl: url, clientId: DEMO_CREDENTIALS.clientId, userId: DEMO_CREDENTIALS.userId },
    element: { ticketCreationRetryCount: retryCount },
    clientSecret: DEMO_CREDENTIALS.clientSecret,
  };
}
