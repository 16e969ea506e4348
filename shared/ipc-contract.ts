/**
 * The one contract between renderer and main: every request channel with the schema of its
 * payload, every event channel with the schema of what it carries, and the typed API object
 * that the renderer calls (`window.oceane`). The preload and the browser test harness build
 * the same object from different transports; the UI never knows which one it runs on.
 */
import { z } from 'zod';
import type {
  Alarm,
  AlarmAction,
  AlarmActionOutcome,
  ConsoleSettings,
  ConsoleSettingsUpdate,
  AlarmsChanged,
  AppInfo,
  AuthResult,
  CreateTicketOutcome,
  CreateTicketRequest,
  ExistingTicket,
  FailedRequestRow,
  FailedRequestsChanged,
  IntegrationHealth,
  HyperLinkColumn,
  MenuItem,
  Notice,
  QueueStatus,
  SettingsUpdate,
  SettingsView,
  TicketRow,
  TicketsChanged,
} from './domain.js';
import type { Result } from './result.js';
import {
  teamSettingsUpdateSchema,
  type TeamConnectionCheck,
  type TeamSettingsUpdate,
  type TeamSettingsView,
} from './team-settings.js';
import {
  alarmActionSchema,
  alarmKeySchema,
  consoleSettingsUpdateSchema,
  createTicketRequestSchema,
  groupCheckSchema,
  instanceRefSchema,
  openUrlSchema,
  settingsUpdateSchema,
} from './schemas.js';
import {
  addNoteSchema,
  ticketIdRefSchema,
  type AddNoteRequest,
  type TicketHistory,
} from './ticket-life.js';
import { tablePageQuerySchema, type TablePageFor, type TablePageQuery } from './table-page.js';

const none = z.undefined({ error: 'This request takes no payload' });

/** Request channels (renderer to main) and the schema of each payload. */
export const requestSchemas = {
  'app:info': none,
  'settings:get': none,
  'settings:update': settingsUpdateSchema,
  'auth:authenticate': none,
  'tickets:list': none,
  'tickets:create': createTicketRequestSchema,
  'tickets:find-existing': alarmKeySchema,
  /** The alarms of a selection's Create Ticket dialog, checked locally at once (issue 11). */
  'tickets:check-group': groupCheckSchema,
  'tickets:retry': instanceRefSchema,
  'failed:list': none,
  /** A window of the Tickets or Failed Ticket Requests table (issue 9 item 6). */
  'tables:page': tablePageQuerySchema,
  'queue:status': none,
  'alarms:list': none,
  'alarms:menu': alarmKeySchema,
  'alarms:act': alarmActionSchema,
  'console-settings:get': none,
  'console-settings:update': consoleSettingsUpdateSchema,
  'alarms:columns': none,
  'shell:open-ticket-url': openUrlSchema,
  'shell:show-hyperlinks-file': none,
  'health:get': none,
  'team:get': none,
  'team:update': teamSettingsUpdateSchema,
  'team:test-connection': teamSettingsUpdateSchema,
  /** "Add note to ticket…" (issue 13): queued durably, then sent to Oceane. */
  'tickets:add-note': addNoteSchema,
  /** A ticket's history: Oceane's status changes and notes, the console's on their way. */
  'tickets:history': ticketIdRefSchema,
} as const;

export type RequestChannel = keyof typeof requestSchemas;

/** What each request channel answers (always wrapped in a Result). */
export interface ResponseMap {
  'app:info': AppInfo;
  'settings:get': SettingsView;
  'settings:update': SettingsView;
  'auth:authenticate': AuthResult;
  'tickets:list': TicketRow[];
  'tickets:create': CreateTicketOutcome;
  'tickets:find-existing': ExistingTicket | null;
  'tickets:check-group': (ExistingTicket | null)[];
  'tickets:retry': CreateTicketOutcome;
  'failed:list': FailedRequestRow[];
  'tables:page': TablePageFor<TablePageQuery>;
  'queue:status': QueueStatus;
  'alarms:list': Alarm[];
  'alarms:menu': MenuItem[];
  'alarms:act': AlarmActionOutcome;
  'console-settings:get': ConsoleSettings;
  'console-settings:update': ConsoleSettings;
  'alarms:columns': HyperLinkColumn[];
  'shell:open-ticket-url': true;
  'shell:show-hyperlinks-file': true;
  'health:get': IntegrationHealth;
  'team:get': TeamSettingsView;
  'team:update': TeamSettingsView;
  'team:test-connection': TeamConnectionCheck;
  'tickets:add-note': { id: string };
  'tickets:history': TicketHistory;
}

/** Payload type of each request channel. */
export type RequestMap = { [C in RequestChannel]: z.input<(typeof requestSchemas)[C]> };

/** Event channels (main to renderer) and what they carry. Main batches them. */
export interface EventMap {
  'tickets:changed': TicketsChanged;
  'failed:changed': FailedRequestsChanged;
  'queue:changed': QueueStatus;
  'alarms:changed': AlarmsChanged;
  'settings:changed': SettingsView;
  /** The alarm console's hyperlink columns, after an edit of HyperLinks.xml changed them. */
  'alarms:columns-changed': HyperLinkColumn[];
  notice: Notice;
  'health:changed': IntegrationHealth;
}

export type EventChannel = keyof EventMap;

export const EVENT_CHANNELS: readonly EventChannel[] = [
  'tickets:changed',
  'failed:changed',
  'queue:changed',
  'alarms:changed',
  'settings:changed',
  'alarms:columns-changed',
  'notice',
  'health:changed',
];

/** Prefix of the Electron IPC channel names, so that ours never collide with others. */
export const IPC_PREFIX = 'oceane:';

/** How a renderer API reaches main: Electron IPC in the app, exposeBinding in browser tests. */
export interface Transport {
  invoke(channel: RequestChannel, payload: unknown): Promise<unknown>;
  subscribe(channel: EventChannel, listener: (payload: unknown) => void): () => void;
}

/** The object the renderer sees as `window.oceane`. Named functions only, no generic invoke. */
export interface OceaneApi {
  getAppInfo(): Promise<Result<AppInfo>>;
  getSettings(): Promise<Result<SettingsView>>;
  updateSettings(update: SettingsUpdate): Promise<Result<SettingsView>>;
  authenticate(): Promise<Result<AuthResult>>;
  listTickets(): Promise<Result<TicketRow[]>>;
  createTicket(request: CreateTicketRequest): Promise<Result<CreateTicketOutcome>>;
  findExistingTicket(key: {
    dmaId: string;
    alarmId: string;
  }): Promise<Result<ExistingTicket | null>>;
  retryTicket(instance: string): Promise<Result<CreateTicketOutcome>>;
  /** For each alarm of a selection, its ticket or open request as this app knows it, in order. */
  checkGroup(
    keys: { dmaId: string; alarmId: string }[],
  ): Promise<Result<(ExistingTicket | null)[]>>;
  listFailedRequests(): Promise<Result<FailedRequestRow[]>>;
  /** The rows of a table a view shows: sorted, filtered, one window (never the whole table). */
  tablePage<Q extends TablePageQuery>(query: Q): Promise<Result<TablePageFor<Q>>>;
  getQueueStatus(): Promise<Result<QueueStatus>>;
  listAlarms(): Promise<Result<Alarm[]>>;
  getAlarmMenu(key: { dmaId: string; alarmId: string }): Promise<Result<MenuItem[]>>;
  /** The hyperlinks shown as alarm console columns (HyperLinks.xml `alarmColumn`). */
  getAlarmColumns(): Promise<Result<HyperLinkColumn[]>>;
  openTicketUrl(url: string): Promise<Result<true>>;
  /** Opens the folder of the HyperLinks menu file in the file manager. */
  showHyperLinksFile(): Promise<Result<true>>;
  /** The integration health light: Oceane reachable, token valid, queue moving. */
  getHealth(): Promise<Result<IntegrationHealth>>;
  /** Acknowledges, owns, releases or comments alarms as the operator named in the settings. */
  actOnAlarms(action: AlarmAction): Promise<Result<AlarmActionOutcome>>;
  getConsoleSettings(): Promise<Result<ConsoleSettings>>;
  updateConsoleSettings(update: ConsoleSettingsUpdate): Promise<Result<ConsoleSettings>>;
  /** The Team settings (PostgreSQL); the password is write-only. */
  getTeamSettings(): Promise<Result<TeamSettingsView>>;
  updateTeamSettings(update: TeamSettingsUpdate): Promise<Result<TeamSettingsView>>;
  /** Connects to PostgreSQL with a draft of the Team settings: its version, or why not. */
  testTeamConnection(draft: TeamSettingsUpdate): Promise<Result<TeamConnectionCheck>>;
  /** Queues a note on a ticket (7.3); answers once it is on disk. */
  addTicketNote(request: AddNoteRequest): Promise<Result<{ id: string }>>;
  /** A ticket's history, oldest first. */
  getTicketHistory(ticketId: string): Promise<Result<TicketHistory>>;
  /** Subscribes to an event channel; returns the function that unsubscribes. */
  on<C extends EventChannel>(channel: C, listener: (payload: EventMap[C]) => void): () => void;
}

/** Builds the renderer API over a transport. */
export function createRendererApi(transport: Transport): OceaneApi {
  const call = <C extends RequestChannel>(channel: C, payload?: unknown) =>
    transport.invoke(channel, payload) as Promise<Result<ResponseMap[C]>>;
  return {
    getAppInfo: () => call('app:info'),
    getSettings: () => call('settings:get'),
    updateSettings: (update) => call('settings:update', update),
    authenticate: () => call('auth:authenticate'),
    listTickets: () => call('tickets:list'),
    createTicket: (request) => call('tickets:create', request),
    findExistingTicket: (key) => call('tickets:find-existing', key),
    retryTicket: (instance) => call('tickets:retry', { instance }),
    checkGroup: (keys) => call('tickets:check-group', { keys }),
    listFailedRequests: () => call('failed:list'),
    tablePage: <Q extends TablePageQuery>(query: Q) =>
      call('tables:page', query) as Promise<Result<TablePageFor<Q>>>,
    getQueueStatus: () => call('queue:status'),
    listAlarms: () => call('alarms:list'),
    getAlarmMenu: (key) => call('alarms:menu', key),
    getAlarmColumns: () => call('alarms:columns'),
    openTicketUrl: (url) => call('shell:open-ticket-url', { url }),
    showHyperLinksFile: () => call('shell:show-hyperlinks-file'),
    getHealth: () => call('health:get'),
    actOnAlarms: (action) => call('alarms:act', action),
    getConsoleSettings: () => call('console-settings:get'),
    updateConsoleSettings: (update) => call('console-settings:update', update),
    getTeamSettings: () => call('team:get'),
    updateTeamSettings: (update) => call('team:update', update),
    testTeamConnection: (draft) => call('team:test-connection', draft),
    addTicketNote: (request) => call('tickets:add-note', request),
    getTicketHistory: (ticketId) => call('tickets:history', { ticketId }),
    on: (channel, listener) =>
      transport.subscribe(channel, (payload) => listener(payload as EventMap[typeof channel])),
  };
}
