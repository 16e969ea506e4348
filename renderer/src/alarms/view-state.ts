/**
 * The alarm console's view state kept across restarts: sort, filter, severity toggles,
 * columns (shown, widths) and the detail pane, in the renderer's localStorage (the app's own
 * origin). Read once at start; anything missing or invalid takes its default.
 */
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../../../shared/domain.js';
import { DEFAULT_HIDDEN_COLUMNS, clampWidth } from './alarm-columns.js';
import { ALARM_COLUMNS, type AlarmColumn, type AlarmSort } from './alarm-index.js';

/** The storage key (versioned, so a later shape does not misread this one). */
export const VIEW_STATE_KEY = 'oceane.alarm-console.view.v1';

/** What is kept. */
export interface AlarmViewState {
  sort: AlarmSort;
  filter: string;
  severities: ReadonlySet<Severity>;
  hiddenColumns: ReadonlySet<AlarmColumn>;
  columnWidths: Readonly<Partial<Record<AlarmColumn, number>>>;
  detailOpen: boolean;
}

/** The default view: severity then time, everything shown, the default columns. */
export function defaultViewState(): AlarmViewState {
  return {
    sort: { column: 'severity', direction: 'ascending' },
    filter: '',
    severities: new Set(SEVERITIES),
    hiddenColumns: new Set(DEFAULT_HIDDEN_COLUMNS),
    columnWidths: {},
    detailOpen: false,
  };
}

const column = z.enum(ALARM_COLUMNS);
const storedSchema = z.object({
  sort: z
    .object({ column, direction: z.enum(['ascending', 'descending']) })
    .optional()
    .catch(undefined),
  filter: z.string().max(500).optional().catch(undefined),
  severities: z.array(z.enum(SEVERITIES)).optional().catch(undefined),
  hiddenColumns: z.array(column).optional().catch(undefined),
  columnWidths: z.record(z.string(), z.number()).optional().catch(undefined),
  detailOpen: z.boolean().optional().catch(undefined),
});

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** Reads the kept view state, falling back to the default field by field. */
export function loadViewState(): AlarmViewState {
  const view = defaultViewState();
  let raw: unknown;
  try {
    raw = JSON.parse(storage()?.getItem(VIEW_STATE_KEY) ?? 'null');
  } catch {
    return view;
  }
  const parsed = storedSchema.safeParse(raw);
  if (!parsed.success) return view;
  const v = parsed.data;
  const widths: Partial<Record<AlarmColumn, number>> = {};
  for (const [c, w] of Object.entries(v.columnWidths ?? {})) {
    if ((ALARM_COLUMNS as readonly string[]).includes(c) && Number.isFinite(w)) {
      widths[c as AlarmColumn] = clampWidth(w);
    }
  }
  return {
    sort: v.sort ?? view.sort,
    filter: v.filter ?? view.filter,
    severities: v.severities ? new Set(v.severities) : view.severities,
    hiddenColumns: v.hiddenColumns ? new Set(v.hiddenColumns) : view.hiddenColumns,
    columnWidths: widths,
    detailOpen: v.detailOpen ?? view.detailOpen,
  };
}

/** Keeps the view state; a full or refused storage only loses the view, never the app. */
export function saveViewState(view: AlarmViewState): void {
  try {
    storage()?.setItem(
      VIEW_STATE_KEY,
      JSON.stringify({
        sort: view.sort,
        filter: view.filter,
        severities: [...view.severities],
        hiddenColumns: [...view.hiddenColumns],
        columnWidths: view.columnWidths,
        detailOpen: view.detailOpen,
      }),
    );
  } catch {
    // Storage full or disabled: the view is simply not kept.
  }
}
