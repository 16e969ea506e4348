/**
 * The operator's actions on alarms (acknowledge, take ownership, comment…) as the context
 * menu, the keyboard and the detail pane run them: on every selected alarm, through main, as
 * the operator named in the settings; the outcome is told in a toast.
 */
import type { AlarmActionKind } from '../../../shared/domain.js';
import { callMain } from '../api.js';
import { useAppStore } from '../store/store.js';

/** What each action is called, in menus and toasts. */
export const ACTION_LABELS: Record<AlarmActionKind, string> = {
  acknowledge: 'Acknowledge',
  unacknowledge: 'Unacknowledge',
  'take-ownership': 'Take Ownership',
  release: 'Release Ownership',
  comment: 'Add Comment…',
};

/** The key that runs each action on the selection in the grid (shown in the menu). */
export const ACTION_KEYS: Record<AlarmActionKind, string> = {
  acknowledge: 'A',
  unacknowledge: 'Shift+A',
  'take-ownership': 'O',
  release: 'Shift+O',
  comment: 'C',
};

/** The action of a key press in the grid, or null. */
export function actionForKey(e: {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}): AlarmActionKind | null {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  switch (e.key.toLowerCase()) {
    case 'a':
      return e.shiftKey ? 'unacknowledge' : 'acknowledge';
    case 'o':
      return e.shiftKey ? 'release' : 'take-ownership';
    case 'c':
      return e.shiftKey ? null : 'comment';
    default:
      return null;
  }
}

/** The keys the actions apply to: the selection, or the focused alarm when none is selected. */
export function actionTargets(): string[] {
  const s = useAppStore.getState();
  if (s.selection.size > 0) return [...s.selection];
  return s.selectedAlarmKey ? [s.selectedAlarmKey] : [];
}

function toKey(key: string): { dmaId: string; alarmId: string } {
  const [dmaId = '', alarmId = ''] = key.split('/');
  return { dmaId, alarmId };
}

/**
 * Runs an action on `keys` (Add Comment opens its dialog instead). Resolves once main has
 * answered; the grid shows the change when it comes back as an alarm batch.
 */
export async function runAlarmAction(
  action: AlarmActionKind,
  keys: readonly string[],
  comment?: string,
): Promise<boolean> {
  const s = useAppStore.getState();
  if (keys.length === 0) return false;
  if (action === 'comment' && comment === undefined) {
    s.openComment(keys);
    return false;
  }
  s.closeMenu();
  const result = await callMain((api) =>
    api.actOnAlarms({ keys: keys.map(toKey), action, ...(comment ? { comment } : {}) }),
  );
  const label = ACTION_LABELS[action].replace('…', '');
  if (!result.ok) {
    s.notify({ level: 'error', title: `${label} failed`, message: result.error.message });
    return false;
  }
  const { changed, missing } = result.value;
  const gone = missing.length > 0 ? ` ${missing.length} alarm(s) had already gone.` : '';
  s.notify({
    level: missing.length > 0 ? 'warning' : 'success',
    title: label,
    message: `${changed} of ${keys.length} alarm(s) changed.${gone}`,
  });
  return true;
}
