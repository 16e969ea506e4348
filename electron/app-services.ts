/**
 * Composes the services of the main process: the mock DataMiner, the Oceane connector, the
 * HyperLinks menu, the health light with its "Oceane Connector" alarm and, in demo mode, the
 * built-in Oceane simulator. In team mode (the Team settings hold a PostgreSQL URL) the
 * tickets, the queue and their events are the team's (team/team-app.ts). No Electron import:
 * main.ts passes the Electron-backed ports, and the browser test harness passes plain ones, so
 * both run the very same services behind the very same router.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { AppInfo, Notice, SettingsView } from '../shared/domain.js';
import { fail, ok, type Result } from '../shared/result.js';
import { HyperLinkSource, MockDataMiner, type MockDataMinerOptions } from './alarms/index.js';
import { bindConsoleServices, openConsoleSettings } from './alarms/console-services.js';
import { OceaneConnector } from './connector/index.js';
import { userAgentFor, type FetchFactory } from './connector/http-transport.js';
import {
  systemClock,
  type Clock,
  type Logger,
  type SecretStorePort,
  type SettingsStorePort,
} from './connector/ports.js';
import type { DataMinerPort } from './dataminer/dataminer-port.js';
import { RemoteDataMiner } from './dataminer/remote-dataminer.js';
import { dataMinerNotice } from './dataminer/dataminer-notice.js';
import { ConnectorAlarm } from './health/connector-alarm.js';
import { TeamSettingsService } from './team/team-settings-service.js';
import { createMemorySecretStore } from './connector/memory-secret-store.js';
import type { DesktopNotifierPort } from './health/desktop-alerts.js';
import { IntegrationHealthMonitor } from './health/integration-health.js';
import { createIpcRouter, type EventSink, type IpcRouter } from './ipc-router.js';
import { DEMO_CREDENTIALS, type RunningSimulator } from './oceane-simulator/index.js';
import { SqliteDatabase } from './storage/sqlite-database.js';
import {
  DEFAULT_DEMO_PORT,
  DEMO_FILE,
  consoleRecoveryNotices,
  credentialsDiffer,
  readDemoRecord,
  readStoredBaseUrl,
  startDemoSimulator,
  storeNotices,
  wireHealth,
  type DemoRecord,
} from './app-services-support.js';
import {
  pruneOnLimitsChange,
  startTeamMode,
  teamChangeNotice,
  teamRoutes,
} from './team/team-app.js';
import type { TeamServices } from './team/team-services.js';
import { wireTeamLife, type TeamLifeServices } from './team/team-life-app.js';
import { wireTicketLife } from './ticket-life-services.js';
import { ticketUrlProblem } from './ticket-url-policy.js';

/** What the services need from their host (main.ts or a test harness). */
export interface AppServicesOptions {
  /** The app's data folder: journals, the alarm properties and the demo simulator's ledger. */
  dataDir: string;
  settingsStore: SettingsStorePort;
  secretStore: SecretStorePort;
  logger: Logger;
  /** The HyperLinks menu file (main.ts: the copy in the data folder). */
  hyperLinksPath: string;
  /** Shows a file in the file manager (Electron's `shell.showItemInFolder`); absent in tests. */
  showItemInFolder?: (file: string) => void;
  /** Opens a URL in the user's browser; called only for URLs the ticket URL policy allows. */
  openExternal: (url: string) => Promise<void>;
  /** 'auto': start the built-in simulator when no Base URL is configured (the demo default). */
  demo: 'auto' | 'off';
  /** Size and rate of the mock DataMiner (defaults: a few hundred alarms, slow changes). */
  alarms?: Partial<Omit<MockDataMinerOptions, 'dataDir'>>;
  /** Notices found by the host before the services started (e.g. a damaged settings file). */
  startupNotices?: Notice[];
  clock?: Clock;
  /** Version shown in the UI. */
  version?: string;
  /** Port the demo simulator prefers, so ticket links stay valid across restarts. */
  demoPort?: number;
  /** Desktop notifications (Electron's Notification in the app); none when absent. */
  desktopNotifier?: DesktopNotifierPort;
  /** The fetch calls to Oceane go through: Electron's net.fetch in the app; default Node's. */
  createFetch?: FetchFactory;
  /** Keeps the team's PostgreSQL password (OS-encrypted in the app); default: memory only. */
  teamSecretStore?: SecretStorePort;
  /** Browser journeys: the connector alarm's delay in ms instead of the console setting. */
  connectorAlarmMs?: number;
  /**
   * Team mode (issue 14, when the Team settings hold a PostgreSQL URL): this console's name in
   * the team, unique in it (default: host name, process id and a random suffix).
   */
  teamConsoleName?: string;
  /** Team mode: how long a console's lease of a request lasts without renewal (ms, 30 s). */
  teamLeaseMs?: number;
}

export { DEFAULT_DEMO_PORT } from './app-services-support.js';

/** The running services, as main.ts and the harness use them. */
export interface AppServices {
  router: IpcRouter;
  subscribe(sink: EventSink): () => void;
  demo: { active: boolean; simulatorUrl: string | null };
  connector: OceaneConnector;
  /** The built-in mock DataMiner, or the team's DataMiner process over the network. */
  alarms: DataMinerPort;
  health: IntegrationHealthMonitor;
  /** Team mode's services (null: one console on its own SQLite store). */
  team: TeamServices | null;
  /** Team mode's ticket life: notes, history, clear actions on the team's tables. */
  teamLife: TeamLifeServices | null;
  close(): Promise<void>;
}

/** Starts every service; resolves once the queue has resumed and the alarms are loaded. */
export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
  const { dataDir, logger } = options;
  await fsp.mkdir(dataDir, { recursive: true });
  const notices: Notice[] = [...(options.startupNotices ?? [])];
  // The database is opened (migrated, or kept aside when damaged) once before the services
  // open their own connections, so that the operator hears of a damaged file here.
  const store = SqliteDatabase.open(dataDir);
  notices.push(...storeNotices(store.recovery, []));
  store.close();

  // The console settings say which DataMiner: the team's process, or the built-in one.
  const consoleSettings = await openConsoleSettings(dataDir);
  const dataMinerUrl = consoleSettings.get().dataMinerUrl.trim();
  const remote = dataMinerUrl ? await RemoteDataMiner.connect({ url: dataMinerUrl, logger }) : null;
  const alarms: DataMinerPort =
    remote ??
    (await MockDataMiner.open({
      dataDir,
      ...(options.clock ? { clock: options.clock } : {}),
      ...options.alarms,
    }));
  if (remote && !remote.status().connected) notices.push(dataMinerNotice(remote.status()));
  if (alarms.imported) notices.push(...storeNotices(null, [['Alarm properties', alarms.imported]]));
  const consoleServices = bindConsoleServices(consoleSettings, alarms);
  notices.push(...consoleRecoveryNotices(alarms.stateRecovery, consoleServices.recovery));
  const team = await TeamSettingsService.open(
    dataDir,
    options.teamSecretStore ?? createMemorySecretStore(),
    logger,
  );
  if (team.recovery) notices.push(...consoleRecoveryNotices(null, null, team.recovery));
  const hyperLinks = await HyperLinkSource.open({ file: options.hyperLinksPath, logger });
  notices.push(...hyperLinks.startupNotices);

  // Demo mode: no Base URL configured, or the one configured is the simulator of a previous
  // demo start. A user who sets a real Base URL leaves demo mode for good.
  const storedBaseUrl = readStoredBaseUrl(options.settingsStore);
  const previousDemo = await readDemoRecord(dataDir);
  const wantDemo =
    options.demo === 'auto' &&
    (storedBaseUrl === '' ||
      (previousDemo !== null && storedBaseUrl === previousDemo.simulatorUrl));
  let simulator: RunningSimulator | null = null;
  if (wantDemo) {
    const preferred = previousDemo
      ? Number(new URL(previousDemo.simulatorUrl).port)
      : options.demoPort;
    simulator = await startDemoSimulator(dataDir, preferred ?? DEFAULT_DEMO_PORT, notices);
    await fsp.writeFile(
      path.join(dataDir, DEMO_FILE),
      JSON.stringify({ simulatorUrl: simulator.url } satisfies DemoRecord),
    );
    logger.info('Demo mode: built-in Oceane simulator started', { url: simulator.url });
  }

  const clock = options.clock ?? systemClock;
  // The connector is created below; the light asks it for the token's expiry when computed.
  let tokenExpiresAt = (): number | null => null;
  const health = new IntegrationHealthMonitor({ clock, tokenExpiresAt: () => tokenExpiresAt() });
  const connector = await OceaneConnector.open({
    onCall: (call) => health.recordCall(call),
    dataDir,
    settingsStore: options.settingsStore,
    secretStore: options.secretStore,
    alarmProperties: alarms,
    logger,
    demoMode: simulator !== null,
    http: {
      ...(options.createFetch ? { createFetch: options.createFetch } : {}),
      userAgent: userAgentFor(options.version ?? '0.0.0'),
    },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  notices.push(...connector.notices);
  tokenExpiresAt = () => connector.tokenExpiresAt();
  // Team mode: the Team settings hold a PostgreSQL URL (a change needs a restart: notice).
  const teamServices = await startTeamMode({
    team,
    connector,
    secretStore: options.secretStore,
    alarms,
    sharedAlarms: remote !== null,
    health,
    logger,
    ...(options.teamConsoleName ? { consoleName: options.teamConsoleName } : {}),
    ...(options.teamLeaseMs ? { leaseMs: options.teamLeaseMs } : {}),
  });
  // Team mode: a change of the storage limits in Settings prunes the team's tables soon.
  if (teamServices) pruneOnLimitsChange(connector, teamServices);
  const noticeSinks = new Set<(notice: Notice) => void>();
  const alerts = wireHealth(connector, health, clock, options.desktopNotifier, teamServices);
  const ticketLife = wireTicketLife({ connector, alarms, health, clock, logger });
  const teamLife = teamServices
    ? wireTeamLife({ team: teamServices, connector, alarms, health, clock, logger })
    : null;
  const connectorAlarm = new ConnectorAlarm({
    clock,
    health,
    alarms,
    thresholdMs: () =>
      options.connectorAlarmMs ??
      consoleServices.getConsoleSettings().connectorAlarmMinutes * 60_000,
  });

  if (simulator) {
    const current = connector.getSettings();
    // The simulator's secret goes with its URL when none is set, and again whenever the URL
    // changes (another port): the connector refuses a new Base URL without its secret.
    const sameUrl = current.api.baseUrl === simulator.url;
    const result = await connector.updateSettings({
      api: {
        baseUrl: simulator.url,
        clientId: current.api.clientId || DEMO_CREDENTIALS.clientId,
        userId: current.api.userId || DEMO_CREDENTIALS.userId,
      },
      ...(current.clientSecretSet && sameUrl
        ? {}
        : { clientSecret: DEMO_CREDENTIALS.clientSecret }),
    });
    if (!result.ok)
      logger.error('Demo mode: could not fill the API settings', { error: result.error.message });
  }

  const demoUrl = simulator?.url ?? null;
  /** Demo mode lasts while the Base URL is the simulator's. */
  const withDemo = (view: SettingsView): SettingsView => ({
    ...view,
    demoMode: demoUrl !== null && view.api.baseUrl === demoUrl,
  });

  const appInfo = (): AppInfo => ({
    version: options.version ?? '0.0.0',
    demoMode: withDemo(connector.getSettings()).demoMode,
    simulatorUrl: demoUrl,
    notices,
    hyperLinksFile: options.hyperLinksPath,
  });

  const router = createIpcRouter({
    ...consoleServices,
    updateConsoleSettings: async (update) => {
      const result = await consoleServices.updateConsoleSettings(update);
      connectorAlarm.reschedule();
      return result;
    },
    appInfo,
    getSettings: () => withDemo(connector.getSettings()),
    updateSettings: async (update) => {
      const before = connector.getSettings().api;
      const result = await connector.updateSettings(update);
      if (result.ok && credentialsDiffer(before, result.value.api, update)) health.reset();
      return result.ok ? ok(withDemo(result.value)) : result;
    },
    authenticate: async () => {
      const result = await connector.authenticate();
      health.recordAuthentication(result);
      return result;
    },
    listTickets: () => connector.listTickets(),
    createTicket: (request) => connector.createTicket(request),
    findExistingTicket: (key) => connector.findExistingTicket(key),
    retryTicket: (instance) => connector.retryTicket(instance),
    checkGroup: (keys) => connector.checkGroup(keys),
    listFailedRequests: () => connector.listFailedRequests(),
    tablePage: (query) => connector.tablePage(query),
    getQueueStatus: () => connector.getQueueStatus(),
    listAlarms: () => alarms.list(),
    alarmMenu: (key) => {
      const alarm = alarms.find(key.dmaId, key.alarmId);
      if (!alarm) return fail('not-found', `Alarm ${key.dmaId}/${key.alarmId} is no longer active`);
      return ok(hyperLinks.menu.menuFor(alarm, logger));
    },
    alarmColumns: () => hyperLinks.columns(),
    openTicketUrl: async (url): Promise<Result<true>> => {
      const problem = ticketUrlProblem(url, connector.getSettings().api.baseUrl);
      if (problem) {
        logger.warn('Refused to open a ticket URL', { url: url.slice(0, 200), reason: problem });
        return fail('refused', problem);
      }
      try {
        await options.openExternal(url);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        logger.warn('The browser could not open a ticket URL', { reason });
        return fail('open-failed', `The ticket could not be opened in your browser: ${reason}`);
      }
      return ok(true);
    },
    showHyperLinksFile: () => {
      if (!options.showItemInFolder) return fail('refused', 'No file manager is available here');
      options.showItemInFolder(options.hyperLinksPath);
      return ok(true);
    },
    health: () => health.view(),
    getTeamSettings: () => team.view(),
    testTeamConnection: (draft) => team.testConnection(draft),
    ...ticketLife.routes,
    ...(teamServices ? teamRoutes(teamServices) : {}),
    ...(teamLife ? teamLife.routes : {}),
    updateTeamSettings: async (update) => {
      const before = team.view();
      const result = await team.update(update);
      const notice = result.ok ? teamChangeNotice(before, result.value, update) : null;
      if (notice) {
        notices.push(notice);
        noticeSinks.forEach((sink) => sink(notice));
      }
      return result;
    },
  });

  alarms.start();

  return {
    router,
    connector,
    alarms,
    health,
    team: teamServices,
    teamLife,
    demo: { active: simulator !== null, simulatorUrl: demoUrl },
    subscribe(sink) {
      // Team mode: the tables and the queue are the team's, heard through NOTIFY.
      const tables: Pick<TeamServices, 'on'> = teamServices ?? connector;
      const onNotice = (p: Notice): void => sink('notice', p);
      noticeSinks.add(onNotice);
      const offs = [
        () => noticeSinks.delete(onNotice),
        tables.on('tickets:changed', (p) => sink('tickets:changed', p)),
        tables.on('failed:changed', (p) => sink('failed:changed', p)),
        tables.on('queue:changed', (p) => sink('queue:changed', p)),
        connector.on('settings:changed', (p) => sink('settings:changed', withDemo(p))),
        connector.on('notice', (p) => sink('notice', p)),
        alarms.onChange((p) => sink('alarms:changed', p)),
        ...(remote ? [remote.onStatus((status) => sink('notice', dataMinerNotice(status)))] : []),
        health.on((p) => sink('health:changed', p)),
        hyperLinks.onNotice((p) => sink('notice', p)),
        hyperLinks.onColumnsChanged((p) => sink('alarms:columns-changed', p)),
      ];
      return () => offs.forEach((off) => off());
    },
    async close() {
      alerts.dispose();
      connectorAlarm.close();
      health.close();
      alarms.stop();
      await hyperLinks.close();
      await ticketLife.close();
      await teamLife?.close();
      await teamServices?.close();
      await connector.close();
      await alarms.close();
      await simulator?.close();
    },
  };
}
