/**
 * `npm run bench` (issue 6): runs every benchmark once, side by side with its baseline, prints
 * the table of the ten targets and writes bench-results.json at the repository root.
 *
 * Exit code: 0 when every benchmark ran, whether or not its target was met (the table and the
 * file say pass or fail); 1 when a benchmark crashed (its entry then carries the error). With
 * `--strict`, a missed target exits 2 as well.
 *
 * `--only <names>` (comma-separated: overhead, store, startup, rss, console, history, syncPoll,
 * team) runs only those benchmarks, e.g. `--only console` for targets 6 to 9 and 10a, or
 * `--only team` for team-time-ratio and team-propagation-p95-ms; the table then shows only
 * their targets, and the file is bench-results.<names>.json so the full run's file is kept.
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
import { benchSyncPoll, type SyncPollResult } from './sync-poll-bench.js';
import { benchTeam, type TeamBenchResult } from './team-bench.js';
import {
  buildReport,
  formatTable,
  type BenchOutcomes,
  type BenchReport,
  type Measured,
} from './report.js';

const ROOT = path.resolve(import.meta.dirname, '..');

type BenchName = keyof BenchOutcomes;
const BENCH_NAMES: readonly BenchName[] = [
  'overhead',
  'store',
  'startup',
  'rss',
  'console',
  'history',
  'syncPoll',
  'team',
];
const NOT_RUN = 'not run (--only)';

/** The benchmarks named after `--only`, or null to run them all. */
function onlyArg(argv: readonly string[]): Set<BenchName> | null {
  const i = argv.indexOf('--only');
  if (i < 0) return null;
  const names = (argv[i + 1] ?? '').split(',').filter((n) => n !== '');
  const unknown = names.filter((n) => !BENCH_NAMES.includes(n as BenchName));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only takes benchmarks among ${BENCH_NAMES.join(', ')}`);
  }
  return new Set(names as BenchName[]);
}

/** The report without the targets of the benchmarks that were not run. */
function withoutNotRun(report: BenchReport): BenchReport {
  const targets = Object.fromEntries(
    Object.entries(report.targets).filter(([, t]) => t.error !== NOT_RUN),
  );
  return {
    ...report,
    targets,
    allPassed: Object.values(targets).every((t) => t.pass),
  };
}

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
  const only = onlyArg(process.argv);
  const notRun = { ok: false as const, error: NOT_RUN };
  const run = <T>(name: BenchName, label: string, fn: () => Promise<T>): Promise<Measured<T>> =>
    only && !only.has(name) ? Promise.resolve(notRun) : attempt(label, fn);
  const started = new Date();
  const t0 = performance.now();
  console.log(`Oceane Alarm Console benchmarks (issue 6), ${started.toISOString()}`);
  const overhead: Measured<OverheadResult> = await run(
    'overhead',
    'connector overhead (targets 1, 2)',
    () => benchConnectorOverhead(),
  );
  const store: Measured<StoreCostResult> = await run('store', 'store cost (targets 3, 4)', () =>
    benchStoreCost(),
  );
  const startup: Measured<StartupResult> = await run('startup', 'start-up (target 5)', () =>
    benchStartup(),
  );
  const rss: Measured<MainRssResult> = await run('rss', 'main-process memory (target 10)', () =>
    benchMainRss(),
  );
  const history: Measured<HistoryResult> = await run(
    'history',
    'long history (history-startup, history-rss-mb, tickets-page, store-vs-fsync)',
    () => benchHistory(),
  );
  const console_: Measured<ConsoleBenchResult> = await run(
    'console',
    'console in Chromium (targets 6 to 10)',
    () => benchConsole(),
  );
  const syncPoll: Measured<SyncPollResult> = await run(
    'syncPoll',
    'ticket follow-up poll (sync-poll)',
    () => benchSyncPoll(),
  );
  const team: Measured<TeamBenchResult> = await run(
    'team',
    'team mode on PostgreSQL (team-time-ratio, team-propagation-p95-ms)',
    () => benchTeam({ tickets: 300, runs: 3 }),
  );
  const full: BenchReport = buildReport(
    { overhead, store, startup, rss, console: console_, history, syncPoll, team },
    {
      startedAt: started.toISOString(),
      durationS: Math.round((performance.now() - t0) / 1000),
    },
  );
  const report = only ? withoutNotRun(full) : full;
  report.crashed = report.crashed.filter((name) => !only || only.has(name as BenchName));
  console.log('');
  console.log(formatTable(report));
  const name = only ? `bench-results.${[...only].join('-')}.json` : 'bench-results.json';
  await writeFile(path.join(ROOT, name), JSON.stringify(report, null, 2) + '\n');
  console.log(`\nWritten: ${name}`);
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
