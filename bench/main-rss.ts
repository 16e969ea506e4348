/**
 * Target 10, main-process half: the resident memory of a Node process running the main
 * process's services with many stored tickets, measured after a full GC in a child process
 * (so that the benchmark's own memory is not counted). The child is bundled with esbuild into
 * one file, as electron-vite bundles the app's main process, so that no TypeScript loader
 * sits in the measured process.
 */
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import {
  ConfSettingsStore,
  OceaneConnector,
  createMemorySecretStore,
} from '../electron/connector/index.js';
import { makePrefillData, writePrefill } from './fixtures.js';
import type { RssReport } from './main-rss-child.js';
import { round } from './stats.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const MB = 1024 * 1024;

/** Sizes of the main-process memory benchmark. */
export interface MainRssOptions {
  /** Created tickets stored (default 100,000). */
  tickets?: number;
  /** Alarms of the mock DataMiner (default 100,000). */
  alarms?: number;
}

/** Target 10, main process. */
export interface MainRssResult {
  tickets: number;
  alarms: number;
  rssMB: number;
  heapUsedMB: number;
}

/** Starts the services in a child process over `tickets` stored tickets and reads its RSS. */
export async function benchMainRss(options: MainRssOptions = {}): Promise<MainRssResult> {
  const tickets = options.tickets ?? 100_000;
  const alarms = options.alarms ?? 100_000;
  const root = await mkdtemp(path.join(tmpdir(), 'oceane-bench-rss-'));
  try {
    const dataDir = path.join(root, 'data');
    // The count limit is raised first, as an operator keeping 100,000 tickets would have it.
    const settings = await OceaneConnector.open({
      dataDir,
      settingsStore: new ConfSettingsStore(root),
      secretStore: createMemorySecretStore(),
      alarmProperties: {
        get: () => ({}),
        set: async () => undefined,
      },
    });
    const updated = await settings.updateSettings({
      element: { ticketStorageCountLimit: 1_000_000 },
    });
    await settings.close();
    if (!updated.ok) throw new Error(updated.error.message);
    await writePrefill(makePrefillData({ created: tickets, pending: 0 }), dataDir, dataDir);

    const childFile = path.join(root, 'main-rss-child.mjs');
    await build({
      entryPoints: [path.join(ROOT, 'bench/main-rss-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: childFile,
      logLevel: 'silent',
      // Some bundled CommonJS dependencies call require() for Node's own modules.
      banner: {
        js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
      },
    });
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--expose-gc',
        childFile,
        root,
        dataDir,
        String(alarms),
        path.join(ROOT, 'assets/HyperLinks.xml'),
      ],
      { maxBuffer: 1024 * 1024 },
    );
    const report = JSON.parse(stdout.trim().split('\n').pop() ?? '') as RssReport;
    if (report.tickets !== tickets) {
      throw new Error(`the child loaded ${report.tickets} tickets instead of ${tickets}`);
    }
    return {
      tickets: report.tickets,
      alarms: report.alarms,
      rssMB: round(report.rssBytes / MB, 1),
      heapUsedMB: round(report.heapUsedBytes / MB, 1),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
