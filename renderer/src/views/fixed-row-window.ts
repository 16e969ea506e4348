/**
 * Which rows of a fixed-height grid are on screen (plus a margin), worked out from the scroll
 * position by arithmetic. A general virtualiser (TanStack Virtual) keeps one measurement per
 * row and rebuilds all of them whenever the row count changes: with 100,000 alarms, every live
 * batch that adds or removes an alarm cost a 100,000-object rebuild. Here the cost of a render
 * is the rows shown, whatever the count, and the grid re-renders on scroll only when the first
 * row shown changes.
 */
import { useCallback, useLayoutEffect, useState, type RefObject } from 'react';

/** One row to render: its index and its top in the scroll content, pixels. */
export interface WindowRow {
  index: number;
  start: number;
}

/** What the grid needs of its row window. */
export interface FixedRowWindow {
  rows: WindowRow[];
  /** Height of all rows, pixels. */
  totalSize: number;
  /** Scrolls just enough for row `index` to be fully in view below the header. */
  scrollToIndex: (index: number) => void;
}

/** The rows `[from, to)` to render for the first row on screen and the rows that fit. */
export function windowRange(
  count: number,
  first: number,
  fit: number,
  overscan: number,
): { from: number; to: number } {
  const from = Math.max(0, Math.min(first, count) - overscan);
  const to = Math.min(count, first + fit + overscan);
  return { from, to: Math.max(from, to) };
}

/**
 * The rows of a grid of `count` rows of `rowHeight` pixels in the scroll element `scrollRef`,
 * below a sticky header of `headerHeight` pixels, with `overscan` rows more on each side.
 */
export function useFixedRowWindow(options: {
  count: number;
  rowHeight: number;
  headerHeight: number;
  overscan: number;
  scrollRef: RefObject<HTMLElement | null>;
}): FixedRowWindow {
  const { count, rowHeight, headerHeight, overscan, scrollRef } = options;
  const [first, setFirst] = useState(0);
  const [height, setHeight] = useState(0);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const update = (): void => {
      setFirst(Math.floor(el.scrollTop / rowHeight));
      setHeight(el.clientHeight);
    };
    update();
    el.addEventListener('scroll', update, { passive: true });
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(update) : null;
    observer?.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      observer?.disconnect();
    };
  }, [scrollRef, rowHeight]);

  const fit = Math.ceil(Math.max(height, rowHeight) / rowHeight) + 1;
  const { from, to } = windowRange(count, first, fit, overscan);
  const rows: WindowRow[] = [];
  for (let i = from; i < to; i++) rows.push({ index: i, start: headerHeight + i * rowHeight });

  const scrollToIndex = useCallback(
    (index: number) => {
      const el = scrollRef.current;
      if (!el) return;
      const top = index * rowHeight;
      const bottom = top + rowHeight + headerHeight;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (bottom > el.scrollTop + el.clientHeight) el.scrollTop = bottom - el.clientHeight;
    },
    [scrollRef, rowHeight, headerHeight],
  );

  return { rows, totalSize: count * rowHeight, scrollToIndex };
}
