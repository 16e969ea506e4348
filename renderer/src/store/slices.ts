/**
 * The slices of the store, each with its state and actions. Data from main arrives only
 * through `bridge.ts`; these actions are the operator's.
 */
import { SEVERITIES, type Severity, type TicketRow } from '../../../shared/domain.js';
import { AlarmIndex } from '../alarms/alarm-index.js';
import { oceane } from '../api.js';
import type {
  AlarmsSlice,
  FailedSlice,
  NoticesSlice,
  QueueSlice,
  SettingsSlice,
  SliceCreator,
  TicketsSlice,
  UiSlice,
} from './store-types.js';

/** The alarm console's data and view. */
export const createAlarmsSlice: SliceCreator<AlarmsSlice> = (set, get) => ({
  alarmIndex: new AlarmIndex(),
  alarmsVersion: 0,
  alarmsLoaded: false,
  alarmFilter: '',
  alarmSeverities: new Set<Severity>(SEVERITIES),
  alarmSort: { column: 'time', direction: 'descending' },
  setAlarmFilter: (text) => set({ alarmFilter: text }),
  toggleAlarmSeverity: (severity) => {
    const next = new Set(get().alarmSeverities);
    if (next.has(severity)) next.delete(severity);
    else next.add(severity);
    set({ alarmSeverities: next });
  },
  sortAlarmsBy: (column) => {
    const current = get().alarmSort;
    const direction =
      current.column === column && current.direction === 'ascending' ? 'descending' : 'ascending';
    set({ alarmSort: { column, direction } });
  },
});

/** The alarms with a Pending row in the Tickets table. */
export function pendingKeysOf(tickets: Iterable<TicketRow>): Set<string> {
  const keys = new Set<string>();
  for (const t of tickets) if (t.status === 'Pending') keys.add(`${t.dmaId}/${t.alarmId}`);
  return keys;
}

/** The Tickets table. */
export const createTicketsSlice: SliceCreator<TicketsSlice> = (set, get) => ({
  tickets: new Map(),
  ticketsLoaded: false,
  pendingAlarmKeys: new Set(),
  markAlarmPending: (key) => {
    const next = new Set(get().pendingAlarmKeys);
    next.add(key);
    set({ pendingAlarmKeys: next });
  },
});

/** The Failed Ticket Requests table. */
export const createFailedSlice: SliceCreator<FailedSlice> = () => ({
  failed: new Map(),
  failedLoaded: false,
});

/** The processing lock and pending queue. */
export const createQueueSlice: SliceCreator<QueueSlice> = () => ({ queue: null });

/** Settings and app info. */
export const createSettingsSlice: SliceCreator<SettingsSlice> = () => ({
  settings: null,
  appInfo: null,
});

let toastSeq = 0;
const AUTO_DISMISS_MS = 8000;

/** Toasts. Successes and information fade; warnings and errors stay until dismissed. */
export const createNoticesSlice: SliceCreator<NoticesSlice> = (set, get) => ({
  toasts: [],
  notify: (toast) => {
    const id = toast.id ?? `local-${++toastSeq}`;
    if (get().toasts.some((t) => t.id === id)) return;
    const next = [...get().toasts, { ...toast, id }];
    set({ toasts: next.slice(-6) });
    if (toast.level === 'success' || toast.level === 'info') {
      setTimeout(() => get().dismissToast(id), AUTO_DISMISS_MS);
    }
  },
  dismissToast: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
});

/** The operator's place in the app. */
export const createUiSlice: SliceCreator<UiSlice> = (set, get) => ({
  view: 'alarms',
  selectedAlarmKey: null,
  menu: null,
  dialog: null,
  setView: (view) => set({ view, menu: null }),
  selectAlarm: (key) => set({ selectedAlarmKey: key }),
  openAlarmMenu: (alarmKey, x, y) => {
    set({ selectedAlarmKey: alarmKey, menu: { alarmKey, x, y, items: null, error: null } });
    const entry = get().alarmIndex.get(alarmKey);
    if (!entry) return;
    const { dmaId, alarmId } = entry.alarm;
    void oceane()
      .getAlarmMenu({ dmaId, alarmId })
      .then(
        (result) => {
          const menu = get().menu;
          if (!menu || menu.alarmKey !== alarmKey) return;
          set({
            menu: result.ok
              ? { ...menu, items: result.value }
              : { ...menu, items: [], error: result.error.message },
          });
        },
        (error: unknown) => {
          const menu = get().menu;
          if (!menu || menu.alarmKey !== alarmKey) return;
          set({ menu: { ...menu, items: [], error: String(error) } });
        },
      );
  },
  closeMenu: () => set({ menu: null }),
  openCreateTicket: (alarmKey, params) => set({ menu: null, dialog: { alarmKey, params } }),
  closeDialog: () => set({ dialog: null }),
});
