/**
 * The app's services as the service tests start them: settings in the test's data folder, the
 * secrets in memory, a silent log, the shipped HyperLinks file, no browser and no demo
 * simulator. Each test passes its data folder and only the options it is about.
 */
import * as path from 'node:path';
import { createAppServices, type AppServices, type AppServicesOptions } from './app-services.js';
import { ConfSettingsStore } from './connector/conf-settings-store.js';
import { createMemorySecretStore } from './connector/memory-secret-store.js';
import { silentLogger } from './connector/ports.js';

/** The HyperLinks file the app ships. */
export const SHIPPED_HYPERLINKS = path.resolve(import.meta.dirname, '../assets/HyperLinks.xml');

/** Starts the services over `dataDir` with the test defaults, `options` laid over them. */
export function createTestAppServices(
  options: Pick<AppServicesOptions, 'dataDir'> & Partial<AppServicesOptions>,
): Promise<AppServices> {
  return createAppServices({
    settingsStore: new ConfSettingsStore(options.dataDir),
    secretStore: createMemorySecretStore(),
    logger: silentLogger,
    hyperLinksPath: SHIPPED_HYPERLINKS,
    openExternal: async () => undefined,
    demo: 'off',
    ...options,
  });
}

/** A ticket requested for `alarm` through the router, as the Create Ticket dialog asks. */
export function requestTicketFor(
  services: AppServices,
  alarm: { dmaId: string; elementId: string; alarmId: string; elementName: string },
) {
  return services.router.handle('tickets:create', {
    dmaId: alarm.dmaId,
    elementId: alarm.elementId,
    alarmId: alarm.alarmId,
    elementName: alarm.elementName,
    priority: 'High',
    urgency: 'High',
    technicalImpact: 'Critical',
  });
}
