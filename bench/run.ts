/**
 * `npm run bench` (issue 6): runs every benchmark once, side by side with its baseline, prints
 * the table of the ten targets and writes bench-results.json at the repository root.
 *
 * Exit code: 0 when every benchmark ran, whether or not its target was met (the table and the
 * file say pass or fail); 1 when a benchmark crashed (its entry then carries the error). With
 * `--strict`, a missed target exits 2 as well.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
  benchConnectorOverhead,
  benchStartup,
  benchStoreCost,
  type OverheadResult,
  type StartupResult,
  type StoreCostResult,
} from './connector-bench.js';
import { benchConsole, type ConsoleBenchResult } from './console-bench.js';
import { benchHistory, type HistoryResult } from './history-bench.js';
import { benchMainRss, type MainRssResult } from './main-rss.js';
import { buildReport, formatTable, type BenchReport, type Measured } from './report.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Runs `fn`, turning a crash into a message, and logs how long it took. */
async function attempt<T>(name: string, fn: () => Promise<T>): Promise<Measured<T>> {
  const start = performance.now();
  process.stdout.write(`  ${name} ...`);
  try {
    const value = await fn();
    process.stdout.write(` ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
    return { ok: true, value };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stdout.write(` CRASHED\n${message}\n`);
    return { ok: false, error: message.split('\n')[0] ?? message };
  }
}

async function main(): Promise<number> {
  const strict = process.argv.includes('--strict');
  const started = new Date();
  const t0 = performance.now();
  console.log(`Oceane Alarm Console benchmarks (issue 6), ${started.toISOString()}`);
  const overhead: Measured<OverheadResult> = await attempt(
    'connector overhead (targets 1, 2)',
    () => benchConnectorOverhead(),
  );
  const store: Measured<StoreCostResult> = await attempt('store cost (targets 3, 4)', () =>
    benchStoreCost(),
  );
  const startup: Measured<StartupResult> = await attempt('start-up (target 5)', () =>
    benchStartup(),
  );
  const rss: Measured<MainRssResult> = await attempt('main-process memory (target 10)', () =>
    benchMainRss(),
  );
  const history: Measured<HistoryResult> = await attempt(
    'long history (history-startup, history-rss-mb, tickets-page, store-vs-fsync)',
    () => benchHistory(),
  );
  const console_: Measured<ConsoleBenchResult> = await attempt(
    'console in Chromium (targets 6 to 10)',
    () => benchConsole(),
  );
  const report: BenchReport = buildReport(
    { overhead, store, startup, rss, console: console_, history },
    {
      startedAt: started.toISOString(),
      durationS: Math.round((performance.now() - t0) / 1000),
    },
  );
  console.log('');
  console.log(formatTable(report));
  const file = path.join(ROOT, 'bench-results.json');
  await writeFile(file, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nWritten: bench-results.json`);
  if (report.crashed.length > 0) return 1;
  if (strict && !report.allPassed) return 2;
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
