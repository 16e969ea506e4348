/**
 * Maps each request channel to a service call after validating its payload against the
 * channel's schema (shared/ipc-contract.ts). No Electron import: main wires it to
 * `ipcMain.handle` after checking the sender, and the browser harness wires the very same
 * router to Playwright's `exposeBinding`. Expected failures come back as data; bugs throw.
 */
import type {
  Alarm,
  AlarmAction,
  AlarmActionOutcome,
  ConsoleSettings,
  ConsoleSettingsUpdate,
  AppInfo,
  AuthResult,
  CreateTicketOutcome,
  CreateTicketRequest,
  EventMap,
  ExistingTicket,
  FailedRequestRow,
  IntegrationHealth,
  HyperLinkColumn,
  MenuItem,
  QueueStatus,
  SettingsUpdate,
  SettingsView,
  TicketRow,
} from './router-types.js';
import type { TablePageFor, TablePageQuery } from '../shared/table-page.js';
import { requestSchemas, type RequestChannel, type ResponseMap } from '../shared/ipc-contract.js';
import { fieldErrors } from '../shared/guards.js';
import { fail, ok, type ErrorCode, type Result } from '../shared/result.js';
import type {
  TeamConnectionCheck,
  TeamSettingsUpdate,
  TeamSettingsView,
} from '../shared/team-settings.js';
import type { AddNoteRequest, TicketHistory } from '../shared/ticket-life.js';

/** What the router needs from the services of the main process. */
export interface RouterServices {
  appInfo(): AppInfo;
  getSettings(): SettingsView;
  updateSettings(update: SettingsUpdate): Promise<Result<SettingsView>>;
  authenticate(): Promise<AuthResult>;
  /** Team mode (issue 14) answers the reads below from PostgreSQL, asynchronously. */
  listTickets(): TicketRow[] | Promise<TicketRow[]>;
  createTicket(request: CreateTicketRequest): Promise<Result<CreateTicketOutcome>>;
  findExistingTicket(key: { dmaId: string; alarmId: string }): Promise<ExistingTicket | null>;
  retryTicket(instance: string): Promise<Result<CreateTicketOutcome>>;
  /** Each alarm's ticket or open request as this app knows it (no call to Oceane). */
  checkGroup(
    keys: { dmaId: string; alarmId: string }[],
  ): (ExistingTicket | null)[] | Promise<(ExistingTicket | null)[]>;
  listFailedRequests(): FailedRequestRow[] | Promise<FailedRequestRow[]>;
  /** One window of a table; the SQL store answers it asynchronously. */
  tablePage(
    query: TablePageQuery,
  ): TablePageFor<TablePageQuery> | Promise<TablePageFor<TablePageQuery>>;
  getQueueStatus(): QueueStatus | Promise<QueueStatus>;
  listAlarms(): Alarm[];
  alarmMenu(key: { dmaId: string; alarmId: string }): Result<MenuItem[]>;
  alarmColumns(): HyperLinkColumn[];
  openTicketUrl(url: string): Promise<Result<true>>;
  showHyperLinksFile(): Result<true>;
  health(): IntegrationHealth;
  actOnAlarms(action: AlarmAction): Promise<Result<AlarmActionOutcome>>;
  getConsoleSettings(): ConsoleSettings;
  updateConsoleSettings(update: ConsoleSettingsUpdate): Promise<Result<ConsoleSettings>>;
  getTeamSettings(): TeamSettingsView;
  updateTeamSettings(update: TeamSettingsUpdate): Promise<Result<TeamSettingsView>>;
  testTeamConnection(draft: TeamSettingsUpdate): Promise<Result<TeamConnectionCheck>>;
  /** Team mode answers these two from PostgreSQL, asynchronously. */
  addTicketNote(request: AddNoteRequest): Result<{ id: string }> | Promise<Result<{ id: string }>>;
  ticketHistory(ticketId: string): Result<TicketHistory> | Promise<Result<TicketHistory>>;
}

/**
 * An expected failure of a service that answers with data, not a Result (team mode: the team
 * database cannot be reached): the router returns it as `fail(code, message)`.
 */
export class ServiceRefusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Emits an event to every renderer that listens (main: webContents.send; tests: bindings). */
export type EventSink = <C extends keyof EventMap>(channel: C, payload: EventMap[C]) => void;

/** Turns zod issues into one message per field, as the UI shows them beside the fields. */
export { fieldErrors } from '../shared/guards.js';

/** The router: `handle(channel, payload)` for untrusted input from a renderer. */
export interface IpcRouter {
  handle(channel: string, payload: unknown): Promise<Result<unknown>>;
}

/** Builds the router over the services. */
export function createIpcRouter(services: RouterServices): IpcRouter {
  const handlers: { [C in RequestChannel]: (payload: never) => unknown } = {
    'app:info': () => ok(services.appInfo()),
    'settings:get': () => ok(services.getSettings()),
    'settings:update': (p: SettingsUpdate) => services.updateSettings(p),
    'auth:authenticate': async () => ok(await services.authenticate()),
    'tickets:list': async () => ok(await services.listTickets()),
    'tickets:create': (p: CreateTicketRequest) => services.createTicket(p),
    'tickets:find-existing': async (p: { dmaId: string; alarmId: string }) =>
      ok(await services.findExistingTicket(p)),
    'tickets:retry': (p: { instance: string }) => services.retryTicket(p.instance),
    'tickets:check-group': async (p: { keys: { dmaId: string; alarmId: string }[] }) =>
      ok(await services.checkGroup(p.keys)),
    'failed:list': async () => ok(await services.listFailedRequests()),
    'tables:page': async (p: TablePageQuery) => ok(await services.tablePage(p)),
    'queue:status': async () => ok(await services.getQueueStatus()),
    'alarms:list': () => ok(services.listAlarms()),
    'alarms:menu': (p: { dmaId: string; alarmId: string }) => services.alarmMenu(p),
    'alarms:columns': () => ok(services.alarmColumns()),
    'shell:open-ticket-url': (p: { url: string }) => services.openTicketUrl(p.url),
    'shell:show-hyperlinks-file': () => services.showHyperLinksFile(),
    'health:get': () => ok(services.health()),
    'alarms:act': (p: AlarmAction) => services.actOnAlarms(p),
    'console-settings:get': () => ok(services.getConsoleSettings()),
    'console-settings:update': (p: ConsoleSettingsUpdate) => services.updateConsoleSettings(p),
    'team:get': () => ok(services.getTeamSettings()),
    'team:update': (p: TeamSettingsUpdate) => services.updateTeamSettings(p),
    'team:test-connection': (p: TeamSettingsUpdate) => services.testTeamConnection(p),
    'tickets:add-note': (p: AddNoteRequest) => services.addTicketNote(p),
    'tickets:history': (p: { ticketId: string }) => services.ticketHistory(p.ticketId),
  };
  return {
    async handle(channel, payload) {
      if (typeof channel !== 'string' || !Object.hasOwn(requestSchemas, channel)) {
        return fail('unknown-channel', `Unknown request channel: ${String(channel).slice(0, 100)}`);
      }
      const c = channel as RequestChannel;
      const parsed = requestSchemas[c].safeParse(payload);
      if (!parsed.success) {
        return fail(
          'invalid-payload',
          'The request was refused: its data is not valid.',
          fieldErrors(parsed.error),
        );
      }
      const handler = handlers[c] as (
        p: unknown,
      ) => Result<ResponseMap[typeof c]> | Promise<Result<ResponseMap[typeof c]>>;
      try {
        return await handler(parsed.data);
      } catch (error) {
        if (error instanceof ServiceRefusal) return fail(error.code, error.message);
        throw error;
      }
    },
  };
}
