/**
 * The slices of the store, each with its state and actions. Data from main arrives only
 * through `bridge.ts`; these actions are the operator's.
 */
import { AlarmIndex } from '../alarms/alarm-index.js';
import { loadViewState } from '../alarms/view-state.js';
import { callMain } from '../api.js';
import type {
  AlarmsSlice,
  FailedSlice,
  NoticesSlice,
  QueueSlice,
  SettingsSlice,
  SliceCreator,
  TicketsSlice,
  Toast,
  UiSlice,
} from './store-types.js';
import { AlarmTicketFlags } from './ticket-flags.js';
import { isPassing, pushToast, upsertToast } from './toast-stack.js';

const initialView = loadViewState();

/** The alarm console's data and view (the view as kept from the last run, see view-state). */
export const createAlarmsSlice: SliceCreator<AlarmsSlice> = (set, get) => ({
  alarmIndex: new AlarmIndex(),
  alarmsVersion: 0,
  alarmsLoaded: false,
  alarmFilter: initialView.filter,
  alarmSeverities: initialView.severities,
  alarmSort: initialView.sort,
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

/** The Tickets table. */
export const createTicketsSlice: SliceCreator<TicketsSlice> = (set, get) => ({
  recentTickets: new Map(),
  ticketsLoaded: false,
  ticketFlags: new AlarmTicketFlags(),
  ticketFlagsVersion: 0,
  markAlarmQueued: (alarmKey, instance) => {
    const flags = get().ticketFlags;
    if (flags.markQueued(alarmKey, instance)) set({ ticketFlagsVersion: flags.version });
  },
});

/** The Failed Ticket Requests table. */
export const createFailedSlice: SliceCreator<FailedSlice> = () => ({
  recentFailed: new Map(),
  failedTotal: 0,
  failedLoaded: false,
});

/** The processing lock and pending queue. */
export const createQueueSlice: SliceCreator<QueueSlice> = () => ({ queue: null, health: null });

/** Settings and app info. */
export const createSettingsSlice: SliceCreator<SettingsSlice> = () => ({
  settings: null,
  appInfo: null,
});

let toastSeq = 0;
/** Successes and information fade after this long. */
export const AUTO_DISMISS_MS = 5000;

/**
 * Toasts. Successes and information fade; warnings and errors stay until dismissed and are
 * never pushed out by later toasts (see toast-stack.ts). A toast that was replaced since
 * (a ticket's "requested" became "failed") is not dismissed by the old one's timer.
 */
export const createNoticesSlice: SliceCreator<NoticesSlice> = (set, get) => {
  const fadeLater = (toast: Toast): void => {
    if (!isPassing(toast)) return;
    setTimeout(() => {
      if (get().toasts.includes(toast)) get().dismissToast(toast.id);
    }, AUTO_DISMISS_MS);
  };
  return {
    toasts: [],
    notify: (toast) => {
      const shown: Toast = { ...toast, id: toast.id ?? `local-${++toastSeq}` };
      const current = get().toasts;
      const next = pushToast(current, shown);
      if (next === current) return;
      set({ toasts: next });
      fadeLater(shown);
    },
    upsertToast: (toast) => {
      set({ toasts: upsertToast(get().toasts, toast) });
      fadeLater(toast);
    },
    dismissToast: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
    focusedFailedTicket: null,
    showFailedRequest: (ticketInstance) => {
      set({ focusedFailedTicket: ticketInstance });
      // The view follows the hash (app.tsx), so Back returns where the operator was.
      window.location.hash = 'failed';
    },
  };
};

/** The operator's place in the app. */
export const createUiSlice: SliceCreator<UiSlice> = (set, get) => ({
  view: 'alarms',
  selectedAlarmKey: null,
  menu: null,
  dialog: null,
  setView: (view) => set({ view, menu: null }),
  selectAlarm: (key) =>
    set({ selectedAlarmKey: key, selection: new Set(key ? [key] : []), selectionAnchor: key }),
  openAlarmMenu: (alarmKey, x, y) => {
    // A menu on a selected alarm acts on the whole selection; on another, on that alarm.
    const keep = get().selection.has(alarmKey);
    set({
      selectedAlarmKey: alarmKey,
      ...(keep ? {} : { selection: new Set([alarmKey]), selectionAnchor: alarmKey }),
      menu: { alarmKey, x, y, items: null, error: null },
    });
    const entry = get().alarmIndex.get(alarmKey);
    if (!entry) return;
    const { dmaId, alarmId } = entry.alarm;
    void callMain((api) => api.getAlarmMenu({ dmaId, alarmId })).then((result) => {
      const menu = get().menu;
      if (!menu || menu.alarmKey !== alarmKey) return;
      set({
        menu: result.ok
          ? { ...menu, items: result.value }
          : {
              ...menu,
              items: [],
              error: `The actions of this alarm could not be loaded. ${result.error.message}`,
            },
      });
    });
  },
  closeMenu: () => set({ menu: null }),
  openCreateTicket: (alarmKey, params) => set({ menu: null, dialog: { alarmKey, params } }),
  closeDialog: () => set({ dialog: null }),
  closeDialogIfOpen: (which) => {
    if (get().dialog === which) set({ dialog: null });
  },
});
