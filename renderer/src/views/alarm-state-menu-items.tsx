/**
 * The operator actions at the top of an alarm's context menu: Acknowledge or Unacknowledge,
 * Take or Release Ownership, Add Comment, each on every selected alarm, with its key. With
 * several alarms selected, a note says that the HyperLinks items below (Create Ticket among
 * them) still act on the alarm that was right-clicked.
 */
import type { AlarmActionKind } from '../../../shared/domain.js';
import { useAppStore } from '../store/store.js';
import {
  ACTION_KEYS,
  ACTION_LABELS,
  actionTargets,
  runAlarmAction,
} from './alarm-operator-actions.js';

/** The operator action items for the menu's alarm and the selection it belongs to. */
export function AlarmStateMenuItems({ alarmKey }: { alarmKey: string }) {
  const selected = useAppStore((s) => s.selection.size);
  const entry = useAppStore.getState().alarmIndex.get(alarmKey);
  const state = entry?.alarm.state;
  const many = selected > 1;
  const actions: AlarmActionKind[] = [
    // On one alarm, the item that applies; on several, both.
    ...(many || !state?.acknowledgedBy ? (['acknowledge'] as const) : []),
    ...(many || state?.acknowledgedBy ? (['unacknowledge'] as const) : []),
    ...(many || !state?.owner ? (['take-ownership'] as const) : []),
    ...(many || state?.owner ? (['release'] as const) : []),
    'comment',
  ];
  return (
    <>
      {actions.map((action) => (
        <button
          key={action}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className="menu-item"
          onClick={() => void runAlarmAction(action, actionTargets())}
        >
          {ACTION_LABELS[action]}
          {many ? ` (${selected})` : ''}
          <span className="menu-key" aria-hidden="true">
            {ACTION_KEYS[action]}
          </span>
        </button>
      ))}
      <div className="menu-separator" role="separator" />
      {many ? (
        <div className="menu-note">
          The items below act on the alarm you right-clicked only; one ticket per alarm for now.
        </div>
      ) : null}
    </>
  );
}
