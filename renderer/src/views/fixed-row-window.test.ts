import { describe, expect, it } from 'vitest';
import { windowRange } from './fixed-row-window.js';

describe('the rows a fixed-height grid renders', () => {
  it('are the rows on screen and the overscan on each side, within the count', () => {
    expect(windowRange(100_000, 0, 30, 10)).toEqual({ from: 0, to: 40 });
    expect(windowRange(100_000, 500, 30, 10)).toEqual({ from: 490, to: 540 });
    expect(windowRange(100_000, 99_990, 30, 10)).toEqual({ from: 99_980, to: 100_000 });
  });

  it('stay within the count when it shrank below the scroll position, and are none for none', () => {
    expect(windowRange(20, 500, 30, 10)).toEqual({ from: 10, to: 20 });
    expect(windowRange(0, 0, 30, 10)).toEqual({ from: 0, to: 0 });
  });
});
