/**
 * Team mode in the app (issue 14): when the Team settings hold a PostgreSQL URL, the
 * connector-facing routes (create, look-up, group check, retry, the tables and their windows,
 * the Debug page's queue) go to the team's PostgreSQL through a TeamConsole, and the
 * renderer's `tickets:changed` / `failed:changed` / `queue:changed` fire when PostgreSQL
 * NOTIFYs a change, whichever console made it.
 *
 * The alarm properties (Ticket ID, URL) follow the team's Tickets table: the console that
 * settles a request writes them onto its alarms at once, and every console, on hearing that a
 * row became Created, writes them onto its own alarms where they are still missing (after a
 * short grace when the alarms are the team's shared DataMiner, whose event stream brings the
 * settler's write to everyone). So the Ticket ID cell is live on every console, whether the
 * consoles share one DataMiner process or each runs its own, and a settler that died between
 * its commit and its write is made good by the others.
 *
 * The console starts at once; while the database cannot be reached it keeps trying with
 * backoff, refuses requests with a sentence, answers the tables from what it last read, and
 * the health light's "Team database" part says why.
 */
import {
  type CreateTicketOutcome,
  type CreateTicketRequest,
  type ExistingTicket,
  type FailedRequestRow,
  type QueueStatus,
  type TicketRow,
} from '../../shared/domain.js';
import type { EventMap } from '../../shared/ipc-contract.js';
import { fail, type Result } from '../../shared/result.js';
import { alarmKeySchema, createTicketRequestSchema } from '../../shared/schemas.js';
import type { TablePageFor, TablePageQuery } from '../../shared/table-page.js';
import type { TeamSettings } from '../../shared/team-settings.js';
import type { OceaneConnector } from '../connector/index.js';
import type { Logger } from '../connector/ports.js';
import { requestFromRow } from '../connector/ticket-rows.js';
import type { DataMinerPort } from '../dataminer/dataminer-port.js';
import type { IntegrationHealthMonitor, TeamDatabaseHealth } from '../health/integration-health.js';
import { ServiceRefusal } from '../ipc-router.js';
import { connectionProblem } from './postgres-check.js';
import type { PostgresConfig } from './postgres-store.js';
import { TeamConsole } from './team-console.js';
import { teamLocalRefusal } from './team-group.js';
import { teamFailedPage, teamTicketPage } from './team-pages.js';
import { teamExisting } from './team-requests.js';
import {
  errorText,
  liveOceaneSettings,
  postgresConfigFor,
  retentionLimits,
  readChanges,
  writeTicketProperties,
  type KnownRows,
} from './team-mirror.js';

export { defaultConsoleName, postgresConfigFor } from './team-mirror.js';

/** The channels team mode emits for the renderer. */
export type TeamChannel = 'tickets:changed' | 'failed:changed' | 'queue:changed';

/** How long a console waits at start for the database before it starts anyway (ms). */
const FIRST_CONNECT_MS = 5_000;
/** Grace before a console writes properties another console settled, on a shared DataMiner. */
const SHARED_PROPERTY_GRACE_MS = 500;

/** What team mode needs from the app. */
export interface TeamServicesDeps {
  settings: TeamSettings;
  password: string | undefined;
  /** This console's name in the team (claims and leases carry it); unique in the team. */
  consoleName: string;
  connector: OceaneConnector;
  /** The Oceane Client Secret, read when a lease is taken (none: this console takes none). */
  clientSecret: () => string | undefined;
  alarms: DataMinerPort;
  /** True when the alarms are the team's shared DataMiner process. */
  sharedAlarms: boolean;
  health: IntegrationHealthMonitor;
  logger: Logger;
  /** Lease of a request (ms, default 30 s); longer than one call to Oceane. */
  leaseMs?: number;
  /** How long the start waits for the database (ms, default 5 s). */
  firstConnectMs?: number;
}

type Listener<C extends TeamChannel> = (payload: EventMap[C]) => void;

/** Team mode's routes and events. */
export class TeamServices {
  console: TeamConsole | null = null; // null until connected; read by team-life-app.ts
  private readonly abort = new AbortController();
  private opening: Promise<void> = Promise.resolve();
  private part: TeamDatabaseHealth;
  private readonly ticketRows: KnownRows<TicketRow> = new Map();
  private readonly failedRows: KnownRows<FailedRequestRow> = new Map();
  private queueStatus: QueueStatus = { locked: false, lockedBy: null, pending: [] };
  private revision = 0;
  private refreshChain: Promise<void> = Promise.resolve();
  private queuedRefresh: Promise<void> | null = null;
  private initialRead = false;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly listeners = new Map<TeamChannel, Set<(payload: never) => void>>();
  private closed = false;

  private constructor(
    private readonly deps: TeamServicesDeps,
    readonly where: string,
  ) {
    this.part = { state: 'connecting', message: `Connecting to the team database at ${where}.` };
  }

  /** Starts team mode; resolves once connected, or after `firstConnectMs` without it. */
  static async start(deps: TeamServicesDeps): Promise<TeamServices> {
    const target = await postgresConfigFor(deps.settings, deps.password);
    const team = new TeamServices(deps, target.where);
    deps.health.recordTeamDatabase(team.part);
    if ('problem' in target) {
      team.setPart('unreachable', `The team database cannot be used: ${target.problem}`);
      return team;
    }
    team.opening = team.open(target.config);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      team.opening,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, deps.firstConnectMs ?? FIRST_CONNECT_MS);
      }),
    ]);
    clearTimeout(timer);
    return team;
  }

  /** This console's name in the team. */
  get consoleName(): string {
    return this.deps.consoleName;
  }

  /** The health light's "Team database" part now. */
  databaseHealth(): TeamDatabaseHealth {
    return this.part;
  }

  /** Resolves once the console is connected (tests; never while the database stays away). */
  async connected(): Promise<void> {
    await this.opening;
  }

  private async open(config: PostgresConfig): Promise<void> {
    const { deps } = this;
    const api = deps.connector.getSettings().api;
    try {
      this.console = await TeamConsole.open({
        postgres: config,
        where: this.where,
        consoleName: deps.consoleName,
        oceane: liveOceaneSettings(deps.connector, () => deps.clientSecret()),
        timeoutMs: api.requestTimeoutSeconds * 1000,
        leaseMs: deps.leaseMs ?? 30_000,
        createRetryCount: deps.connector.getSettings().element.ticketCreationRetryCount,
        logger: deps.logger,
        signal: this.abort.signal,
        onChange: () => this.scheduleRefresh(),
        onHealth: (reachable, error) => {
          if (reachable) {
            this.setPart('reachable');
            this.scheduleRefresh();
          } else {
            this.setPart('unreachable', this.unreachable(error));
          }
        },
        onSettled: (row) => void this.writeProperties([row]),
        retention: () => retentionLimits(deps.connector.getSettings()),
      });
    } catch (error) {
      if (this.abort.signal.aborted) return;
      throw error;
    }
    this.setPart('reachable');
    deps.logger.info('Team mode: connected to the team database', {
      where: this.where,
      console: deps.consoleName,
    });
    await this.refreshNow(true);
  }

  private unreachable(error: unknown): string {
    const why =
      error === undefined
        ? `The connection to the team database at ${this.where} was lost.`
        : connectionProblem(error, this.where);
    return `The team database cannot be reached: ${why} Reconnecting with backoff.`;
  }

  private setPart(state: TeamDatabaseHealth['state'], message?: string): void {
    const text =
      message ??
      (state === 'reachable'
        ? `The team database at ${this.where} answers (this console: ${this.deps.consoleName}).`
        : `Connecting to the team database at ${this.where}.`);
    if (this.part.state === state && this.part.message === text) return;
    this.part = { state, message: text };
    this.deps.health.recordTeamDatabase(this.part);
  }

  private refusal(reason?: string): string {
    return `The team database at ${this.where} cannot be reached (${reason ?? this.part.message}), so the request was not accepted. Check the network and PostgreSQL, then ask again; requests queued before stay queued.`;
  }

  private connectedConsole(): TeamConsole {
    if (this.console) return this.console;
    throw new ServiceRefusal('storage', this.refusal());
  }

  /** Hears a team channel; returns the function that stops. */
  on<C extends TeamChannel>(channel: C, listener: Listener<C>): () => void {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => set.delete(entry);
  }

  private emit<C extends TeamChannel>(channel: C, payload: EventMap[C]): void {
    for (const listener of this.listeners.get(channel) ?? []) {
      try {
        (listener as Listener<C>)(payload);
      } catch (error) {
        this.deps.logger.error('A team event listener failed', { channel, error: String(error) });
      }
    }
  }

  private scheduleRefresh(): void {
    void this.refreshNow();
  }

  /**
   * Resolves after a read of the tables that started after this call (reads run one at a
   * time, in order, so an older read never overwrites a newer one). Never rejects: a failed
   * read leaves what was read before.
   */
  private refreshNow(initial = false): Promise<void> {
    if (initial) this.initialRead = true;
    if (this.queuedRefresh) return this.queuedRefresh;
    const next = this.refreshChain
      .then(() => {
        this.queuedRefresh = null;
        const first = this.initialRead;
        this.initialRead = false;
        return this.refresh(first);
      })
      .catch((error: unknown) => {
        this.deps.logger.warn('Team mode: the tables could not be read', {
          error: errorText(error),
        });
      });
    this.queuedRefresh = next;
    this.refreshChain = next;
    return next;
  }

  /** Reads the tables and the queue, and emits what changed since the last read. */
  private async refresh(initial: boolean): Promise<void> {
    const team = this.console;
    if (!team || this.closed) return;
    // Each table's changes are emitted as soon as they are read (a failure of another read
    // must not drop them: they are already in what this console knows).
    const results = await Promise.allSettled([
      readChanges(team.store, 'tickets', this.ticketRows).then((changes) => {
        if (changes.upserted.length + changes.removed.length === 0) return;
        this.revision++;
        this.emit('tickets:changed', changes);
        const created = changes.upserted.filter((r) => r.status === 'Created' && r.ticketId);
        if (initial || !this.deps.sharedAlarms) void this.writeProperties(created);
        else this.later(() => void this.writeProperties(created), SHARED_PROPERTY_GRACE_MS);
      }),
      readChanges(team.store, 'failed_requests', this.failedRows).then((changes) => {
        if (changes.upserted.length + changes.removed.length === 0) return;
        this.revision++;
        this.emit('failed:changed', changes);
      }),
      team.queue.status().then((queue) => this.queueRead(queue, initial)),
    ]);
    const failure = results.find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
  }

  private queueRead(queue: QueueStatus, initial: boolean): void {
    if (this.closed) return;
    const queueChanged = JSON.stringify(queue) !== JSON.stringify(this.queueStatus);
    this.queueStatus = queue;
    if (queueChanged || initial) {
      this.deps.health.recordQueue(queue);
      this.emit('queue:changed', queue);
    }
  }

  private later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(timer);
  }

  private async writeProperties(rows: readonly TicketRow[]): Promise<void> {
    await writeTicketProperties(this.deps.alarms, this.deps.logger, rows, () => this.closed);
  }

  // ---- routes ---------------------------------------------------------------------------

  /** Queues a request for the team (a group's alarms with it: one ticket for all). */
  async createTicket(request: CreateTicketRequest): Promise<Result<CreateTicketOutcome>> {
    const parsed = createTicketRequestSchema.safeParse(request);
    if (!parsed.success) {
      return fail('validation', 'Some ticket details are missing or not valid');
    }
    const valid = parsed.data;
    const holderOf = async (key: string) => (await this.console?.queue.holderOf([key])) ?? null;
    const refused = await teamLocalRefusal(valid, this.deps.alarms, holderOf);
    if (refused !== null) return fail('duplicate', refused);
    if (!this.console) return fail('storage', this.refusal());
    const result = await this.console.createTicket(valid);
    // The row is in this console's tables (and its event sent) before the answer.
    if (result.ok) await this.refreshNow();
    return result;
  }

  /** Queues a Failed request of the team again (the Retry action: TeamConsole.retryTicket). */
  async retryTicket(instance: string): Promise<Result<CreateTicketOutcome>> {
    if (!this.console) return fail('storage', this.refusal());
    // As on a single console: an alarm whose property names a live ticket is refused, also
    // a ticket no team claim knows of (asked for from elsewhere); the claims decide the rest.
    const row = await this.console.queue.ticket(instance).catch(() => undefined);
    const request = createTicketRequestSchema.safeParse(row && requestFromRow(row));
    if (row?.status === 'Failed' && request.success) {
      const holderOf = async (key: string) => (await this.console?.queue.holderOf([key])) ?? null;
      const refused = await teamLocalRefusal(request.data, this.deps.alarms, holderOf);
      if (refused !== null) return fail('duplicate', refused);
    }
    const result = await this.console.retryTicket(instance);
    if (result.ok) await this.refreshNow();
    return result;
  }

  /** The ticket or open request the team holds for an alarm, else the connector's look-up. */
  async findExistingTicket(key: {
    dmaId: string;
    alarmId: string;
  }): Promise<ExistingTicket | null> {
    const parsed = alarmKeySchema.safeParse({ dmaId: key?.dmaId, alarmId: key?.alarmId });
    if (!parsed.success) return null;
    if (this.console) {
      try {
        const [held] = await teamExisting(this.console, this.deps.alarms, [parsed.data]);
        if (held) return held;
      } catch {
        // Unreachable: the alarm's property and Oceane still answer below.
      }
    }
    return this.deps.connector.findExistingTicket(parsed.data);
  }

  /** Each alarm's ticket or open request in the team. */
  async checkGroup(
    keys: readonly { dmaId: string; alarmId: string }[],
  ): Promise<(ExistingTicket | null)[]> {
    const team = this.connectedConsole();
    try {
      return await teamExisting(team, this.deps.alarms, keys);
    } catch (error) {
      throw new ServiceRefusal('storage', this.refusal(errorText(error)));
    }
  }

  /** The team's Tickets table (what was last read when the database cannot be reached). */
  async listTickets(): Promise<TicketRow[]> {
    await this.refreshNow();
    return [...this.ticketRows.values()].map((v) => v.row);
  }

  /** The team's Failed Ticket Requests table (the last read when unreachable). */
  async listFailedRequests(): Promise<FailedRequestRow[]> {
    await this.refreshNow();
    return [...this.failedRows.values()].map((v) => v.row);
  }

  /** A window of a team table, sorted and filtered in PostgreSQL. */
  async tablePage(query: TablePageQuery): Promise<TablePageFor<TablePageQuery>> {
    const team = this.connectedConsole();
    try {
      return query.table === 'tickets'
        ? await teamTicketPage(team.store, query, this.revision)
        : await teamFailedPage(team.store, query, this.revision);
    } catch (error) {
      throw new ServiceRefusal(
        'storage',
        `The team database at ${this.where} cannot be reached (${errorText(error)}); the table shows what it last read.`,
      );
    }
  }

  /** The team's queue and the processing lock with the console holding it (Debug page). */
  async getQueueStatus(): Promise<QueueStatus> {
    if (!this.console) return this.queueStatus;
    try {
      this.queueStatus = await this.console.queue.status();
    } catch {
      // Unreachable: the last status read.
    }
    return this.queueStatus;
  }

  /** Stops working and closes the connections. */
  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort(new Error('Team mode closed'));
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.opening.catch(() => undefined);
    await this.refreshChain;
    await this.console?.close();
    this.listeners.clear();
  }
}
