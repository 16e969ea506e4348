/**
 * Runs in a child Node process (bundled by main-rss.ts): the main process's services as the
 * app composes them (the connector over a data folder with many stored tickets, the mock
 * DataMiner with many alarms, the HyperLinks menu), then reports its memory after a full GC as
 * one JSON line on stdout. Arguments: <settings folder> <data folder> <alarms> <hyperlinks file>.
 */
import { createAppServices } from '../electron/app-services.js';
import { ConfSettingsStore } from '../electron/connector/conf-settings-store.js';
import { createMemorySecretStore } from '../electron/connector/memory-secret-store.js';
import { silentLogger } from '../electron/connector/ports.js';

/** What the child prints. */
export interface RssReport {
  rssBytes: number;
  heapUsedBytes: number;
  tickets: number;
  alarms: number;
}

async function main(): Promise<void> {
  const [settingsDir, dataDir, alarmsArg, hyperLinksPath] = process.argv.slice(2);
  if (!settingsDir || !dataDir || !alarmsArg || !hyperLinksPath) {
    throw new Error('usage: main-rss-child <settings dir> <data dir> <alarms> <HyperLinks.xml>');
  }
  const services = await createAppServices({
    dataDir,
    settingsStore: new ConfSettingsStore(settingsDir),
    secretStore: createMemorySecretStore(),
    logger: silentLogger,
    hyperLinksPath,
    openExternal: async () => undefined,
    demo: 'off',
    alarms: { seed: 7, initialAlarms: Number(alarmsArg), changesPerSecond: 0 },
    version: 'bench',
  });
  const unsubscribe = services.subscribe(() => undefined);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const memory = process.memoryUsage();
  const report: RssReport = {
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    tickets: services.connector.listTickets().length,
    alarms: services.alarms.list().length,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  unsubscribe();
  await services.close();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
