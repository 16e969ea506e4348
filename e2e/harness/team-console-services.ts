/**
 * One console of a team (issue 14) as the browser journeys and `npm run team-demo` start it:
 * its own data folder, its settings written there before the services open (the operator's
 * name, the team's DataMiner address, the Oceane API settings and the Team settings with the
 * PostgreSQL URL), the secrets in memory, and the very services the desktop app runs.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CONSOLE_SETTINGS_FILE } from '../../electron/alarms/console-settings.js';
import {
  createAppServices,
  type AppServices,
  type AppServicesOptions,
} from '../../electron/app-services.js';
import { ConfSettingsStore } from '../../electron/connector/conf-settings-store.js';
import { createMemorySecretStore } from '../../electron/connector/memory-secret-store.js';
import { silentLogger, type Logger } from '../../electron/connector/ports.js';
import { defaultSettings } from '../../electron/connector/settings-service.js';
import { DEMO_CREDENTIALS } from '../../electron/oceane-simulator/index.js';
import { TEAM_SETTINGS_FILE } from '../../electron/team/team-settings-service.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The harness stands for a desktop whose OS key store is available. */
export const KEY_STORE = { encryptionAvailable: true, backend: 'test_keyring', persisted: true };

/** Where a team console finds the team, and how it is tuned for a test or the demo. */
export interface TeamConsoleSpec {
  /** The console's name in the team ("asked by Console A at …") and its operator's name. */
  name: string;
  dataDir: string;
  /** The team's PostgreSQL, without the password (Settings → Team). */
  postgresUrl: string;
  postgresPassword: string;
  /** The team's DataMiner (Settings → Alarm Console → DataMiner address). */
  dataMinerUrl: string;
  /** Oceane's Base URL (the simulator, or a relay to it). */
  oceaneUrl: string;
  /** Oceane's request time-out in seconds (default: the app's). */
  requestTimeoutSeconds?: number;
  /** Ticket Creation Retry Count (default 1). */
  retryCount?: number;
  /** Any further options of the services (the team's lease, a log). */
  services?: Partial<AppServicesOptions>;
  logger?: Logger;
}

/** Writes the console's settings files into its data folder (before its services start). */
export async function writeTeamConsoleSettings(spec: TeamConsoleSpec): Promise<void> {
  const consoleSettings = { operatorName: spec.name, dataMinerUrl: spec.dataMinerUrl };
  await writeFile(path.join(spec.dataDir, CONSOLE_SETTINGS_FILE), JSON.stringify(consoleSettings));
  const team = { postgresUrl: spec.postgresUrl, tls: 'off', caFile: '' };
  await writeFile(path.join(spec.dataDir, TEAM_SETTINGS_FILE), JSON.stringify(team));
  const defaults = defaultSettings();
  new ConfSettingsStore(spec.dataDir).write({
    element: { ...defaults.element, ticketCreationRetryCount: spec.retryCount ?? 1 },
    api: {
      ...defaults.api,
      baseUrl: spec.oceaneUrl,
      clientId: DEMO_CREDENTIALS.clientId,
      userId: DEMO_CREDENTIALS.userId,
      ...(spec.requestTimeoutSeconds === undefined
        ? {}
        : { requestTimeoutSeconds: spec.requestTimeoutSeconds }),
    },
  });
}

/** Starts the console's services in team mode (its settings files written first). */
export async function startTeamConsoleServices(spec: TeamConsoleSpec): Promise<AppServices> {
  await writeTeamConsoleSettings(spec);
  return createAppServices({
    dataDir: spec.dataDir,
    settingsStore: new ConfSettingsStore(spec.dataDir),
    secretStore: createMemorySecretStore(DEMO_CREDENTIALS.clientSecret, KEY_STORE),
    teamSecretStore: createMemorySecretStore(spec.postgresPassword, KEY_STORE),
    logger: spec.logger ?? silentLogger,
    hyperLinksPath: path.join(ROOT, 'assets/HyperLinks.xml'),
    openExternal: async () => undefined,
    demo: 'off',
    version: 'team',
    teamConsoleName: spec.name,
    ...spec.services,
  });
}
