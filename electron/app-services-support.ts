/**
 * Helpers of app-services.ts kept apart so that it stays short: the demo simulator's start and
 * record, the health light's wiring to the queue and the desktop, and the start-up notices.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Notice, QueueStatus, SettingsUpdate } from '../shared/domain.js';
import { storeStartNotices } from './connector/connector-notices.js';
import type { OceaneConnector } from './connector/index.js';
import type { Clock, SettingsStorePort } from './connector/ports.js';
import { DesktopAlerts, type DesktopNotifierPort } from './health/desktop-alerts.js';
import type { IntegrationHealthMonitor } from './health/integration-health.js';
import {
  DEMO_AUTO_ADVANCE,
  startSimulator,
  type RunningSimulator,
} from './oceane-simulator/index.js';
import { loadLedger } from './oceane-simulator/ledger-file.js';
import { moveAside } from './storage/move-aside.js';
import type { LegacyImport } from './storage/sql-table.js';
import type { StoreRecovery } from './storage/sqlite-database.js';

export const DEMO_FILE = 'demo.json';
/** Default port of the demo simulator; another is taken when it is busy. */
export const DEFAULT_DEMO_PORT = 47_821;

export interface DemoRecord {
  simulatorUrl: string;
}

export async function readDemoRecord(dataDir: string): Promise<DemoRecord | null> {
  try {
    const value = JSON.parse(await fsp.readFile(path.join(dataDir, DEMO_FILE), 'utf8')) as unknown;
    if (
      value &&
      typeof value === 'object' &&
      typeof (value as DemoRecord).simulatorUrl === 'string'
    ) {
      return value as DemoRecord;
    }
  } catch {
    // No record (first start) or an unreadable one: demo mode decides from the Base URL alone.
  }
  return null;
}

export async function startDemoSimulator(
  dataDir: string,
  preferredPort: number,
  notices: Notice[],
): Promise<RunningSimulator> {
  const ledgerFile = path.join(dataDir, 'demo-simulator-ledger.json');
  try {
    loadLedger(ledgerFile);
  } catch {
    // A damaged ledger must not stop the app: kept aside, the simulator starts without it.
    const movedTo = moveAside(ledgerFile);
    notices.push({
      id: `recovery-demo-ledger-${movedTo}`,
      level: 'warning',
      title: 'Demo simulator ledger was damaged',
      message: `The built-in simulator's list of tickets could not be read; it starts with none. The damaged file was kept as ${path.basename(movedTo)}.`,
      at: new Date().toISOString(),
    });
  }
  try {
    return await startSimulator({
      port: preferredPort,
      ledgerFile,
      autoAdvance: DEMO_AUTO_ADVANCE,
    });
  } catch {
    return startSimulator({ port: 0, ledgerFile, autoAdvance: DEMO_AUTO_ADVANCE });
  }
}

/** The Base URL, the Client ID or the secret changed: the light starts over. */
export function credentialsDiffer(
  before: { baseUrl: string; clientId: string },
  after: { baseUrl: string; clientId: string },
  update: SettingsUpdate,
): boolean {
  return (
    before.baseUrl !== after.baseUrl ||
    before.clientId !== after.clientId ||
    update.clientSecret !== undefined ||
    update.clearClientSecret === true
  );
}

/**
 * Feeds the health light from the connector's queue and sends failed tickets and reachability
 * changes to the desktop, while the setting allows.
 */
export function wireHealth(
  connector: OceaneConnector,
  health: IntegrationHealthMonitor,
  clock: Clock,
  notifier: DesktopNotifierPort | undefined,
  /** Team mode: the team's queue feeds the light instead of the connector's (idle) one. */
  teamQueue: {
    on(channel: 'queue:changed', listener: (q: QueueStatus) => void): () => void;
  } | null,
): { dispose(): void } {
  const offs = teamQueue
    ? [teamQueue.on('queue:changed', (q) => health.recordQueue(q))]
    : [connector.on('queue:changed', (q) => health.recordQueue(q))];
  if (!teamQueue) health.recordQueue(connector.getQueueStatus());
  let alerts: DesktopAlerts | null = null;
  if (notifier) {
    const desktop = new DesktopAlerts({
      notifier,
      clock,
      enabled: () => connector.getSettings().element.desktopNotifications,
    });
    alerts = desktop;
    offs.push(
      connector.on('notice', (n) => desktop.notice(n)),
      health.on((h) => desktop.health(h)),
    );
  }
  return {
    dispose() {
      offs.forEach((off) => off());
      alerts?.close();
    },
  };
}

export function readStoredBaseUrl(store: SettingsStorePort): string {
  try {
    const doc = store.read();
    const api = doc.api as { baseUrl?: unknown } | undefined;
    return typeof api?.baseUrl === 'string' ? api.baseUrl : '';
  } catch {
    return '';
  }
}

/** Notices for the mock DataMiner's state file and the console and Team settings moved aside. */
export function consoleRecoveryNotices(
  state: string | null,
  settings: string | null,
  team: string | null = null,
): Notice[] {
  const notice = (what: string, movedTo: string): Notice => ({
    id: `recovery-${what}-${movedTo}`,
    level: 'warning',
    title: `${what} file was damaged`,
    message: `It could not be read and starts afresh; the damaged file was kept as ${path.basename(movedTo)}.`,
    at: new Date().toISOString(),
  });
  return [
    ...(state ? [notice('Alarm state', state)] : []),
    ...(settings ? [notice('Console settings', settings)] : []),
    ...(team ? [notice('Team settings', team)] : []),
  ];
}

/** Notices about the store at start (a damaged database kept aside, a journal imported). */
export function storeNotices(
  recovery: StoreRecovery | null,
  imports: [string, LegacyImport][],
): Notice[] {
  const at = new Date().toISOString();
  return storeStartNotices(
    recovery,
    imports.map(([what, imported]) => [what, imported, 'rows']),
  ).map((n) => ({ id: `store-${n.title}-${at}`, at, ...n }));
}
