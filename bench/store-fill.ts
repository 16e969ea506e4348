/**
 * Fast fixtures for the benchmarks: a data folder's SQL store filled with many rows in one
 * transaction, the secondary indexes dropped during the load and built again after it (a
 * sorted build is much faster than a million index inserts). Rows go through the store's own
 * table specs, so they are exactly what the app writes.
 */
import { CompiledQuery } from 'kysely';
import type { AlarmProperties, TicketRow } from '../shared/domain.js';
import { newRequestState } from '../electron/connector/ticket-request-state.js';
import {
  QUEUE_SPEC,
  TICKETS_SPEC,
  requestFromRow,
  type QueueEntry,
} from '../electron/connector/ticket-rows.js';
import { SqlTable, type TableOp } from '../electron/storage/sql-table.js';
import { SqliteDatabase } from '../electron/storage/sqlite-database.js';

/** Rows to load (iterables: a million rows need not be in memory at once). */
export interface StoreFill {
  tickets?: Iterable<TicketRow>;
  queue?: Iterable<QueueEntry>;
  properties?: Iterable<[string, AlarmProperties]>;
}

const CHUNK = 5000;

function* chunks<T>(items: Iterable<T>): Generator<T[]> {
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === CHUNK) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Loads `fill` into the store of `dataDir` (created when missing). */
export function fillStore(dataDir: string, fill: StoreFill): void {
  const database = SqliteDatabase.open(dataDir);
  try {
    // The indexes the migrations left, dropped during the load and built again after it.
    const indexes = database.all<{ name: string; sql: string }>(
      CompiledQuery.raw(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
      ),
    );
    for (const { name } of indexes) database.exec(`DROP INDEX IF EXISTS "${name}"`);
    const tickets = SqlTable.open(database, { ...TICKETS_SPEC, legacyFile: undefined }, dataDir);
    const queue = SqlTable.open(database, { ...QUEUE_SPEC, legacyFile: undefined }, dataDir);
    const props = SqlTable.open<AlarmProperties>(database, { table: 'alarm_properties' }, dataDir);
    database.transaction(false, () => {
      const load = <T>(table: SqlTable<T>, rows: Iterable<[string, T]>): void => {
        for (const chunk of chunks(rows))
          table.apply(chunk.map(([key, value]): TableOp<T> => ({ key, value })));
      };
      load(
        tickets,
        map(fill.tickets ?? [], (t) => [t.instance, t]),
      );
      load(
        queue,
        map(fill.queue ?? [], (q) => [q.instance, q]),
      );
      load(props, fill.properties ?? []);
    });
    for (const { sql } of indexes) database.exec(sql);
    database.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    database.close();
  }
}

/**
 * Makes the `queued` newest rows of `dmaId` the whole queue again: Pending rows whose requests
 * wait for a retry at `retryAtMs` (Oceane was unavailable), as after a long outage. No run
 * sends them, so every run of a cached history starts from the same queue, and a measured
 * ticket is not held behind them in the queue.
 */
export function resetQueued(
  dataDir: string,
  dmaId: string,
  queued: number,
  retryAtMs: number,
): void {
  const database = SqliteDatabase.open(dataDir);
  try {
    const tickets = SqlTable.open(database, { ...TICKETS_SPEC, legacyFile: undefined }, dataDir);
    const queue = SqlTable.open(database, { ...QUEUE_SPEC, legacyFile: undefined }, dataDir);
    const newest = database.all<{ data: string }>(
      database.builder
        .selectFrom('tickets')
        .select('data')
        .where('alarm_key', 'like', `${dmaId}/%`)
        .orderBy('seq', 'desc')
        .limit(queued)
        .compile(),
    );
    const rows = newest.reverse().map((r): TicketRow => ({
      ...(JSON.parse(r.data) as TicketRow),
      status: 'Pending',
      ticketId: '',
      ticketUrl: '',
    }));
    const keep = new Set(rows.map((r) => r.instance));
    const state = { ...newRequestState(false), phase: 'waiting-for-retry' as const };
    const queueOps: TableOp<QueueEntry>[] = [...queue.keys()]
      .filter((key) => !keep.has(key))
      .map((key) => ({ key, delete: true as const }));
    for (const row of rows) {
      const entry: QueueEntry = {
        instance: row.instance,
        request: requestFromRow(row),
        enqueuedAt: row.createdAt,
        state: { ...state, createAttempts: 1, nextAt: retryAtMs },
      };
      queueOps.push({ key: row.instance, value: entry });
    }
    const ticketOps = rows.map((row): TableOp<TicketRow> => ({ key: row.instance, value: row }));
    database.transaction(true, () => {
      tickets.apply(ticketOps);
      queue.apply(queueOps);
    });
  } finally {
    database.close();
  }
}

function* map<T, U>(items: Iterable<T>, fn: (item: T) => U): Generator<U> {
  for (const item of items) yield fn(item);
}
