/**
 * The seed's tables in the SQL store: Tickets, Failed Ticket Requests and the Pending Ticket
 * Creation Queue, with the look-ups by alarm, the reconciliation after a crash, and retention
 * (Ticket Storage Duration and Count Limits; a pending request is never pruned), all in SQL by
 * index: start-up and memory do not grow with history. Each queue entry carries its request's
 * state-machine state (ticket-request-machine.ts).
 */
import { randomUUID } from 'node:crypto';
import { alarmKeyString, type FailedRequestRow, type TicketRow } from '../../shared/domain.js';
import type {
  FailedPage,
  FailedPageQuery,
  TicketPage,
  TicketPageQuery,
} from '../../shared/table-page.js';
import { SqliteDatabase, type StoreRecovery } from '../storage/sqlite-database.js';
import {
  SqlTable,
  withParameters,
  writeTogether,
  type LegacyImport,
  type TableChange,
  type TableOp,
} from '../storage/sql-table.js';
import { LifeStore } from './life-store.js';
import { LifeDeletes, PruneQueries } from './ticket-pruning.js';
import type { Logger } from './ports.js';
import { ageCutoff, type RetentionLimits } from './retention.js';
import {
  step,
  unknownSendState,
  type RequestState,
  type StepContext,
} from './ticket-request-machine.js';
import { pageFailed, pageTickets } from './ticket-pages.js';
import {
  FAILED_SPEC,
  QUEUE_SPEC,
  TICKETS_SPEC,
  pendingRow,
  requestFromRow,
  stateOf,
  type QueueEntry,
} from './ticket-rows.js';

export { DATA_FILES, pendingRow, requestFromRow, type QueueEntry } from './ticket-rows.js';
export type { TableOp } from '../storage/sql-table.js';

/**
 * What reconcile() found: requests whose Created row was saved but whose alarm properties and
 * removal from the queue may not have been (their queue lines are kept for that).
 */
export interface Reconciled {
  settledCreated: { entry: QueueEntry; row: TicketRow }[];
}

/** The three tables of one database. */
export class TicketTables {
  private readonly activeQuery;
  /** The ticket's life after creation (issue 13): followed tickets, history, changes. */
  readonly life: LifeStore;
  private readonly pruneQueries: PruneQueries;
  private readonly lifeDeletes: LifeDeletes;
  /** The once-per-folder sweep of lives pruned rows left behind (by earlier versions) ran. */
  private lifeSwept = false;

  private constructor(
    readonly database: SqliteDatabase,
    readonly tickets: SqlTable<TicketRow>,
    readonly failed: SqlTable<FailedRequestRow>,
    readonly queue: SqlTable<QueueEntry>,
  ) {
    this.life = new LifeStore(database, tickets);
    this.pruneQueries = new PruneQueries(database);
    this.lifeDeletes = new LifeDeletes(database);
    const b = database.builder;
    // Every row of the alarm, the newest picked here: an alarm has one or two such rows, and
    // an ORDER BY would build a temporary sort for them at each look-up (a request's checks).
    this.activeQuery = b
      .selectFrom('tickets')
      .select(['key', 'seq'])
      .where('alarm_key', '=', '')
      .where('status', 'in', ['Pending', 'Created'])
      .compile();
  }

  /** Opens the store of the data folder (importing the journals of the earlier release). */
  static open(dataDir: string): TicketTables {
    const database = SqliteDatabase.open(dataDir);
    try {
      return new TicketTables(
        database,
        SqlTable.open(database, TICKETS_SPEC, dataDir),
        SqlTable.open(database, FAILED_SPEC, dataDir),
        SqlTable.open(database, QUEUE_SPEC, dataDir),
      );
    } catch (error) {
      database.close();
      throw error;
    }
  }

  /** A damaged database kept aside at open. */
  get recovery(): StoreRecovery | null {
    return this.database.recovery;
  }

  /** Journals of the earlier release imported at this open: [table name, import, unit]. */
  get imports(): [string, LegacyImport, string][] {
    const result: [string, LegacyImport, string][] = [];
    const add = (what: string, imported: LegacyImport | null, unit: string): void => {
      if (imported) result.push([what, imported, unit]);
    };
    add('Tickets table', this.tickets.imported, 'rows');
    add('Failed Ticket Requests table', this.failed.imported, 'rows');
    add('Pending ticket queue', this.queue.imported, 'requests');
    return result;
  }

  /**
   * Writes changes to several tables in one transaction (`durable`: synced to disk before it
   * returns; otherwise durable across a crash of the app, not a power cut). Throws a
   * StoreError, everything rolled back, when it cannot.
   */
  write(changes: TableChange[], durable: boolean): void {
    writeTogether(this.database, changes, durable);
  }

  /** The instance of the alarm's Pending or Created row, if any. */
  activeInstance(alarmKey: string): string | null {
    return newestKey(
      this.database.all<KeySeq>(withParameters(this.activeQuery, [alarmKey, 'Pending', 'Created'])),
    );
  }

  /**
   * The alarm's Pending or Created row (`activeInstance`) and its queued request: its own (the
   * newest), or (`queued()`, looked into only when asked) a group request it is one of the
   * other alarms of (issue 11). The queue is small and held in memory, grouped by alarm.
   */
  alarmRequests(alarmKey: string): { active: string | null; queued: () => string | null } {
    let own: string | null = null;
    for (const entry of this.queue.cachedBy(alarmKey)) own = entry.instance;
    return {
      active: this.activeInstance(alarmKey),
      queued: () => own ?? this.groupRequestOf(alarmKey),
    };
  }

  /** The queued group request that names the alarm among its other alarms, if any. */
  private groupRequestOf(alarmKey: string): string | null {
    return this.groupMembers().get(alarmKey) ?? null;
  }

  /** The other alarms of the queued group requests, each with the oldest that names it. */
  private groupMembers(): Map<string, string> {
    // Rebuilt once per change of the queue, not scanned at each look-up.
    if (this.members?.revision === this.queue.revision) return this.members.byAlarm;
    const byAlarm = new Map<string, string>();
    for (const entry of this.queue.cachedValues()) {
      for (const alarm of entry.request.otherAlarms ?? []) {
        const key = alarmKeyString(alarm);
        if (!byAlarm.has(key)) byAlarm.set(key, entry.instance);
      }
    }
    this.members = { revision: this.queue.revision, byAlarm };
    return byAlarm;
  }

  private members: { revision: number; byAlarm: Map<string, string> } | null = null;

  /** The change that follows a Created row's ticket in Oceane (issue 13); again: no change. */
  follow(row: TicketRow): TableChange {
    return {
      count: 1,
      apply: () => this.life.follow(row.ticketId, row.createdAt),
      discard: () => undefined,
      committed: () => undefined,
    };
  }

  /** A window of the Tickets table. */
  pageTickets(query: TicketPageQuery): TicketPage {
    return pageTickets(this.tickets, query);
  }

  /** A window of the Failed Ticket Requests table. */
  pageFailed(query: FailedPageQuery): FailedPage {
    return pageFailed(this.failed, query);
  }

  /**
   * Makes the tables and the queue agree after a crash: a queued request without its row gets
   * its Pending row back; a Pending row without its request is queued again (as possibly
   * sent); a request whose row is Failed leaves the queue, one whose row is Created is returned
   * (its properties are written with its removal). Every resumed request gets the machine's
   * "restarted" event: one that may have been sent waits until its last send plus the time-out
   * before its look-up.
   */
  async reconcile(ctx: StepContext, nowIso: string, logger: Logger): Promise<Reconciled> {
    const ticketOps: TableOp<TicketRow>[] = [];
    const queueOps: TableOp<QueueEntry>[] = [];
    const settledCreated: Reconciled['settledCreated'] = [];
    const settledFailed: QueueEntry[] = [];
    const restarted = (state: RequestState): RequestState =>
      step(state, { type: 'restarted' }, ctx).state;
    for (const stored of this.queue.values()) {
      const entry: QueueEntry = {
        instance: stored.instance,
        request: stored.request,
        enqueuedAt: stored.enqueuedAt,
        state: stateOf(stored),
      };
      const row = this.tickets.get(entry.instance);
      if (!row) {
        ticketOps.push({
          key: entry.instance,
          value: pendingRow(entry.instance, entry.request, entry.enqueuedAt),
        });
      } else if (row.status === 'Created') {
        // Created before the crash: the alarm properties may be missing. The line stays until
        // they are written, in the transaction that removes it (TicketAttempts.finishCreated).
        settledCreated.push({ entry, row });
        continue;
      } else if (row.status !== 'Pending') {
        // Failed before the crash; only the removal from the queue was lost.
        queueOps.push({ key: entry.instance, delete: true });
        settledFailed.push(entry);
        continue;
      }
      queueOps.push({ key: entry.instance, value: { ...entry, state: restarted(entry.state) } });
    }
    // Pending rows without their queue line, by index (not a scan of the history).
    const pendingRows = this.database.all<{ data: string }>(
      this.database.builder
        .selectFrom('tickets')
        .select('data')
        .where('status', '=', 'Pending')
        .orderBy('seq')
        .compile(),
    );
    for (const { data } of pendingRows) {
      const row = JSON.parse(data) as TicketRow;
      if (this.queue.has(row.instance)) continue;
      queueOps.push({
        key: row.instance,
        value: {
          instance: row.instance,
          request: requestFromRow(row),
          enqueuedAt: row.createdAt,
          state: restarted(unknownSendState()),
        },
      });
    }
    // A Failed ticket keeps a Failed Ticket Requests row, and so its Retry action (review F9).
    const failedOps = this.missingFailedRows(settledFailed, nowIso);
    try {
      this.write(
        [
          this.tickets.change(ticketOps),
          this.failed.change(failedOps),
          this.queue.change(queueOps),
        ],
        true,
      );
    } catch (error) {
      logger.warn('Could not save the reconciled queue', { error: String(error) });
    }
    return { settledCreated };
  }

  /** Failed Ticket Requests rows for settled Failed requests that have none (older files). */
  private missingFailedRows(entries: QueueEntry[], nowIso: string): TableOp<FailedRequestRow>[] {
    const ops: TableOp<FailedRequestRow>[] = [];
    for (const entry of entries) {
      const existing = this.database.first(
        this.database.builder
          .selectFrom('failed_requests')
          .select('key')
          .where('ticket_instance', '=', entry.instance)
          .limit(1)
          .compile(),
      );
      if (existing) continue;
      const value: FailedRequestRow = {
        instance: randomUUID(),
        ticketInstance: entry.instance,
        httpErrorCode: null,
        appErrorCode: '',
        errorMessage: 'Failed before the app stopped',
        errorDescription:
          entry.state.lastError?.message ??
          'The details of this failure were not saved before the app stopped; Retry looks the alarm up in Oceane, then sends the request again if needed',
        failedAt: nowIso,
      };
      ops.push({ key: value.instance, value });
    }
    return ops;
  }

  /**
   * Rows beyond the storage limits, in both tables (a pending request is never pruned, nor the
   * row of a ticket with a change on its way): first the rows older than the duration limit,
   * then the oldest beyond the count limit. A ticket no row names any more loses its life
   * (followed row, history, finished changes; ticket-pruning.ts). One SQL transaction, not
   * synced (pruning is redone at the next start). `lives`: how many tickets lost theirs.
   */
  prune(
    limits: RetentionLimits,
    nowMs: number,
  ): { ticketKeys: string[]; failedKeys: string[]; lives: number; written: Promise<void> } {
    const cutoff = new Date(ageCutoff(nowMs, limits.durationDays)).toISOString();
    const { ticketKeys, failedKeys, ticketIds } = this.pruneQueries.keys(
      cutoff,
      limits.countLimit,
      { tickets: this.tickets.size, failed: this.failed.size },
    );
    const ticketOps = ticketKeys.map((key) => ({ key, delete: true as const }));
    const failedOps = failedKeys.map((key) => ({ key, delete: true as const }));
    let lives = 0;
    const sweep = !this.lifeSwept;
    // After the Tickets deletes, in their transaction: it sees which tickets no row names.
    const life: TableChange = {
      count: ticketIds.length + (sweep ? 1 : 0),
      apply: () => {
        lives = (sweep ? this.lifeDeletes.sweepOnce() : 0) + this.lifeDeletes.drop(ticketIds);
      },
      discard: () => undefined,
      committed: () => {
        this.lifeSwept = true;
      },
    };
    try {
      this.write([this.tickets.change(ticketOps), life, this.failed.change(failedOps)], false);
    } catch (error) {
      const written = Promise.reject(error instanceof Error ? error : new Error(String(error)));
      return { ticketKeys: [], failedKeys: [], lives: 0, written };
    }
    return { ticketKeys, failedKeys, lives, written: Promise.resolve() };
  }

  /** Closes the database. */
  async close(): Promise<void> {
    this.database.close();
  }
}

interface KeySeq {
  key: string;
  seq: number | bigint;
}

/** The key of the row with the highest `seq` (the newest), or null when there is none. */
function newestKey(rows: KeySeq[]): string | null {
  let newest: KeySeq | null = null;
  for (const row of rows) if (newest === null || row.seq > newest.seq) newest = row;
  return newest?.key ?? null;
}
