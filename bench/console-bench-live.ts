/**
 * The console benchmark's live-updates part (target 9) on the large console: plain live
 * windows first (no selection, reported apart), then, with a selection of many rows, windows
 * with and without changes alternated, and windows where the rows hold still and then take
 * the held changes at once (issue 11). Each scenario's p95 is reported; the ratio is the
 * selected and held windows against the idle ones with the selection.
 */
import type { ConsolePage } from './console-bench.js';
import { heldLiveFrames, selectRows } from './console-bench-selection.js';
import { p95, round } from './stats.js';

/** What the live-updates part measured. */
export interface LiveResult {
  idleP95Ms: number;
  liveP95Ms: number;
  ratio: number;
  changesPerSecond: number;
  changesApplied: number;
  idleFrames: number;
  liveFrames: number;
  /** Rows selected during the live windows (issue 11). */
  selectedRows: number;
  /** Most changes held at once while the rows held still. */
  heldMax: number;
  /**
   * p95 frame time (ms) per scenario: live windows before any selection (not in the ratio),
   * live windows with the selection, and windows where the rows hold still then take the
   * held changes at once. The ratio is over the last two, against idle with the selection.
   */
  scenarios: { plainP95Ms: number; selectedP95Ms: number; heldP95Ms: number };
}

/**
 * Frame intervals over `durationMs` while the mock DataMiner applies `changesPerSecond`
 * changes (0: none), every 100 ms, through the real services and event delivery.
 */
export async function liveFrames(
  target: ConsolePage,
  durationMs: number,
  changesPerSecond: number,
): Promise<{ frames: number[]; changes: number }> {
  let changes = 0;
  const perTick = changesPerSecond / 10;
  let carry = 0;
  const timer =
    changesPerSecond > 0
      ? setInterval(() => {
          carry += perTick;
          const count = Math.floor(carry);
          carry -= count;
          if (count > 0) {
            target.services.alarms.tick(count);
            changes += count;
          }
        }, 100)
      : null;
  try {
    const frames = await target.page.evaluate((d) => window.__bench.frames(d), durationMs);
    return { frames, changes };
  } finally {
    if (timer) clearInterval(timer);
    await target.page.evaluate(() => window.__bench.settle(1));
  }
}

/** Measures the live scenarios on `large`. */
export async function benchLive(
  large: ConsolePage,
  options: { liveMs: number; liveRuns: number; changesPerSecond: number; selection: number },
): Promise<LiveResult> {
  const { liveMs, liveRuns, changesPerSecond, selection } = options;
  const plain: number[] = [];
  for (let run = 0; run < liveRuns; run++) {
    plain.push(...(await liveFrames(large, liveMs, changesPerSecond)).frames);
  }
  const selectedRows = await selectRows(large, Math.min(selection, large.alarms));
  const idle: number[] = [];
  const selectedLive: number[] = [];
  const heldLive: number[] = [];
  let changesApplied = 0;
  let heldMax = 0;
  for (let run = 0; run < liveRuns; run++) {
    for (const rate of run % 2 ? [changesPerSecond, 0] : [0, changesPerSecond]) {
      const measured = await liveFrames(large, liveMs, rate);
      if (rate === 0) idle.push(...measured.frames);
      else {
        selectedLive.push(...measured.frames);
        changesApplied += measured.changes;
      }
    }
    const held = await heldLiveFrames(large, liveMs, changesPerSecond);
    heldLive.push(...held.frames);
    changesApplied += held.changes;
    heldMax = Math.max(heldMax, held.heldMax);
  }
  const live = [...selectedLive, ...heldLive];
  return {
    idleP95Ms: round(p95(idle)),
    liveP95Ms: round(p95(live)),
    ratio: round(p95(live) / p95(idle)),
    changesPerSecond,
    changesApplied,
    idleFrames: idle.length,
    liveFrames: live.length,
    selectedRows,
    heldMax,
    scenarios: {
      plainP95Ms: round(p95(plain)),
      selectedP95Ms: round(p95(selectedLive)),
      heldP95Ms: round(p95(heldLive)),
    },
  };
}
