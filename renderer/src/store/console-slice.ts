/**
 * The alarm console's working state: the selection (several alarms, with an anchor for Shift
 * ranges), the columns, the detail pane, the comment dialog, why live changes are held and
 * how many wait, and the console settings from main.
 */
import type { ConsoleSettings } from '../../../shared/domain.js';
import { clampWidth } from '../alarms/alarm-columns.js';
import type { AlarmColumn } from '../alarms/alarm-index.js';
import { loadViewState } from '../alarms/view-state.js';
import type { SliceCreator } from './store-types.js';

/** Why the grid holds live changes besides an open menu or dialog. */
export type HoldReason = 'pointer' | 'selecting';

/** The console slice. */
export interface ConsoleSlice {
  /** Keys of the selected alarms; the focused one is `selectedAlarmKey`. */
  selection: ReadonlySet<string>;
  /** Where a Shift range starts. */
  selectionAnchor: string | null;
  hiddenColumns: ReadonlySet<AlarmColumn>;
  columnWidths: Readonly<Partial<Record<AlarmColumn, number>>>;
  detailOpen: boolean;
  /** The alarms the Add Comment dialog is open for, or null. */
  commentFor: readonly string[] | null;
  holdReasons: ReadonlySet<HoldReason>;
  /** How many alarms have live changes waiting while the grid holds still. */
  heldChanges: number;
  consoleSettings: ConsoleSettings | null;
  /** How many alarms the grid shows (the filter's result), for "446 of 501". */
  alarmShown: number;
  /** Replaces the selection; the focus moves to `focus` (default: the anchor). */
  setSelection: (keys: Iterable<string>, anchor: string | null, focus?: string | null) => void;
  /** Adds or removes one alarm from the selection and focuses it (Ctrl+click, Ctrl+Space). */
  toggleSelected: (key: string) => void;
  toggleColumn: (column: AlarmColumn) => void;
  setColumnWidth: (column: AlarmColumn, width: number) => void;
  setDetailOpen: (open: boolean) => void;
  openComment: (keys: readonly string[]) => void;
  closeComment: () => void;
  setHold: (reason: HoldReason, on: boolean) => void;
  setConsoleSettings: (settings: ConsoleSettings) => void;
}

const initial = loadViewState();

/** The console slice creator. */
export const createConsoleSlice: SliceCreator<ConsoleSlice> = (set, get) => ({
  selection: new Set(),
  selectionAnchor: null,
  hiddenColumns: initial.hiddenColumns,
  columnWidths: initial.columnWidths,
  detailOpen: initial.detailOpen,
  commentFor: null,
  holdReasons: new Set(),
  heldChanges: 0,
  consoleSettings: null,
  alarmShown: 0,
  setSelection: (keys, anchor, focus) =>
    set({
      selection: new Set(keys),
      selectionAnchor: anchor,
      selectedAlarmKey: focus === undefined ? anchor : focus,
    }),
  toggleSelected: (key) => {
    const next = new Set(get().selection);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    set({ selection: next, selectionAnchor: key, selectedAlarmKey: key });
  },
  toggleColumn: (column) => {
    const next = new Set(get().hiddenColumns);
    if (next.has(column)) next.delete(column);
    else next.add(column);
    set({ hiddenColumns: next });
  },
  setColumnWidth: (column, width) =>
    set({ columnWidths: { ...get().columnWidths, [column]: clampWidth(width) } }),
  setDetailOpen: (open) => set({ detailOpen: open }),
  openComment: (keys) => set({ commentFor: keys, menu: null }),
  closeComment: () => set({ commentFor: null }),
  setHold: (reason, on) => {
    const current = get().holdReasons;
    if (current.has(reason) === on) return;
    const next = new Set(current);
    if (on) next.add(reason);
    else next.delete(reason);
    set({ holdReasons: next });
  },
  setConsoleSettings: (settings) => set({ consoleSettings: settings }),
});
