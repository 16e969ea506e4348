/**
 * The window of a table that a view shows (issue 9 item 6): the rows around what is on screen,
 * asked from main through `tables:page` with the view's sort and filter, never the whole
 * table. The window follows the scroll position, and stays live: each change event of its
 * table re-fetches it, coalesced to at most one request per REFRESH_MS. One request is on its
 * way at a time; answers for an older sort or filter are dropped.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FailedRequestRow, TicketRow } from '../../../shared/domain.js';
import {
  TABLE_PAGE_MAX_ROWS,
  type FailedPageQuery,
  type TablePageQuery,
  type TicketPageQuery,
} from '../../../shared/table-page.js';
import { callMain, oceane } from '../api.js';

/** Rows fetched beyond each end of what is on screen, so that scrolling shows rows at once. */
export const WINDOW_PAD = 60;
/** The shortest time between two re-fetches caused by change events. */
export const REFRESH_MS = 250;

/** A query without its window: what the view sorts and filters by. */
export type TableViewQuery<Q extends TablePageQuery> = Omit<Q, 'offset' | 'limit'>;

/** The rows a table query answers. */
export type RowOf<Q extends TablePageQuery> = Q extends TicketPageQuery
  ? TicketRow
  : Q extends FailedPageQuery
    ? FailedRequestRow
    : never;

/** What the view shows: the rows from `offset`, the rows matching in all, and any error. */
export interface TableWindow<R> {
  rows: readonly R[];
  offset: number;
  total: number;
  /** False until the first answer for the current sort and filter. */
  loaded: boolean;
  /** Why the last window could not be fetched, or null. */
  error: string | null;
}

/** The window to ask for so that rows `start` to `end` (exclusive) are in it. */
export function windowAround(start: number, end: number): { offset: number; limit: number } {
  const offset = Math.max(0, start - WINDOW_PAD);
  const limit = Math.min(TABLE_PAGE_MAX_ROWS, Math.max(1, end + WINDOW_PAD - offset));
  return { offset, limit };
}

/** True when the window holds rows `start` to `end`, or all of them that exist. */
export function covers(
  window: { offset: number; rows: readonly unknown[]; total: number },
  start: number,
  end: number,
): boolean {
  const last = Math.min(end, window.total);
  return start >= window.offset && last <= window.offset + window.rows.length;
}

/** The row at `index` of the table, when the window holds it. */
export function rowAt<R>(window: TableWindow<R>, index: number): R | undefined {
  return window.rows[index - window.offset];
}

/**
 * The live window of one table for `query` (keep its identity stable: memoise it). Returns
 * the window and `showRange(start, end)`, which the table calls with the rows on screen.
 */
export function useTableWindow<Q extends TablePageQuery>(
  query: TableViewQuery<Q>,
): { window: TableWindow<RowOf<Q>>; showRange: (start: number, end: number) => void } {
  const [window, setWindow] = useState<TableWindow<RowOf<Q>>>({
    rows: [],
    offset: 0,
    total: 0,
    loaded: false,
    error: null,
  });
  /** The window last answered (the state, readable from callbacks). */
  const current = useRef(window);
  const range = useRef({ start: 0, end: 60 });
  const queryRef = useRef(query);
  // One request at a time; a scroll or change meanwhile asks again once it has answered.
  const inFlight = useRef(false);
  const again = useRef(false);
  /** Grows with each new sort or filter: answers for an older one are dropped. */
  const generation = useRef(0);

  const fetchWindow = useCallback(async (): Promise<void> => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    try {
      do {
        again.current = false;
        const asked = generation.current;
        const { offset, limit } = windowAround(range.current.start, range.current.end);
        const result = await callMain((api) =>
          api.tablePage({ ...queryRef.current, offset, limit } as TablePageQuery),
        );
        if (asked !== generation.current) {
          again.current = true;
          continue;
        }
        if (!result.ok) {
          setWindow((w) => ({ ...w, loaded: true, error: result.error.message }));
          continue;
        }
        const page = result.value;
        const next: TableWindow<RowOf<Q>> = {
          rows: page.rows as unknown as readonly RowOf<Q>[],
          offset: page.offset,
          total: page.total,
          loaded: true,
          error: null,
        };
        current.current = next;
        setWindow(next);
        // Scrolled on while this window was on its way.
        if (!covers(next, range.current.start, range.current.end)) again.current = true;
      } while (again.current);
    } finally {
      inFlight.current = false;
    }
  }, []);

  // A new sort or filter: the window starts again at the top.
  useEffect(() => {
    queryRef.current = query;
    generation.current++;
    range.current = { start: 0, end: range.current.end - range.current.start };
    void fetchWindow();
  }, [query, fetchWindow]);

  // Live: each change of the table re-fetches the window, at most once per REFRESH_MS.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastAt = 0;
    const refresh = (): void => {
      if (timer !== null) return;
      const wait = Math.max(0, lastAt + REFRESH_MS - Date.now());
      timer = setTimeout(() => {
        timer = null;
        lastAt = Date.now();
        void fetchWindow();
      }, wait);
    };
    const channel = query.table === 'tickets' ? 'tickets:changed' : 'failed:changed';
    const off = oceane().on(channel, refresh);
    return () => {
      off();
      if (timer !== null) clearTimeout(timer);
    };
  }, [query.table, fetchWindow]);

  const showRange = useCallback(
    (start: number, end: number): void => {
      range.current = { start, end };
      if (!covers(current.current, start, end)) void fetchWindow();
    },
    [fetchWindow],
  );

  return { window, showRange };
}
