/**
 * `npm run soak -- --minutes N` (issue 12, point 7): a console left open. The services run in
 * this process with a mock DataMiner making 200 alarm changes a second; the simulator stands
 * for Oceane in a process of its own (Oceane is not part of the console's memory); the built
 * renderer runs in Chromium over the e2e page bridge. A ticket is requested
 * every 5 s (every third one refused by Oceane, so notices of both kinds pile up and fade), the
 * view changes every 10 s, and every 3 minutes (--export-seconds) both tables are exported to CSV and to
 * JSON through their buttons (the files downloaded, then deleted). Every minute, after a forced
 * GC on both sides, it records the renderer's JS heap, its DOM node count and this process's
 * RSS (the services' process, with the mock DataMiner and Playwright's side of the bridge).
 *
 * The result, `soak-growth`, is the largest of the three ratios "at the end ÷ after the first
 * 5 minutes" (after the first sample for runs shorter than 10 minutes); the target is ≤ 1.10
 * over 30 minutes. It is merged into bench-results.json under `soakGrowth`.
 */
import type { CDPSession, Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createAppServices } from '../electron/app-services.js';
import { ConfSettingsStore } from '../electron/connector/conf-settings-store.js';
import { createMemorySecretStore } from '../electron/connector/memory-secret-store.js';
import { silentLogger } from '../electron/connector/ports.js';
import { simulatorSettings } from '../electron/connector/test-support.js';
import { bundleForPage } from '../e2e/harness/browser.js';
import { serveStatic } from '../e2e/harness/static-server.js';
import { launchBenchBrowser } from './console-bench.js';
import { startSimulatorProcess } from './simulator-process.js';
import { round } from './stats.js';
import { SOAK_GROWTH_TARGET, soakGrowth, type SoakResult, type SoakSample } from './soak-growth.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const MB = 1024 * 1024;
const VIEWS = ['alarms', 'tickets', 'failed', 'alarms', 'settings'];
const EXPORTS: { view: string; table: string }[] = [
  { view: 'tickets', table: 'Tickets' },
  { view: 'failed', table: 'Failed Ticket Requests' },
];

/**
 * Runs the page's steps one after the other (view changes, exports, samples), so that an
 * export's clicks are not interrupted by a view change. A failed step does not stop the lane.
 */
function pageLane(closing: () => boolean): (step: () => Promise<void>) => Promise<void> {
  let lane = Promise.resolve();
  return (step) => {
    lane = lane
      .then(() => (closing() ? undefined : step()))
      .catch((error: unknown) => {
        if (!closing()) console.error('soak step failed:', error);
      });
    return lane;
  };
}

/** Exports both tables to CSV and to JSON through the buttons; answers the files saved. */
async function exportTables(page: Page): Promise<number> {
  let saved = 0;
  for (const { view, table } of EXPORTS) {
    await page.evaluate((v) => (window.location.hash = v), view);
    await page.getByRole('table', { name: table }).waitFor();
    for (const format of ['CSV', 'JSON']) {
      const [file] = await Promise.all([
        page.waitForEvent('download', { timeout: 60_000 }),
        page.getByRole('button', { name: `Export ${format}` }).click(),
      ]);
      if ((await file.failure()) === null) saved++;
      await file.delete();
    }
  }
  return saved;
}

async function sample(page: Page, cdp: CDPSession, minute: number): Promise<SoakSample> {
  // Always measured on the alarm console, so that the DOM counts compare like with like.
  await page.evaluate(() => (window.location.hash = 'alarms'));
  await page.getByRole('grid', { name: 'Alarms' }).waitFor();
  await page.waitForTimeout(500);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const domNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  return {
    minute,
    rendererHeapMB: round(heap.usedSize / MB, 2),
    domNodes,
    mainRssMB: round(process.memoryUsage().rss / MB, 1),
  };
}

async function soak(minutes: number, sampleMs: number, exportMs: number): Promise<SoakResult> {
  const rendererDir = path.join(ROOT, 'out/renderer');
  if (!existsSync(rendererDir)) throw new Error('out/renderer is missing: run npm run build');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-soak-'));
  const sim = await startSimulatorProcess(ROOT);
  const services = await createAppServices({
    dataDir,
    settingsStore: new ConfSettingsStore(dataDir),
    secretStore: createMemorySecretStore(undefined, {
      encryptionAvailable: true,
      backend: 'test_keyring',
      persisted: true,
    }),
    logger: silentLogger,
    hyperLinksPath: path.join(ROOT, 'assets/HyperLinks.xml'),
    openExternal: async () => undefined,
    demo: 'off',
    alarms: { seed: 7, initialAlarms: 2000, changesPerSecond: 200 },
    version: 'soak',
  });
  const configured = await services.connector.updateSettings(simulatorSettings(sim.url, 0));
  if (!configured.ok) throw new Error(configured.error.message);
  const server = await serveStatic(rendererDir);
  const browser = await launchBenchBrowser();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const timers: NodeJS.Timeout[] = [];
  let closing = false;
  try {
    await page.exposeBinding('__oceaneInvoke', (_source, channel: string, payload: unknown) =>
      services.router.handle(channel, payload),
    );
    await page.addInitScript({ content: await bundleForPage('e2e/harness/page-bridge.ts') });
    services.subscribe((channel, payload) => {
      page
        .evaluate(([c, p]) => window.__oceaneDeliver(c, p), [channel, payload] as const)
        .catch(() => undefined);
    });
    await page.goto(server.url);
    await page.getByRole('grid', { name: 'Alarms' }).waitFor();
    const cdp = await context.newCDPSession(page);

    const inLane = pageLane(() => closing);
    const tickets = { requested: 0, refused: 0 };
    timers.push(
      setInterval(() => {
        const alarms = services.alarms.list();
        const alarm = alarms[tickets.requested % alarms.length];
        if (!alarm) return;
        const refuse = tickets.requested % 3 === 2;
        tickets.requested++;
        void (async () => {
          // The refusal is queued in the simulator before the request that meets it.
          if (refuse) await sim.inject('create', { kind: 'status', status: 400, code: 24 });
          if (refuse) tickets.refused++;
          await services.router.handle('tickets:create', {
            dmaId: alarm.dmaId,
            elementId: alarm.elementId,
            alarmId: alarm.alarmId,
            elementName: alarm.elementName,
            priority: 'High',
            urgency: 'Medium',
            technicalImpact: 'Major',
          });
        })().catch((error: unknown) => console.error('soak ticket failed:', error));
      }, 5000),
    );
    let view = 0;
    timers.push(
      setInterval(() => {
        view = (view + 1) % VIEWS.length;
        void inLane(async () => {
          await page.evaluate((v) => (window.location.hash = v), VIEWS[view]!);
        });
      }, 10_000),
    );
    const exports = { files: 0 };
    timers.push(
      setInterval(() => {
        void inLane(async () => {
          exports.files += await exportTables(page);
        });
      }, exportMs),
    );

    const samples: SoakSample[] = [];
    const take = (minute: number) =>
      inLane(async () => {
        const s = await sample(page, cdp, minute);
        samples.push(s);
        console.log(JSON.stringify({ ...s, exportedFiles: exports.files }));
      });
    await take(0);
    for (let minute = 1; minute <= minutes; minute++) {
      await new Promise((resolve) => setTimeout(resolve, sampleMs));
      await take(minute);
    }
    if (samples.length !== minutes + 1) throw new Error('a sample could not be taken');
    const baselineMinute = minutes >= 10 ? 5 : 1;
    const { growth, soakGrowth: worst } = soakGrowth(samples, baselineMinute);
    return {
      minutes,
      samples,
      baselineMinute,
      growth,
      soakGrowth: worst,
      target: SOAK_GROWTH_TARGET,
      passed: worst <= SOAK_GROWTH_TARGET,
      tickets,
      exportedFiles: exports.files,
    };
  } finally {
    closing = true;
    timers.forEach(clearInterval);
    await context.close();
    await browser.close();
    await server.close();
    await services.close();
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '30' },
      // For a quick look only: the minute between samples, shortened.
      'sample-seconds': { type: 'string', default: '60' },
      // How often both tables are exported, in both formats.
      'export-seconds': { type: 'string', default: '180' },
    },
  });
  const minutes = Number(values.minutes);
  const sampleSeconds = Number(values['sample-seconds']);
  const exportSeconds = Number(values['export-seconds']);
  if (!Number.isInteger(minutes) || minutes < 1) throw new Error('--minutes must be at least 1');
  if (!(sampleSeconds > 0)) throw new Error('--sample-seconds must be positive');
  if (!(exportSeconds > 0)) throw new Error('--export-seconds must be positive');
  if (!(globalThis as { gc?: unknown }).gc) throw new Error('run with --expose-gc (npm run soak)');
  console.log(`Soak: ${minutes} samples, ${sampleSeconds} s apart`);
  const result = await soak(minutes, sampleSeconds * 1000, exportSeconds * 1000);
  console.log(
    `soak-growth ${result.soakGrowth} (target ≤ ${SOAK_GROWTH_TARGET}): heap ${result.growth.rendererHeap}, DOM ${result.growth.domNodes}, RSS ${result.growth.mainRss}`,
  );
  const file = path.join(ROOT, 'bench-results.json');
  let report: Record<string, unknown> = {};
  try {
    report = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // No benchmark run yet: the file holds the soak alone.
  }
  report.soakGrowth = { ...result, sampleSeconds, exportSeconds, at: new Date().toISOString() };
  await writeFile(file, JSON.stringify(report, null, 2) + '\n');
  console.log('Written: bench-results.json (soakGrowth)');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
