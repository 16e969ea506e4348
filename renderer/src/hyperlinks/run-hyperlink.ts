/**
 * Runs a hyperlink of HyperLinks.xml for an alarm, from the context menu or from an alarm
 * column cell: Create Ticket opens its dialog (with the script's confirmation and
 * close-when-finished options), a URL opens in the browser, other scripts are explained.
 */
import type { MenuItem } from '../../../shared/domain.js';
import { callMain } from '../api.js';
import { openTicket } from '../components/ticket-link.js';
import { useAppStore } from '../store/store.js';
import { groupKeysFor } from '../views/group-ticket-request.js';

/** Runs `item` (already resolved for the alarm `alarmKey`). */
export function runHyperlink(item: MenuItem, alarmKey: string): void {
  const s = useAppStore.getState();
  if (item.error) {
    s.closeMenu();
    s.notify({ level: 'error', title: `${item.name} is not available`, message: item.error });
    return;
  }
  if (item.kind === 'create-ticket') {
    // A menu opened on a selected alarm acts on the whole selection: one ticket (issue 11).
    const group = groupKeysFor(s.selection, alarmKey);
    if ('error' in group) {
      s.closeMenu();
      s.notify({ level: 'error', title: 'Too many alarms for one ticket', message: group.error });
      return;
    }
    useAppStore.setState({
      menu: null,
      dialog: {
        alarmKey,
        params: item.params,
        confirm: item.confirm,
        closeWhenFinished: item.closeWhenFinished,
        ...(group.keys.length > 1 ? { groupKeys: group.keys } : {}),
      },
    });
    return;
  }
  s.closeMenu();
  if (item.kind === 'url' && item.url) {
    void openTicket(item.url);
    return;
  }
  s.notify({
    level: 'info',
    title: item.name,
    message: 'This console does not run DataMiner Automation scripts other than Create Ticket.',
  });
}

/**
 * An alarm column cell: resolves the alarm's menu now (filters and placeholders are main's)
 * and runs hyperlink `id` if it applies to this alarm, or says that it does not.
 */
export async function runHyperlinkForAlarm(
  alarmKey: string,
  id: string,
  name: string,
): Promise<void> {
  const s = useAppStore.getState();
  const entry = s.alarmIndex.get(alarmKey);
  if (!entry) return;
  const { dmaId, alarmId } = entry.alarm;
  const result = await callMain((api) => api.getAlarmMenu({ dmaId, alarmId }));
  if (!result.ok) {
    s.notify({ level: 'error', title: `${name} could not run`, message: result.error.message });
    return;
  }
  const item = result.value.find((i) => i.id === id);
  if (!item) {
    s.notify({
      level: 'info',
      title: name,
      message: `${name} does not apply to alarm ${alarmKey} (its filter in HyperLinks.xml leaves this alarm out).`,
    });
    return;
  }
  runHyperlink(item, alarmKey);
}
