/**
 * The Oceane connector's public face: what the app, the IPC router and the test harnesses use.
 */
export {
  OceaneConnector,
  DATA_FILES,
  failureSentence,
  type ConnectorOptions,
  type ConnectorStats,
  type QueueEntry,
} from './connector.js';
export type { ConnectorChannel } from './event-batcher.js';
export {
  ConfSettingsStore,
  createConfSettingsStore,
  type ConfSettingsStoreOptions,
} from './conf-settings-store.js';
export { createMemorySecretStore } from './memory-secret-store.js';
export {
  openSqlAlarmPropertyStore,
  type ClosableAlarmPropertyPort,
} from './sql-alarm-property-store.js';
export { FakeClock } from './fake-clock.js';
export { buildTicketUrl, safeHttpUrl } from './ticket-url.js';
export { toTroubleTicket } from './tmf621-mapping.js';
export {
  systemClock,
  silentLogger,
  type AlarmPropertyPort,
  type Clock,
  type Logger,
  type SecretStorePort,
  type SettingsStorePort,
} from './ports.js';
