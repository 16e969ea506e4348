/** Which columns a ticket table shows and how wide, as remembered in localStorage. */
import { afterEach, describe, expect, it } from 'vitest';
import { WIDTH_BOUNDS, layoutKey, loadLayout, shownColumns } from './table-layout.js';

const columns = [
  { id: 'a', header: 'A', width: 100 },
  { id: 'b', header: 'B', width: 100, hiddenByDefault: true },
  { id: 'status', header: 'Status', width: 90, alwaysShown: true },
];

/** A localStorage in plain Node, as the renderer has one. */
function withStorage(entries: Record<string, string>): void {
  const map = new Map(Object.entries(entries));
  (globalThis as { localStorage?: unknown }).localStorage = {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => map.set(k, v),
  };
}

afterEach(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

describe('table layout', () => {
  it('shows the default columns until the operator chooses, and always the status', () => {
    expect(shownColumns(columns, { shown: null, widths: {} }).map((c) => c.id)).toEqual([
      'a',
      'status',
    ]);
    expect(shownColumns(columns, { shown: ['b'], widths: {} }).map((c) => c.id)).toEqual([
      'b',
      'status',
    ]);
  });

  it('reads back the kept choice with widths within bounds', () => {
    withStorage({
      [layoutKey('tickets')]: JSON.stringify({ shown: ['a', 'b'], widths: { a: 5, b: 250 } }),
    });
    expect(loadLayout('tickets')).toEqual({
      shown: ['a', 'b'],
      widths: { a: WIDTH_BOUNDS.min, b: 250 },
    });
  });

  it('gives the defaults for a damaged entry or no storage at all', () => {
    withStorage({ [layoutKey('tickets')]: '{not json' });
    expect(loadLayout('tickets')).toEqual({ shown: null, widths: {} });
    withStorage({ [layoutKey('tickets')]: JSON.stringify({ shown: 'a', widths: [1] }) });
    expect(loadLayout('tickets')).toEqual({ shown: null, widths: {} });
    delete (globalThis as { localStorage?: unknown }).localStorage;
    expect(loadLayout('tickets')).toEqual({ shown: null, widths: {} });
  });
});
