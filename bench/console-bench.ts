/**
 * The alarm console's benchmarks (issue 6, targets 6 to 10 for the renderer): the built
 * renderer (out/renderer) in Debian's Chromium, `window.oceane` the real createRendererApi over
 * a Playwright binding to the real router and services (the e2e harness's page bridge and
 * static server), one page with a small mock DataMiner and one with a large one, measured in
 * alternation so that the machine's noise hits both alike. The stopwatch runs in the page
 * (page-probe.ts).
 */
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createAppServices, type AppServices } from '../electron/app-services.js';
import { ConfSettingsStore } from '../electron/connector/conf-settings-store.js';
import { silentLogger } from '../electron/connector/ports.js';
import { createMemorySecretStore } from '../electron/connector/memory-secret-store.js';
import { CHROMIUM_ARGS, bundleForPage, chromiumExecutable } from '../e2e/harness/browser.js';
import { serveStatic, type StaticServer } from '../e2e/harness/static-server.js';
import { benchLive, type LiveResult } from './console-bench-live.js';
import type { ProbeCondition } from './page-probe.js';
import { median, p95, round } from './stats.js';

/** The harness stands for a desktop whose OS key store is available. */
const KEY_STORE = { encryptionAvailable: true, backend: 'test_keyring', persisted: true };

const ROOT = path.resolve(import.meta.dirname, '..');

/** Launches the browser the benchmarks and the smoke test use. */
export function launchBenchBrowser(): Promise<Browser> {
  const executablePath = chromiumExecutable();
  return chromium.launch({
    headless: true,
    args: CHROMIUM_ARGS,
    ...(executablePath ? { executablePath } : {}),
  });
}

/** A page showing the alarm console over its own services. */
export interface ConsolePage {
  page: Page;
  context: BrowserContext;
  services: AppServices;
  /** Alarms shown after loading. */
  alarms: number;
  close(): Promise<void>;
}

/** Scripts injected into every bench page: the e2e page bridge and the probe. */
export interface PageScripts {
  bridge: string;
  probe: string;
}

/** Bundles the page bridge and the probe once. */
export async function pageScripts(): Promise<PageScripts> {
  const [bridge, probe] = await Promise.all([
    bundleForPage('e2e/harness/page-bridge.ts'),
    bundleForPage('bench/page-probe.ts'),
  ]);
  return { bridge, probe };
}

/** Starts services with `alarms` mock alarms and opens the console on them. */
export async function openConsolePage(
  browser: Browser,
  rendererUrl: string,
  scripts: PageScripts,
  alarms: number,
): Promise<ConsolePage> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-bench-console-'));
  const services = await createAppServices({
    dataDir,
    settingsStore: new ConfSettingsStore(dataDir),
    secretStore: createMemorySecretStore(undefined, KEY_STORE),
    logger: silentLogger,
    hyperLinksPath: path.join(ROOT, 'assets/HyperLinks.xml'),
    openExternal: async () => undefined,
    demo: 'off',
    alarms: { seed: 7, initialAlarms: alarms, changesPerSecond: 0 },
    version: 'bench',
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.exposeBinding('__oceaneInvoke', (_source, channel: string, payload: unknown) =>
    services.router.handle(channel, payload),
  );
  await page.addInitScript({ content: scripts.bridge });
  await page.addInitScript({ content: scripts.probe });
  const unsubscribe = services.subscribe((channel, payload) => {
    page
      .evaluate(([c, p]) => window.__oceaneDeliver(c, p), [channel, payload] as const)
      .catch(() => undefined);
  });
  await page.goto(rendererUrl);
  const shown = services.alarms.list().length;
  await page.evaluate(
    (n) => window.__bench.waitFor({ kind: 'rowcount', value: n }, 120_000),
    shown,
  );
  await page.locator('[role="grid"][aria-label="Alarms"] [data-alarm-key]').first().waitFor();
  await page.evaluate(() => window.__bench.settle(3));
  return {
    page,
    context,
    services,
    alarms: shown,
    async close() {
      unsubscribe();
      await context.close();
      await services.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// ---- one interaction each ----------------------------------------------------------------

async function arm(page: Page, startEvent: string, until: ProbeCondition): Promise<void> {
  await page.evaluate(([e, u]) => window.__bench.arm(e, u), [startEvent, until] as const);
}

async function result(page: Page): Promise<number> {
  return page.evaluate(() => window.__bench.result());
}

async function waitFor(page: Page, until: ProbeCondition): Promise<void> {
  await page.evaluate((u) => window.__bench.waitFor(u), until);
}

async function settle(page: Page, quietFrames = 1): Promise<void> {
  await page.evaluate((q) => window.__bench.settle(q), quietFrames);
}

/** Filter texts: element kinds, sites and parameters of the mock system. */
export const FILTER_TEXTS = ['core-rtr', 'temperature', 'iptv', 'str-fw', 'bgp', 'lil-'];
/** Columns clicked to sort, in turn. */
export const SORT_COLUMNS = ['Element', 'Severity', 'Value', 'Alarm ID', 'Parameter', 'Time'];

/** Typing a filter (one input event) until the filtered rows are painted; then cleared. */
export async function timeFilter(target: ConsolePage, text: string): Promise<number> {
  const { page } = target;
  const box = page.getByRole('searchbox', { name: 'Filter alarms' });
  await arm(page, 'input', { kind: 'rowcount-change' });
  await box.fill(text);
  const ms = await result(page);
  await box.fill('');
  await waitFor(page, { kind: 'rowcount', value: target.services.alarms.list().length });
  await settle(page);
  return ms;
}

/** Clicking a column header until the rows are painted in the new order. */
export async function timeSort(target: ConsolePage, column: string): Promise<number> {
  const { page } = target;
  await arm(page, 'pointerdown', { kind: 'sort-change', column });
  await page.getByRole('button', { name: column, exact: true }).click();
  const ms = await result(page);
  await settle(page);
  return ms;
}

/** Right-clicking a row until the menu with its items is painted; then closed. */
export async function timeMenu(target: ConsolePage, row: number): Promise<number> {
  const { page } = target;
  await arm(page, 'pointerdown', { kind: 'menu-open' });
  await page
    .locator('[role="grid"][aria-label="Alarms"] [data-alarm-key]')
    .nth(row)
    .click({ button: 'right' });
  const ms = await result(page);
  await page.keyboard.press('Escape');
  await waitFor(page, { kind: 'menu-closed' });
  // The operator's pointer leaves the row, as before the next interaction.
  await page.mouse.move(0, 0);
  await settle(page);
  return ms;
}

/** Frame intervals while the grid scrolls back and forth over `rangePx`. */
export async function scrollFrames(
  target: ConsolePage,
  durationMs: number,
  rangePx: number,
  stepPx: number,
): Promise<number[]> {
  const frames = await target.page.evaluate(
    ([d, r, s]) => window.__bench.frames(d, { rangePx: r, stepPx: s }),
    [durationMs, rangePx, stepPx] as const,
  );
  await target.page.evaluate(() => {
    const grid = document.querySelector('[role="grid"][aria-label="Alarms"]');
    if (grid) grid.scrollTop = 0;
  });
  await settle(target.page);
  return frames;
}

/** The page's JS heap after a full garbage collection (CDP), in bytes. */
export async function heapUsedBytes(target: ConsolePage): Promise<number> {
  const cdp = await target.context.newCDPSession(target.page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = await cdp.send('Runtime.getHeapUsage');
    return usage.usedSize;
  } finally {
    await cdp.detach();
  }
}

// ---- the whole console benchmark -----------------------------------------------------------

/** Sizes and repetitions of the console benchmark. */
export interface ConsoleBenchOptions {
  /** Alarms of the small console (default 1,000). */
  smallAlarms?: number;
  /** Alarms of the large console (default 100,000). */
  largeAlarms?: number;
  /** Timed filters, sorts and menus per console (default 12 each). */
  rounds?: number;
  /** Untimed interactions of each kind first (default 2). */
  warmup?: number;
  /** Length of one scrolling run, ms (default 1500); runs alternate between the consoles. */
  scrollMs?: number;
  /** Scrolling runs per console (default 6). */
  scrollRuns?: number;
  /** Length of one live-updates window, ms (default 4000). */
  liveMs?: number;
  /** Windows with and without changes (default 2 each), alternated. */
  liveRuns?: number;
  /** Live alarm changes per second (default 200). */
  changesPerSecond?: number;
  /** Rows selected during the live windows, default 1,000. */
  selection?: number;
  /** Where the built renderer is (default out/renderer). */
  rendererDir?: string;
}

/** A small-versus-large comparison of medians. */
export interface MedianPair {
  smallMedianMs: number;
  largeMedianMs: number;
  ratio: number;
  samples: number;
}

/** What the console benchmark measured. */
export interface ConsoleBenchResult {
  /** The browser that ran it. */
  browser: string;
  smallAlarms: number;
  largeAlarms: number;
  /** Initial load of the large console (services started, page loaded, rows shown), ms. */
  largeLoadMs: number;
  filter: MedianPair;
  sort: MedianPair;
  menu: MedianPair;
  scroll: {
    smallP95Ms: number;
    largeP95Ms: number;
    ratio: number;
    smallFrames: number;
    largeFrames: number;
    rangePx: number;
    stepPx: number;
  };
  live: LiveResult;
  heap: { smallMB: number; largeMB: number };
}

function pair(small: number[], large: number[]): MedianPair {
  const s = median(small);
  const l = median(large);
  return {
    smallMedianMs: round(s),
    largeMedianMs: round(l),
    ratio: round(l / s),
    samples: small.length,
  };
}

const MB = 1024 * 1024;
/** Pixel height of one alarm row (renderer/src/views/alarm-grid.tsx). */
const ROW_HEIGHT = 26;

/** Targets 6, 7, 8, 9 and the renderer half of 10. */
export async function benchConsole(options: ConsoleBenchOptions = {}): Promise<ConsoleBenchResult> {
  const smallAlarms = options.smallAlarms ?? 1000;
  const largeAlarms = options.largeAlarms ?? 100_000;
  const rounds = options.rounds ?? 12;
  const warmup = options.warmup ?? 2;
  const scrollMs = options.scrollMs ?? 1500;
  const scrollRuns = options.scrollRuns ?? 6;
  const liveMs = options.liveMs ?? 4000;
  const liveRuns = options.liveRuns ?? 2;
  const changesPerSecond = options.changesPerSecond ?? 200;
  const selection = options.selection ?? 1000;
  const rendererDir = options.rendererDir ?? path.join(ROOT, 'out/renderer');
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`No built renderer in ${rendererDir}: run electron-vite build first`);
  }

  const scripts = await pageScripts();
  let server: StaticServer | null = null;
  let browser: Browser | null = null;
  const pages: ConsolePage[] = [];
  try {
    server = await serveStatic(rendererDir);
    browser = await launchBenchBrowser();
    const small = await openConsolePage(browser, server.url, scripts, smallAlarms);
    pages.push(small);
    const loadStart = performance.now();
    const large = await openConsolePage(browser, server.url, scripts, largeAlarms);
    const largeLoadMs = performance.now() - loadStart;
    pages.push(large);
    const both = (round: number): ConsolePage[] => (round % 2 ? [large, small] : [small, large]);

    // Filter, sort and menu, alternating between the consoles every round.
    const samples = {
      filter: new Map<ConsolePage, number[]>([
        [small, []],
        [large, []],
      ]),
      sort: new Map<ConsolePage, number[]>([
        [small, []],
        [large, []],
      ]),
      menu: new Map<ConsolePage, number[]>([
        [small, []],
        [large, []],
      ]),
    };
    for (let r = -warmup; r < rounds; r++) {
      const i = r + warmup;
      for (const target of both(i)) {
        const f = await timeFilter(target, FILTER_TEXTS[i % FILTER_TEXTS.length]!);
        const s = await timeSort(target, SORT_COLUMNS[i % SORT_COLUMNS.length]!);
        const m = await timeMenu(target, 2 + (i % 8));
        if (r < 0) continue;
        samples.filter.get(target)!.push(f);
        samples.sort.get(target)!.push(s);
        samples.menu.get(target)!.push(m);
      }
    }

    // Scrolling: the same pixel range in both consoles, so both do the same work.
    const rangePx = Math.max(
      ROW_HEIGHT * 10,
      (Math.min(smallAlarms, largeAlarms) - 40) * ROW_HEIGHT,
    );
    const stepPx = Math.min(ROW_HEIGHT * 6, Math.max(ROW_HEIGHT, Math.floor(rangePx / 20)));
    const scroll = new Map<ConsolePage, number[]>([
      [small, []],
      [large, []],
    ]);
    for (let run = 0; run < scrollRuns; run++) {
      for (const target of both(run)) {
        scroll.get(target)!.push(...(await scrollFrames(target, scrollMs, rangePx, stepPx)));
      }
    }

    const live = await benchLive(large, { liveMs, liveRuns, changesPerSecond, selection });

    const smallHeap = await heapUsedBytes(small);
    const largeHeap = await heapUsedBytes(large);
    const smallScroll = scroll.get(small)!;
    const largeScroll = scroll.get(large)!;
    return {
      browser: `Chromium ${browser.version()}`,
      smallAlarms: small.alarms,
      largeAlarms: large.alarms,
      largeLoadMs: round(largeLoadMs, 0),
      filter: pair(samples.filter.get(small)!, samples.filter.get(large)!),
      sort: pair(samples.sort.get(small)!, samples.sort.get(large)!),
      menu: pair(samples.menu.get(small)!, samples.menu.get(large)!),
      scroll: {
        smallP95Ms: round(p95(smallScroll)),
        largeP95Ms: round(p95(largeScroll)),
        ratio: round(p95(largeScroll) / p95(smallScroll)),
        smallFrames: smallScroll.length,
        largeFrames: largeScroll.length,
        rangePx,
        stepPx,
      },
      live,
      heap: { smallMB: round(smallHeap / MB, 1), largeMB: round(largeHeap / MB, 1) },
    };
  } finally {
    for (const p of pages) await p.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  }
}
