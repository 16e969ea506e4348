/**
 * The shape of the renderer's one zustand store, as typed slices. Each slice owns its state
 * and the actions beside it (zustand slices pattern); events from main reach it through
 * `setState` in `bridge.ts`.
 */
import type { StateCreator } from 'zustand';
import type {
  AppInfo,
  FailedRequestRow,
  IntegrationHealth,
  MenuItem,
  QueueStatus,
  SettingsView,
  Severity,
  TicketRow,
} from '../../../shared/domain.js';
import type { AlarmColumn, AlarmIndex, AlarmSort } from '../alarms/alarm-index.js';
import type { ConsoleSlice } from './console-slice.js';
import type { AlarmTicketFlags } from './ticket-flags.js';

/** The alarms: the index (mutable, see AlarmIndex), its version, and the console's view. */
export interface AlarmsSlice {
  alarmIndex: AlarmIndex;
  alarmsVersion: number;
  alarmsLoaded: boolean;
  alarmFilter: string;
  alarmSeverities: ReadonlySet<Severity>;
  alarmSort: AlarmSort;
  setAlarmFilter: (text: string) => void;
  toggleAlarmSeverity: (severity: Severity) => void;
  sortAlarmsBy: (column: AlarmColumn) => void;
}

/**
 * The ticket rows that changed lately (never the whole table: views fetch windows, see
 * table-window.ts), and which alarms show a Pending or Failed request.
 */
export interface TicketsSlice {
  /** The last RECENT_ROWS ticket rows that `tickets:changed` brought, by Instance. */
  recentTickets: ReadonlyMap<string, TicketRow>;
  ticketsLoaded: boolean;
  /** The Pending/Failed flag per alarm (mutable, see AlarmTicketFlags), and its version. */
  ticketFlags: AlarmTicketFlags;
  ticketFlagsVersion: number;
  /** Shows the alarm pending at once after the operator queued `instance` for it. */
  markAlarmQueued: (alarmKey: string, instance: string) => void;
}

/** The Failed Ticket Requests rows that changed lately, and how many rows the table holds. */
export interface FailedSlice {
  /** The last RECENT_ROWS failed-request rows that `failed:changed` brought, by Instance. */
  recentFailed: ReadonlyMap<string, FailedRequestRow>;
  /** Rows in the Failed Ticket Requests table (the navigation's count). */
  failedTotal: number;
  failedLoaded: boolean;
}

/** The processing lock and the Pending Ticket Creation Queue. */
export interface QueueSlice {
  queue: QueueStatus | null;
  /** The integration health light (main computes it; issue 12). */
  health: IntegrationHealth | null;
}

/** The settings as main reports them, and the app's start-up facts. */
export interface SettingsSlice {
  settings: SettingsView | null;
  appInfo: AppInfo | null;
}

/** A button on a toast that takes the operator to a view. */
export interface ToastAction {
  label: string;
  view: ViewName;
  /** The ticket whose Failed Ticket Requests row the view selects (issue 12). */
  failedTicket?: string;
}

/** A notification shown as a toast. */
export interface Toast {
  id: string;
  level: 'success' | 'info' | 'warning' | 'error';
  title: string;
  message: string;
  /** Warnings and errors of one group collapse into one toast when many pile up. */
  group?: string;
  /** How many notifications this toast stands for (a collapsed group); 1 when absent. */
  count?: number;
  action?: ToastAction;
}

/** Notifications: from main's `notice` event, start-up notices and local actions. */
export interface NoticesSlice {
  toasts: readonly Toast[];
  notify: (toast: Omit<Toast, 'id'> & { id?: string }) => void;
  /** Shows `toast`, replacing the one with its id (a ticket's requested, created, failed). */
  upsertToast: (toast: Toast) => void;
  dismissToast: (id: string) => void;
  /** The ticket whose Failed Ticket Requests row is selected, from a notice's action. */
  focusedFailedTicket: string | null;
  /** Opens Failed Ticket Requests with the row of `ticketInstance` selected. */
  showFailedRequest: (ticketInstance: string) => void;
}

/** The views of the app shell. */
export type ViewName = 'alarms' | 'tickets' | 'failed' | 'settings' | 'debug';

/** An open context menu: which alarm, where, and its items once known. */
export interface MenuState {
  alarmKey: string;
  x: number;
  y: number;
  items: readonly MenuItem[] | null;
  error: string | null;
}

/** The open Create Ticket dialog: the alarm and the parameters its hyperlink passed. */
export interface CreateTicketDialogState {
  alarmKey: string;
  params: Readonly<Record<string, string>>;
  /** The hyperlink's script options: confirm before sending (no `NoConfirmation`)… */
  confirm?: boolean;
  /** …and close once queued (`CloseWhenFinished`); otherwise stay open on the outcome. */
  closeWhenFinished?: boolean;
  /** A selection's dialog (issue 11): its alarms, the one the menu was opened on first. */
  groupKeys?: readonly string[];
  /** Set once queued when the dialog stays open: the request whose outcome it shows. */
  outcomeInstance?: string;
}

/** What the operator is doing: the view, the selected alarm, an open menu or dialog. */
export interface UiSlice {
  view: ViewName;
  selectedAlarmKey: string | null;
  menu: MenuState | null;
  dialog: CreateTicketDialogState | null;
  setView: (view: ViewName) => void;
  selectAlarm: (key: string | null) => void;
  openAlarmMenu: (alarmKey: string, x: number, y: number) => void;
  closeMenu: () => void;
  openCreateTicket: (alarmKey: string, params: Readonly<Record<string, string>>) => void;
  closeDialog: () => void;
  /** Closes the dialog only if it is still `which` (not one opened since for another alarm). */
  closeDialogIfOpen: (which: CreateTicketDialogState) => void;
}

/** The whole store. */
export type AppState = AlarmsSlice &
  TicketsSlice &
  FailedSlice &
  QueueSlice &
  SettingsSlice &
  NoticesSlice &
  UiSlice &
  ConsoleSlice;

/** A slice creator over the whole store. */
export type SliceCreator<T> = StateCreator<AppState, [], [], T>;
