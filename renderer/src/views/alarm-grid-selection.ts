/**
 * How the alarm grid's selection follows the mouse and keyboard, as in a file manager or
 * DataMiner Cube: click selects one alarm, Ctrl+click adds or removes one, Shift+click selects
 * the range from the anchor; arrows move and select, Shift+arrows extend, Ctrl+arrows move the
 * focus only and Ctrl+Space toggles the focused alarm; Ctrl+A selects every visible alarm.
 * Operator action keys run on the selection (alarm-operator-actions.ts).
 */
import type { AlarmEntry } from '../alarms/alarm-index.js';
import { useAppStore } from '../store/store.js';
import { actionForKey, actionTargets, runAlarmAction } from './alarm-operator-actions.js';

/** The keys from `anchor` to `to` in the visible order (just `to` when the anchor is gone). */
export function rangeSelect(
  visible: readonly AlarmEntry[],
  anchor: string | null,
  to: string,
): string[] {
  const end = visible.findIndex((e) => e.key === to);
  const start = anchor === null ? -1 : visible.findIndex((e) => e.key === anchor);
  if (end < 0) return [to];
  if (start < 0) return [to];
  const [lo, hi] = start <= end ? [start, end] : [end, start];
  return visible.slice(lo, hi + 1).map((e) => e.key);
}

/** Selects on a mouse click on the row of `key`, with the modifiers held. */
export function clickSelect(
  visible: readonly AlarmEntry[],
  key: string,
  mods: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean },
): void {
  const s = useAppStore.getState();
  if (mods.shiftKey) {
    s.setSelection(rangeSelect(visible, s.selectionAnchor, key), s.selectionAnchor ?? key, key);
  } else if (mods.ctrlKey || mods.metaKey) s.toggleSelected(key);
  else s.selectAlarm(key);
}

/** What the grid lends the key handler. */
export interface GridKeyContext {
  visible: readonly AlarmEntry[];
  /** Rows per page. */
  page: number;
  scrollTo: (index: number) => void;
}

/** Handles the grid's navigation, selection and action keys; true when the key was used. */
export function gridKeyAction(
  e: { key: string; shiftKey: boolean; ctrlKey: boolean; altKey: boolean; metaKey: boolean },
  ctx: GridKeyContext,
): boolean {
  const s = useAppStore.getState();
  const { visible } = ctx;
  const count = visible.length;
  const ctrl = e.ctrlKey || e.metaKey;
  if (ctrl && !e.altKey && e.key.toLowerCase() === 'a') {
    s.setSelection(
      visible.map((x) => x.key),
      visible[0]?.key ?? null,
      s.selectedAlarmKey,
    );
    return true;
  }
  if (ctrl && e.key === ' ') {
    if (s.selectedAlarmKey) s.toggleSelected(s.selectedAlarmKey);
    return true;
  }
  if (!ctrl && !e.altKey && (e.key === 'i' || e.key === 'I')) {
    s.setDetailOpen(!s.detailOpen);
    return true;
  }
  const action = actionForKey(e);
  if (action) {
    void runAlarmAction(action, actionTargets());
    return true;
  }
  const moves: Record<string, number> = {
    ArrowDown: 1,
    ArrowUp: -1,
    PageDown: ctx.page,
    PageUp: -ctx.page,
    Home: -Infinity,
    End: Infinity,
  };
  const delta = moves[e.key];
  if (delta === undefined || count === 0) return false;
  const current = s.selectedAlarmKey ? visible.findIndex((x) => x.key === s.selectedAlarmKey) : -1;
  const next =
    current < 0 && Number.isFinite(delta)
      ? delta > 0
        ? 0
        : count - 1
      : Math.min(count - 1, Math.max(0, current + delta));
  const key = visible[next]!.key;
  if (e.shiftKey) {
    const anchor = s.selectionAnchor ?? s.selectedAlarmKey ?? key;
    s.setSelection(rangeSelect(visible, anchor, key), anchor, key);
  } else if (ctrl) useAppStore.setState({ selectedAlarmKey: key });
  else s.selectAlarm(key);
  ctx.scrollTo(next);
  return true;
}
