/**
 * The history benchmarks of issue 9: what a long history costs once the tables live in the
 * SQL store. history-startup (opening the services with 1,000,000 ticket rows, 1,000 of them
 * queued, ÷ with 1,000 rows, 1,000 of them queued too), history-rss-mb (main-process RSS with
 * the large history, in a child process), tickets-page (the first page, 100 rows newest first,
 * through `connector.tablePage`, large ÷ small) and store-vs-fsync (the local cost of one
 * ticket on the large history ÷ one small write plus fsync). The large data folder is built
 * once (one transaction, indexes after the load) and cached under the system temp folder.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstTicketPage } from '../shared/table-page.js';
import { startSimulator, type RunningSimulator } from '../electron/oceane-simulator/index.js';
import { benchRequest, fsyncWriter, openBenchConnector, rawClient } from './connector-bench.js';
import { PREFILL_DMA, makePrefillData } from './fixtures.js';
import { median, round } from './stats.js';
import { fillStore, resetQueued } from './store-fill.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** Sizes of the history benchmarks. */
export interface HistoryOptions {
  /** Ticket rows of the large history, queued ones included (default 1,000,000). */
  large?: number;
  /** Ticket rows of the small history (default 1,000). */
  small?: number;
  /** Queued requests in both (default 1,000). */
  queued?: number;
  /** Timed repetitions (default 7 opens, 28 pages, 28 tickets). */
  runs?: number;
  /** Where the data folders are built and kept between runs (default the system temp folder). */
  cacheRoot?: string;
}

/** The four figures and what they were made of. */
export interface HistoryResult {
  large: number;
  small: number;
  queued: number;
  startupLargeMs: number;
  startupSmallMs: number;
  startupRatio: number;
  rssMB: number;
  pageLargeMs: number;
  pageSmallMs: number;
  pageRatio: number;
  localTicketMs: number;
  fsyncMs: number;
  storeVsFsync: number;
  buildS: number;
}

/** A configured data folder with `rows` ticket rows, `queued` of them queued (cached). */
async function history(
  root: string,
  rows: number,
  queued: number,
  sim: RunningSimulator,
): Promise<{ dir: string; buildS: number }> {
  // v2: folders of v1 had no settings, so their first open pruned to the default count limit.
  const dir = path.join(root, `oceane-bench-history-v2-${rows}-${queued}`);
  const marker = path.join(dir, 'complete');
  const start = performance.now();
  let buildS = 0;
  if (!existsSync(marker)) {
    await rm(dir, { recursive: true, force: true });
    // Settings first (count limit raised), so that no open prunes the history it measures.
    await (await openBenchConnector(dir, sim, { autoStart: false })).close();
    const data = makePrefillData({ created: rows - queued, pending: queued, baseUrl: sim.url });
    fillStore(path.join(dir, 'data'), { tickets: data.tickets, queue: data.queue });
    await writeFile(marker, new Date().toISOString());
    buildS = round((performance.now() - start) / 1000);
  }
  // Every run: the queue as built (its requests wait for a retry a year ahead, so no run
  // sends them), and the settings pointing at this run's simulator (not started: nothing sent).
  resetQueued(path.join(dir, 'data'), PREFILL_DMA, queued, Date.now() + YEAR_MS);
  await (await openBenchConnector(dir, sim, { autoStart: false })).close();
  return { dir, buildS };
}

async function timedOpen(dir: string, sim: RunningSimulator): Promise<number> {
  globalThis.gc?.();
  const start = performance.now();
  const bench = await openBenchConnector(dir, sim, { configure: false });
  const ms = performance.now() - start;
  await bench.close();
  return ms;
}

async function pageMs(dir: string, sim: RunningSimulator, runs: number): Promise<number> {
  const bench = await openBenchConnector(dir, sim, { configure: false });
  try {
    const times: number[] = [];
    for (let i = -5; i < runs; i++) {
      const start = performance.now();
      const page = bench.connector.tablePage(firstTicketPage(100));
      const ms = performance.now() - start;
      if (page.rows.length !== 100) throw new Error(`a page of ${page.rows.length} rows`);
      if (i >= 0) times.push(ms);
    }
    return median(times);
  } finally {
    await bench.close();
  }
}

/** RSS of a child process that opened the services on `dir` and read the first page. */
async function childRssMB(dir: string, simUrl: string): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', path.join(here, 'history-rss-child.ts'), dir, simUrl],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  const match = /rssMB (\d+(\.\d+)?)/.exec(output);
  if (code !== 0 || !match) throw new Error(`the RSS child failed (${String(code)}): ${output}`);
  return Number(match[1]);
}

/** Runs the four history benchmarks. */
export async function benchHistory(options: HistoryOptions = {}): Promise<HistoryResult> {
  const largeRows = options.large ?? 1_000_000;
  const smallRows = options.small ?? 1000;
  const queued = options.queued ?? 1000;
  const runs = options.runs ?? 7;
  const sim = await startSimulator({ port: 0 });
  const scratch = await mkdtemp(path.join(tmpdir(), 'oceane-bench-history-'));
  try {
    const root = options.cacheRoot ?? tmpdir();
    const large = await history(root, largeRows, queued, sim);
    const small = await history(root, smallRows, queued, sim);
    const openLarge: number[] = [];
    const openSmall: number[] = [];
    for (let i = -1; i < runs; i++) {
      const l = await timedOpen(large.dir, sim);
      const s = await timedOpen(small.dir, sim);
      if (i < 0) continue;
      openLarge.push(l);
      openSmall.push(s);
    }
    const pageLarge = await pageMs(large.dir, sim, runs * 4);
    const pageSmall = await pageMs(small.dir, sim, runs * 4);
    const rssMB = await childRssMB(large.dir, sim.url);
    // One ticket's local cost on the large history, and one small write plus fsync.
    const bench = await openBenchConnector(large.dir, sim, { configure: false });
    const raw = await rawClient(sim);
    const disk = await fsyncWriter(scratch);
    // The cached history keeps the tickets of earlier runs: this run's alarms are its own.
    const runDma = String(10_000 + (Date.now() % 1_000_000));
    const ticketMs: number[] = [];
    const rawMs: number[] = [];
    const fsyncMs: number[] = [];
    try {
      for (let i = -5; i < runs * 4; i++) {
        const t = (await bench.createAndSettle(benchRequest(runDma))).totalMs;
        const r = await raw.post(benchRequest());
        const f = await disk.write();
        if (i < 0) continue;
        ticketMs.push(t);
        rawMs.push(r);
        fsyncMs.push(f);
      }
    } finally {
      await disk.close();
      await bench.close();
    }
    const localTicket = Math.max(0, median(ticketMs) - median(rawMs));
    const fsync = median(fsyncMs);
    return {
      large: largeRows,
      small: smallRows,
      queued,
      startupLargeMs: round(median(openLarge)),
      startupSmallMs: round(median(openSmall)),
      startupRatio: round(median(openLarge) / median(openSmall)),
      rssMB: round(rssMB),
      pageLargeMs: round(pageLarge),
      pageSmallMs: round(pageSmall),
      pageRatio: round(pageLarge / pageSmall),
      localTicketMs: round(localTicket),
      fsyncMs: round(fsync),
      storeVsFsync: round(localTicket / fsync),
      buildS: large.buildS,
    };
  } finally {
    await sim.close();
    await rm(scratch, { recursive: true, force: true });
  }
}
