import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
/**
 * Smoke test of the benchmarks (issue 6: "so that they cannot rot"): each connector benchmark
 * runs at a tiny size and must produce finite figures, and the report has the shape of
 * bench-results.json. No thresholds: speed is for `npm run bench`, not for tests.
 */
import { benchHistory, type HistoryResult } from './history-bench.js';
import { describe, expect, it } from 'vitest';
import {
  benchConnectorOverhead,
  benchStartup,
  benchStoreCost,
  type OverheadResult,
  type StartupResult,
  type StoreCostResult,
} from './connector-bench.js';
import { benchMainRss, type MainRssResult } from './main-rss.js';
import { buildReport, formatTable } from './report.js';
import { benchSyncPoll, type SyncPollResult } from './sync-poll-bench.js';
import { benchTeam, type TeamBenchResult } from './team-bench.js';

function expectFiniteNumbers(value: object): void {
  for (const [key, figure] of Object.entries(value)) {
    expect(Number.isFinite(figure), `${key} = ${String(figure)}`).toBe(true);
  }
}

describe('the connector benchmarks at tiny sizes', () => {
  let overhead: OverheadResult;
  let store: StoreCostResult;
  let startup: StartupResult;
  let rss: MainRssResult;
  let history: HistoryResult;
  let syncPoll: SyncPollResult;
  let team: TeamBenchResult;

  it('measure a ticket against a raw POST, and the token waits', async () => {
    overhead = await benchConnectorOverhead({ tickets: 6, latencyMs: 5, warmup: 1 });
    expectFiniteNumbers(overhead);
    expect(overhead.tickets).toBe(6);
  });

  it('measure the local cost per ticket with a small and a large table, and one fsync', async () => {
    store = await benchStoreCost({ tickets: 6, smallRows: 20, largeRows: 100, warmup: 1 });
    expectFiniteNumbers(store);
    expect(store.largeRows).toBe(100);
  });

  it('measure opening stored tickets and pending requests against one JSON.parse', async () => {
    startup = await benchStartup({ tickets: 100, pending: 10, runs: 2 });
    expectFiniteNumbers(startup);
    expect(startup.runs).toBe(2);
  });

  it('measure the memory of a child process running the services', async () => {
    rss = await benchMainRss({ tickets: 50, alarms: 50 });
    expectFiniteNumbers(rss);
    expect(rss.tickets).toBe(50);
  });

  it('measure a long history: start-up, memory, the first page and one ticket against an fsync', async () => {
    const cacheRoot = await mkdtemp(path.join(tmpdir(), 'oceane-bench-test-'));
    try {
      history = await benchHistory({ large: 300, small: 150, queued: 20, runs: 1, cacheRoot });
    } finally {
      await rm(cacheRoot, { recursive: true, force: true });
    }
    expectFiniteNumbers(history);
    expect(history.large).toBe(300);
  });

  it('measure a poll cycle with many followed tickets against few (issue 13)', async () => {
    syncPoll = await benchSyncPoll({ small: 20, large: 200, polls: 2 });
    expectFiniteNumbers(syncPoll);
    expect(syncPoll.largeFollowed).toBe(200);
    expect(syncPoll.changedPerPoll).toBe(10);
  });

  it('measure three team consoles against one, and a row reaching another console (issue 14)', async () => {
    team = await benchTeam({ tickets: 6, runs: 1, latencyMs: 5, propagationTickets: 4 });
    expectFiniteNumbers(team);
    expect(team.tickets).toBe(6);
    expect(team.propagationTickets).toBe(4);
  }, 120_000);

  it('report every target with value, target and figures, and a crash as an error', () => {
    const report = buildReport(
      {
        overhead: { ok: true, value: overhead },
        store: { ok: true, value: store },
        startup: { ok: true, value: startup },
        rss: { ok: true, value: rss },
        console: { ok: false, error: 'no browser in this test' },
        history: { ok: true, value: history },
        syncPoll: { ok: true, value: syncPoll },
        team: { ok: true, value: team },
      },
      { startedAt: new Date().toISOString(), durationS: 1 },
    );
    expect(Object.keys(report.targets)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10a',
      '10b',
      'history-startup',
      'history-rss-mb',
      'tickets-page',
      'store-vs-fsync',
      'sync-poll',
      'team-time-ratio',
      'team-propagation-p95-ms',
    ]);
    for (const id of [
      '1',
      '2',
      '3',
      '4',
      '5',
      '10b',
      'history-startup',
      'tickets-page',
      'sync-poll',
      'team-time-ratio',
      'team-propagation-p95-ms',
    ]) {
      const t = report.targets[id]!;
      expect(Number.isFinite(t.value), id).toBe(true);
      expect(typeof t.target).toBe('number');
      expect(typeof t.pass).toBe('boolean');
      expectFiniteNumbers(t.figures);
    }
    expect(report.targets['7']).toMatchObject({
      value: null,
      pass: false,
      error: 'no browser in this test',
    });
    expect(report.crashed).toEqual(['console']);
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.machine.cpuModel).not.toBe('');
    const table = formatTable(report);
    expect(table).toContain('connector overhead');
    expect(table).toContain('CRASH');
    expect(table).toContain('<= 1000 ms');
  });
});
