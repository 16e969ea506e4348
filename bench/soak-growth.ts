/**
 * The soak run's measure (issue 12, point 7): how much the renderer's JS heap, its DOM node
 * count and the services' RSS grew between a baseline sample and the last one.
 */
import { round } from './stats.js';

/** The growth target over 30 minutes. */
export const SOAK_GROWTH_TARGET = 1.1;

/** One sample. */
export interface SoakSample {
  minute: number;
  rendererHeapMB: number;
  domNodes: number;
  mainRssMB: number;
}

/** The soak's result, as written to bench-results.json. */
export interface SoakResult {
  minutes: number;
  samples: SoakSample[];
  baselineMinute: number;
  growth: { rendererHeap: number; domNodes: number; mainRss: number };
  /** The largest of the three growths. */
  soakGrowth: number;
  target: number;
  passed: boolean;
  tickets: { requested: number; refused: number };
  /** Export files saved (both tables, CSV and JSON, every few minutes). */
  exportedFiles: number;
}

/** The largest ratio last ÷ baseline of the three series, and each ratio. */
export function soakGrowth(
  samples: readonly SoakSample[],
  baselineMinute: number,
): { growth: SoakResult['growth']; soakGrowth: number } {
  const base = samples.find((s) => s.minute >= baselineMinute) ?? samples[0];
  const last = samples.at(-1);
  if (!base || !last) throw new Error('no samples');
  const growth = {
    rendererHeap: round(last.rendererHeapMB / base.rendererHeapMB, 3),
    domNodes: round(last.domNodes / base.domNodes, 3),
    mainRss: round(last.mainRssMB / base.mainRssMB, 3),
  };
  return { growth, soakGrowth: Math.max(growth.rendererHeap, growth.domNodes, growth.mainRss) };
}
