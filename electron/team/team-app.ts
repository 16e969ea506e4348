/**
 * Team mode's place in the app's services (issue 14): started when the Team settings hold a
 * PostgreSQL URL, its routes laid over the connector's, and the notice that a change of the
 * Team settings takes effect at the next start (the services are composed once, at start: a
 * console does not leave or join a team under an operator's open dialogs).
 */
import type { Notice } from '../../shared/domain.js';
import type { TeamSettingsUpdate, TeamSettingsView } from '../../shared/team-settings.js';
import type { OceaneConnector } from '../connector/index.js';
import type { Logger, SecretStorePort } from '../connector/ports.js';
import type { DataMinerPort } from '../dataminer/dataminer-port.js';
import type { IntegrationHealthMonitor } from '../health/integration-health.js';
import type { RouterServices } from '../ipc-router.js';
import { retentionLimits } from './team-mirror.js';
import type { TeamSettingsService } from './team-settings-service.js';
import { TeamServices, defaultConsoleName } from './team-services.js';

/** What the app passes to start team mode. */
export interface TeamModeStart {
  team: TeamSettingsService;
  connector: OceaneConnector;
  /** The connector's secret store: the Client Secret the team's sender uses. */
  secretStore: SecretStorePort;
  alarms: DataMinerPort;
  sharedAlarms: boolean;
  health: IntegrationHealthMonitor;
  logger: Logger;
  consoleName?: string;
  leaseMs?: number;
}

/** Starts team mode when the Team settings hold a PostgreSQL URL; null otherwise. */
export async function startTeamMode(start: TeamModeStart): Promise<TeamServices | null> {
  const settings = start.team.settings();
  if (settings.postgresUrl === '') return null;
  return TeamServices.start({
    settings,
    password: start.team.passwordForConnection(),
    consoleName: start.consoleName ?? defaultConsoleName(),
    connector: start.connector,
    clientSecret: () => start.secretStore.get(),
    alarms: start.alarms,
    sharedAlarms: start.sharedAlarms,
    health: start.health,
    logger: start.logger,
    ...(start.leaseMs ? { leaseMs: start.leaseMs } : {}),
  });
}

/** The connector-facing routes answered by the team. */
export function teamRoutes(
  team: TeamServices,
): Pick<
  RouterServices,
  | 'createTicket'
  | 'findExistingTicket'
  | 'checkGroup'
  | 'listTickets'
  | 'listFailedRequests'
  | 'tablePage'
  | 'retryTicket'
  | 'getQueueStatus'
> {
  return {
    createTicket: (request) => team.createTicket(request),
    findExistingTicket: (key) => team.findExistingTicket(key),
    checkGroup: (keys) => team.checkGroup(keys),
    listTickets: () => team.listTickets(),
    listFailedRequests: () => team.listFailedRequests(),
    tablePage: (query) => team.tablePage(query),
    retryTicket: (instance) => team.retryTicket(instance),
    getQueueStatus: () => team.getQueueStatus(),
  };
}

/**
 * The notice after a saved change of the Team settings that changes the team connection (URL,
 * TLS, CA file or password): it applies at the next start. Null when nothing of it changed.
 */
export function teamChangeNotice(
  before: TeamSettingsView,
  after: TeamSettingsView,
  update: TeamSettingsUpdate,
): Notice | null {
  const a = before.settings;
  const b = after.settings;
  const changed =
    a.postgresUrl !== b.postgresUrl ||
    a.tls !== b.tls ||
    a.caFile !== b.caFile ||
    update.password !== undefined ||
    update.clearPassword === true;
  if (!changed) return null;
  const what =
    a.postgresUrl === '' && b.postgresUrl !== ''
      ? 'This console joins the team'
      : a.postgresUrl !== '' && b.postgresUrl === ''
        ? 'This console leaves the team and works on its own store again'
        : 'The new team connection is used';
  const at = new Date().toISOString();
  return {
    id: `team-settings-restart-${at}`,
    level: 'info',
    title: 'Restart the console to apply the Team settings',
    message: `The Team settings were saved. ${what} when the console is restarted; until then it keeps working as before.`,
    at,
  };
}

/**
 * Team mode prunes by the storage limits of the moment (read at each pass): when Settings
 * change them, a pass runs soon, not only at the next settle or hourly. Returns the
 * unsubscribe.
 */
export function pruneOnLimitsChange(connector: OceaneConnector, team: TeamServices): () => void {
  let limits = JSON.stringify(retentionLimits(connector.getSettings()));
  return connector.on('settings:changed', () => {
    const now = JSON.stringify(retentionLimits(connector.getSettings()));
    if (now === limits) return;
    limits = now;
    team.console?.retention?.soon();
  });
}
