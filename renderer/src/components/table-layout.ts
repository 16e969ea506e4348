/**
 * Which columns a ticket table shows and how wide each is (issue 12 item 2), remembered per
 * table in the renderer's localStorage like the alarm console's view state. The default
 * columns fit a 1280 px window; the others are one click away in the column chooser.
 * Whatever is read back is checked: a damaged or old entry gives the defaults.
 */
import { useCallback, useState } from 'react';
import { z } from 'zod';

/** The layout facts of one column. */
export interface LayoutColumn {
  id: string;
  header: string;
  /** Default width in px. */
  width: number;
  /** Not shown until the operator chooses it. */
  hiddenByDefault?: boolean;
  /** Always shown (the chooser does not offer to hide it): Status, the row's actions. */
  alwaysShown?: boolean;
}

/** The narrowest and widest a column may be made. */
export const WIDTH_BOUNDS = { min: 48, max: 800 } as const;

const clamp = (width: number): number =>
  Math.round(Math.min(WIDTH_BOUNDS.max, Math.max(WIDTH_BOUNDS.min, width)));

const storedSchema = z.object({
  shown: z.array(z.string()).optional().catch(undefined),
  widths: z.record(z.string(), z.number()).optional().catch(undefined),
});

/** What is kept per table. */
export interface TableLayoutState {
  /** Column ids shown, in table order; null: the defaults. */
  shown: readonly string[] | null;
  widths: Readonly<Record<string, number>>;
}

/** The storage key of a table's layout. */
export const layoutKey = (table: string): string => `oceane.table-layout.${table}.v1`;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** The layout kept for `table`, or the defaults. */
export function loadLayout(table: string): TableLayoutState {
  try {
    const raw = storage()?.getItem(layoutKey(table));
    const parsed = storedSchema.safeParse(raw ? JSON.parse(raw) : {});
    if (!parsed.success) return { shown: null, widths: {} };
    const widths: Record<string, number> = {};
    for (const [id, w] of Object.entries(parsed.data.widths ?? {})) {
      if (Number.isFinite(w)) widths[id] = clamp(w);
    }
    return { shown: parsed.data.shown ?? null, widths };
  } catch {
    return { shown: null, widths: {} };
  }
}

function saveLayout(table: string, layout: TableLayoutState): void {
  try {
    storage()?.setItem(layoutKey(table), JSON.stringify(layout));
  } catch {
    // A full or refused storage only loses the layout, never the data.
  }
}

/** The columns shown under `layout`, in table order. */
export function shownColumns<C extends LayoutColumn>(
  columns: readonly C[],
  layout: TableLayoutState,
): C[] {
  const chosen = layout.shown === null ? null : new Set(layout.shown);
  return columns.filter((c) =>
    c.alwaysShown ? true : chosen === null ? !c.hiddenByDefault : chosen.has(c.id),
  );
}

/** A table's shown columns and widths, with the operator's changes to them. */
export interface TableLayout<C extends LayoutColumn> {
  shown: readonly C[];
  widthOf(c: LayoutColumn): number;
  setWidth(c: LayoutColumn, width: number): void;
  isShown(c: LayoutColumn): boolean;
  toggle(c: LayoutColumn): void;
  reset(): void;
}

/** A table's layout with its actions; each change is remembered at once. */
export function useTableLayout<C extends LayoutColumn>(
  table: string,
  columns: readonly C[],
): TableLayout<C> {
  const [layout, setLayout] = useState(() => loadLayout(table));
  const update = useCallback(
    (next: TableLayoutState) => {
      setLayout(next);
      saveLayout(table, next);
    },
    [table],
  );
  const shown = shownColumns(columns, layout);
  return {
    shown,
    widthOf: (c: LayoutColumn): number => layout.widths[c.id] ?? c.width,
    setWidth: (c: LayoutColumn, width: number): void =>
      update({ ...layout, widths: { ...layout.widths, [c.id]: clamp(width) } }),
    isShown: (c: LayoutColumn): boolean => shown.includes(c as C),
    toggle: (c: LayoutColumn): void => {
      const ids = new Set(shown.map((s) => s.id));
      if (ids.has(c.id)) ids.delete(c.id);
      else ids.add(c.id);
      update({ ...layout, shown: columns.filter((x) => ids.has(x.id)).map((x) => x.id) });
    },
    reset: (): void => update({ shown: null, widths: {} }),
  };
}
