/**
 * Smoke test of the console benchmarks (issue 6: "so that they cannot rot"): the whole browser
 * benchmark of `npm run bench` at a tiny size, in Chromium against the built renderer and the
 * real services. It checks that every figure comes out as a finite number; no thresholds.
 */
import { expect, test } from '@playwright/test';
import { benchConsole } from '../bench/console-bench.js';

test('the console benchmarks measure filter, sort, menu, scrolling, live updates and heap', async () => {
  test.setTimeout(120_000);
  const result = await benchConsole({
    smallAlarms: 20,
    largeAlarms: 60,
    rounds: 1,
    warmup: 0,
    scrollMs: 300,
    scrollRuns: 1,
    liveMs: 300,
    liveRuns: 1,
    changesPerSecond: 50,
    selection: 30,
  });
  expect(result.smallAlarms).toBe(20);
  expect(result.largeAlarms).toBe(60);
  for (const pair of [result.filter, result.sort, result.menu]) {
    expect(pair.samples).toBe(1);
    expect(Number.isFinite(pair.smallMedianMs) && Number.isFinite(pair.largeMedianMs)).toBe(true);
  }
  expect(result.scroll.smallFrames).toBeGreaterThan(0);
  expect(Number.isFinite(result.scroll.ratio)).toBe(true);
  expect(result.live.liveFrames).toBeGreaterThan(0);
  // The live windows run with a selection of rows, and with rows held still (issue 11).
  expect(result.live.selectedRows).toBe(30);
  expect(result.live.heldMax).toBeGreaterThanOrEqual(0);
  expect(Number.isFinite(result.live.ratio)).toBe(true);
  expect(result.heap.largeMB).toBeGreaterThan(0);
});
