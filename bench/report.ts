/**
 * Turns the benchmarks' results into the ten targets of issue 6: one entry per target with
 * `{ value, target, pass }` and the absolute figures beside it, the machine's CPU and memory,
 * and the printed table. Target 10 has two limits, so it has two entries (10a, 10b).
 */
import type { SyncPollResult } from './sync-poll-bench.js';
import * as os from 'node:os';
import type { OverheadResult, StartupResult, StoreCostResult } from './connector-bench.js';
import type { ConsoleBenchResult } from './console-bench.js';
import type { HistoryResult } from './history-bench.js';
import type { MainRssResult } from './main-rss.js';
import type { TeamBenchResult } from './team-bench.js';

/** A benchmark's outcome: its result, or why it crashed. */
export type Measured<T> = { ok: true; value: T } | { ok: false; error: string };

/** One target in bench-results.json. */
export interface TargetEntry {
  /** What is measured, as the issue's table says. */
  what: string;
  /** The measured value (a ratio, a share or MB); null when the benchmark crashed. */
  value: number | null;
  /** The limit: the value must be at most this. */
  target: number;
  unit: 'ratio' | 'share' | 'MB' | 'ms';
  pass: boolean;
  /** The absolute figures behind the value (ms medians, sizes, MB). */
  figures: Record<string, number | string>;
  error?: string;
}

/** The machine the benchmarks ran on. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGB: number;
  node: string;
  platform: string;
  browser: string | null;
}

/** The whole of bench-results.json. */
export interface BenchReport {
  startedAt: string;
  durationS: number;
  machine: MachineInfo;
  targets: Record<string, TargetEntry>;
  allPassed: boolean;
  /** Names of the benchmarks that crashed. */
  crashed: string[];
}

/** Every benchmark's outcome. */
export interface BenchOutcomes {
  overhead: Measured<OverheadResult>;
  store: Measured<StoreCostResult>;
  startup: Measured<StartupResult>;
  rss: Measured<MainRssResult>;
  console: Measured<ConsoleBenchResult>;
  history: Measured<HistoryResult>;
  /** Issue 13: one poll cycle with 10,000 followed tickets vs 100 (10 changed in both). */
  syncPoll: Measured<SyncPollResult>;
  /** Issue 14: three consoles against one on PostgreSQL, and a row's way to another console. */
  team: Measured<TeamBenchResult>;
}

/** The machine's CPU model, cores and memory. */
export function machineInfo(browser: string | null = null): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    browser,
  };
}

function entry<T>(
  what: string,
  target: number,
  unit: TargetEntry['unit'],
  measured: Measured<T>,
  read: (value: T) => { value: number; figures: Record<string, number | string> },
): TargetEntry {
  if (!measured.ok) {
    return { what, value: null, target, unit, pass: false, figures: {}, error: measured.error };
  }
  const { value, figures } = read(measured.value);
  return { what, value, target, unit, pass: Number.isFinite(value) && value <= target, figures };
}

/** Builds bench-results.json from the outcomes. */
export function buildReport(
  outcomes: BenchOutcomes,
  run: { startedAt: string; durationS: number },
): BenchReport {
  const { overhead, store, startup, rss, console: browser } = outcomes;
  const targets: Record<string, TargetEntry> = {
    '1': entry('connector overhead', 1.05, 'ratio', overhead, (o) => ({
      value: o.ratio,
      figures: {
        ticketMedianMs: o.ticketMedianMs,
        rawPostMedianMs: o.rawPostMedianMs,
        enqueueMedianMs: o.enqueueMedianMs,
        latencyMs: o.latencyMs,
        tickets: o.tickets,
      },
    })),
    '2': entry('token off the hot path', 0, 'share', overhead, (o) => ({
      value: o.tokenWaitShareAfterFirst,
      figures: {
        ticketsThatWaited: o.tokenWaits,
        tokenRequests: o.tokenRequests,
        tickets: o.tickets,
      },
    })),
    '3': entry('store cost stays flat', 1.5, 'ratio', store, (s) => ({
      value: s.flatRatio,
      figures: {
        localLargeMs: s.localLargeMs,
        localSmallMs: s.localSmallMs,
        createLargeMedianMs: s.createLargeMedianMs,
        createSmallMedianMs: s.createSmallMedianMs,
        rawPostMedianMs: s.rawPostMedianMs,
        largeRows: s.largeRows,
        smallRows: s.smallRows,
        tickets: s.tickets,
      },
    })),
    '4': entry('store cost near the disk limit', 5, 'ratio', store, (s) => ({
      value: s.diskRatio,
      figures: {
        localLargeMs: s.localLargeMs,
        fsyncMedianMs: s.fsyncMedianMs,
        largeRows: s.largeRows,
      },
    })),
    '5': entry('start-up', 2, 'ratio', startup, (u) => ({
      value: u.ratio,
      figures: {
        openMedianMs: u.openMedianMs,
        jsonMedianMs: u.jsonMedianMs,
        tickets: u.tickets,
        pending: u.pending,
        journalMB: Math.round((u.journalBytes / 1024 ** 2) * 10) / 10,
        jsonMB: Math.round((u.jsonBytes / 1024 ** 2) * 10) / 10,
        runs: u.runs,
      },
    })),
    '6': entry('console filter and sort', 3, 'ratio', browser, (c) => ({
      value: Math.max(c.filter.ratio, c.sort.ratio),
      figures: {
        filterRatio: c.filter.ratio,
        filterLargeMedianMs: c.filter.largeMedianMs,
        filterSmallMedianMs: c.filter.smallMedianMs,
        sortRatio: c.sort.ratio,
        sortLargeMedianMs: c.sort.largeMedianMs,
        sortSmallMedianMs: c.sort.smallMedianMs,
        largeAlarms: c.largeAlarms,
        smallAlarms: c.smallAlarms,
        samples: c.filter.samples,
      },
    })),
    '7': entry('context menu', 1.5, 'ratio', browser, (c) => ({
      value: c.menu.ratio,
      figures: {
        largeMedianMs: c.menu.largeMedianMs,
        smallMedianMs: c.menu.smallMedianMs,
        samples: c.menu.samples,
      },
    })),
    '8': entry('scrolling', 1.5, 'ratio', browser, (c) => ({
      value: c.scroll.ratio,
      figures: {
        largeP95Ms: c.scroll.largeP95Ms,
        smallP95Ms: c.scroll.smallP95Ms,
        largeFrames: c.scroll.largeFrames,
        smallFrames: c.scroll.smallFrames,
        rangePx: c.scroll.rangePx,
        stepPx: c.scroll.stepPx,
      },
    })),
    '9': entry('live updates', 2, 'ratio', browser, (c) => ({
      value: c.live.ratio,
      figures: {
        liveP95Ms: c.live.liveP95Ms,
        idleP95Ms: c.live.idleP95Ms,
        changesPerSecond: c.live.changesPerSecond,
        changesApplied: c.live.changesApplied,
        selectedRows: c.live.selectedRows,
        heldMax: c.live.heldMax,
        plainLiveP95Ms: c.live.scenarios.plainP95Ms,
        selectedLiveP95Ms: c.live.scenarios.selectedP95Ms,
        heldLiveP95Ms: c.live.scenarios.heldP95Ms,
        alarms: c.largeAlarms,
      },
    })),
    '10a': entry('memory: renderer JS heap', 150, 'MB', browser, (c) => ({
      value: c.heap.largeMB,
      figures: { alarms: c.largeAlarms, heapWithSmallMB: c.heap.smallMB },
    })),
    '10b': entry('memory: main-process RSS', 300, 'MB', rss, (r) => ({
      value: r.rssMB,
      figures: { tickets: r.tickets, alarms: r.alarms, heapUsedMB: r.heapUsedMB },
    })),
    'history-startup': entry(
      'start-up with a long history',
      1.5,
      'ratio',
      outcomes.history,
      (h) => ({
        value: h.startupRatio,
        figures: {
          largeMs: h.startupLargeMs,
          smallMs: h.startupSmallMs,
          largeRows: h.large,
          smallRows: h.small,
          queued: h.queued,
        },
      }),
    ),
    'history-rss-mb': entry(
      'main-process RSS with a long history',
      200,
      'MB',
      outcomes.history,
      (h) => ({
        value: h.rssMB,
        figures: { rows: h.large },
      }),
    ),
    'tickets-page': entry('first page of the Tickets view', 2, 'ratio', outcomes.history, (h) => ({
      value: h.pageRatio,
      figures: {
        largeMs: h.pageLargeMs,
        smallMs: h.pageSmallMs,
        largeRows: h.large,
        smallRows: h.small,
      },
    })),
    'store-vs-fsync': entry(
      'one ticket on a long history vs one fsync',
      3,
      'ratio',
      outcomes.history,
      (h) => ({
        value: h.storeVsFsync,
        figures: { localTicketMs: h.localTicketMs, fsyncMs: h.fsyncMs, rows: h.large },
      }),
    ),
    'sync-poll': entry(
      'one poll cycle, 10,000 followed vs 100 (10 changed)',
      1.5,
      'ratio',
      outcomes.syncPoll,
      (p) => ({
        value: p.ratio,
        figures: {
          largeMedianMs: p.largeMedianMs,
          smallMedianMs: p.smallMedianMs,
          largeFollowed: p.largeFollowed,
          smallFollowed: p.smallFollowed,
          changedPerPoll: p.changedPerPoll,
          polls: p.polls,
        },
      }),
    ),
    'team-time-ratio': entry(
      'team mode: 300 tickets, three consoles vs one',
      0.45,
      'ratio',
      outcomes.team,
      (t) => ({
        value: t.ratio,
        figures: {
          ratioMin: t.ratioMin,
          ratioMax: t.ratioMax,
          oneConsoleMs: t.oneConsoleMs,
          threeConsolesMs: t.threeConsolesMs,
          threeFillMs: t.threeFillMs,
          tickets: t.tickets,
          latencyMs: t.latencyMs,
          runs: t.runs,
        },
      }),
    ),
    'team-propagation-p95-ms': entry(
      'team mode: a Created row on another console (p95)',
      1000,
      'ms',
      outcomes.team,
      (t) => ({
        value: t.propagationP95Ms,
        figures: { maxMs: t.propagationMaxMs, tickets: t.propagationTickets, runs: t.runs },
      }),
    ),
  };
  const crashed = Object.entries(outcomes)
    .filter(([, m]) => !(m as Measured<unknown>).ok)
    .map(([name]) => name);
  return {
    ...run,
    machine: machineInfo(browser.ok ? browser.value.browser : null),
    targets,
    allPassed: Object.values(targets).every((t) => t.pass),
    crashed,
  };
}

function figure(key: string, value: number | string): string {
  return `${key.replace(/(MedianMs|P95Ms|Ms)$/, ' ms').replace(/MB$/, ' MB')}=${value}`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** The printed table: target, measured value, limit, pass/fail and the absolute figures. */
export function formatTable(report: BenchReport): string {
  const rows = [['#', 'what', 'value', 'target', 'result', 'absolute figures']];
  for (const [id, t] of Object.entries(report.targets)) {
    const unit = t.unit === 'MB' ? ' MB' : t.unit === 'ms' ? ' ms' : '';
    rows.push([
      id,
      t.what,
      t.value === null ? 'n/a' : `${t.value}${unit}`,
      `<= ${t.target}${unit}`,
      t.error ? 'CRASH' : t.pass ? 'pass' : 'FAIL',
      t.error ??
        Object.entries(t.figures)
          .map(([k, v]) => figure(k, v))
          .join(', '),
    ]);
  }
  const widths = rows[0]!.map((_, col) =>
    col === 5 ? 0 : Math.max(...rows.map((r) => r[col]!.length)),
  );
  const lines = rows.map((r) =>
    r.map((cell, col) => (col === 5 ? cell : pad(cell, widths[col]!))).join(' | '),
  );
  lines.splice(
    1,
    0,
    widths.map((w, col) => (col === 5 ? '-'.repeat(16) : '-'.repeat(w))).join('-|-'),
  );
  const m = report.machine;
  const passed = Object.values(report.targets).filter((t) => t.pass).length;
  return [
    ...lines,
    '',
    `${passed} of ${Object.keys(report.targets).length} limits met (target 10 has two: 10a, 10b).`,
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGB} GB, Node ${m.node}, ${m.platform}${m.browser ? `, ${m.browser}` : ''}; run took ${report.durationS} s.`,
  ].join('\n');
}
