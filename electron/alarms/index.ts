/**
 * The mock DataMiner (electron/alarms/): the alarm source with its properties, and the
 * HyperLinks.xml menu. No Electron import, so the app, the browser test harness and Vitest
 * all use the same code.
 */
export { MockDataMiner, CHANGE_BATCH_MS } from './mock-dataminer.js';
/** File name of the alarm properties journal of the release before the SQL store. */
export { ALARM_PROPERTIES_FILE } from '../storage/alarm-properties-table.js';
export type { MockDataMinerOptions } from './mock-dataminer.js';
export {
  HyperLinkMenu,
  defaultHyperLinksPath,
  CREATE_TICKET_SCRIPT,
  REQUIRED_TICKET_PARAMETERS,
} from './hyperlink-menu.js';
export { HyperLinkSource } from './hyperlink-source.js';
export { formatDataMinerTime, parseDataMinerTime } from './dataminer-time.js';
