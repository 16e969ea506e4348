import { describe, expect, it } from 'vitest';
import { soakGrowth, type SoakSample } from './soak-growth.js';

const s = (minute: number, heap: number, dom: number, rss: number): SoakSample => ({
  minute,
  rendererHeapMB: heap,
  domNodes: dom,
  mainRssMB: rss,
});

describe('soak growth', () => {
  it('is the largest of the three ratios, last sample over the baseline minute', () => {
    const samples = [
      s(0, 5, 100, 50),
      s(5, 10, 1000, 200),
      s(6, 11, 1000, 210),
      s(30, 10.5, 1200, 210),
    ];
    const result = soakGrowth(samples, 5);
    expect(result.growth).toEqual({ rendererHeap: 1.05, domNodes: 1.2, mainRss: 1.05 });
    expect(result.soakGrowth).toBe(1.2);
  });

  it('ignores the warm-up before the baseline minute', () => {
    const samples = [s(0, 1, 10, 10), s(5, 10, 100, 100), s(30, 10, 100, 100)];
    expect(soakGrowth(samples, 5).soakGrowth).toBe(1);
  });
});
