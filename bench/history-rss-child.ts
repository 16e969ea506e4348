/**
 * The history-rss-mb probe (bench/history-bench.ts): opens the connector's services on a data
 * folder with a long history, reads the first page of the Tickets view, collects garbage and
 * prints the process's RSS.
 *
 *   node --import tsx --expose-gc bench/history-rss-child.ts <folder> <simulator URL>
 */
import * as path from 'node:path';
import { firstTicketPage } from '../shared/table-page.js';
import {
  ConfSettingsStore,
  OceaneConnector,
  createMemorySecretStore,
} from '../electron/connector/index.js';
import { openSqlAlarmPropertyStore } from '../electron/connector/sql-alarm-property-store.js';

const [dir] = process.argv.slice(2);
if (!dir) throw new Error('usage: history-rss-child.ts <folder> <simulator URL>');
const props = await openSqlAlarmPropertyStore(dir);
const connector = await OceaneConnector.open({
  dataDir: path.join(dir, 'data'),
  settingsStore: new ConfSettingsStore(dir),
  secretStore: createMemorySecretStore('unused'),
  alarmProperties: props,
  autoStart: false,
});
const page = connector.tablePage(firstTicketPage(100));
globalThis.gc?.();
const rssMB = process.memoryUsage().rss / 1024 ** 2;
process.stdout.write(`rows ${page.total} rssMB ${rssMB.toFixed(1)}\n`);
await connector.close();
await props.close();
