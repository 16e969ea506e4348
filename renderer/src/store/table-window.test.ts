/** The window a table view asks for around the rows on screen, and when it must ask again. */
import { describe, expect, it } from 'vitest';
import { TABLE_PAGE_MAX_ROWS } from '../../../shared/table-page.js';
import { WINDOW_PAD, covers, rowAt, windowAround } from './table-window.js';

describe('windowAround', () => {
  it('pads both ends of what is on screen, never before the first row', () => {
    expect(windowAround(0, 30)).toEqual({ offset: 0, limit: 30 + WINDOW_PAD });
    expect(windowAround(500, 530)).toEqual({
      offset: 500 - WINDOW_PAD,
      limit: 30 + 2 * WINDOW_PAD,
    });
  });

  it('never asks for more than one page', () => {
    expect(windowAround(0, 5000).limit).toBe(TABLE_PAGE_MAX_ROWS);
  });
});

describe('covers', () => {
  const window = { offset: 100, rows: new Array<number>(200).fill(0), total: 1000 };

  it('holds the rows inside it and not those beyond', () => {
    expect(covers(window, 100, 300)).toBe(true);
    expect(covers(window, 99, 150)).toBe(false);
    expect(covers(window, 250, 301)).toBe(false);
  });

  it('holds the end of a table shorter than the screen', () => {
    expect(covers({ offset: 0, rows: [1, 2, 3], total: 3 }, 0, 40)).toBe(true);
    expect(covers({ offset: 0, rows: [1, 2], total: 3 }, 0, 40)).toBe(false);
  });
});

describe('rowAt', () => {
  it('finds a row by its index in the table', () => {
    const w = { rows: ['a', 'b'], offset: 10, total: 50, loaded: true, error: null };
    expect(rowAt(w, 11)).toBe('b');
    expect(rowAt(w, 9)).toBeUndefined();
    expect(rowAt(w, 12)).toBeUndefined();
  });
});
