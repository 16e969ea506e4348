/**
 * The keyed tables of the store (tickets, failed requests, queue, alarm properties) as team mode
 * writes and reads them on PostgreSQL: the same tables, row JSON in `data`, and the same real
 * columns as the SQLite store (the specs of connector/ticket-rows.ts), compiled by kysely. `seq`
 * (first-insertion order) comes from the database's clock in microseconds, so that consoles
 * writing at once need no shared counter; an update keeps it.
 */
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type { ColumnValue } from '../storage/sql-table.js';
import type { KeyedTable, KeyedTableName, StoreSchema } from '../storage/store-schema.js';

type AnyKeyed = Record<KeyedTableName, KeyedTable & Record<string, ColumnValue>>;

/** The database's clock in epoch milliseconds (every console reads the same clock). */
export const DB_NOW_MS = sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;
/** The database's clock in epoch microseconds (a new row's `seq`). */
export const DB_NOW_US = sql<number>`(extract(epoch from clock_timestamp()) * 1000000)::bigint`;

function keyed(builder: Kysely<StoreSchema>): Kysely<AnyKeyed> {
  return builder as unknown as Kysely<AnyKeyed>;
}

/** Inserts or updates the row `key` of `table` with its real columns (not compiled: a CTE). */
export function upsertKeyedQuery(
  builder: Kysely<StoreSchema>,
  table: KeyedTableName,
  key: string,
  value: unknown,
  columns: Record<string, ColumnValue> = {},
) {
  const update = { data: JSON.stringify(value), ...columns };
  return keyed(builder)
    .insertInto(table)
    .values({ key, seq: DB_NOW_US, ...update })
    .onConflict((oc) => oc.column('key').doUpdateSet(update));
}

/** Inserts or updates the row `key` of `table` with its real columns. */
export function upsertKeyed(
  builder: Kysely<StoreSchema>,
  table: KeyedTableName,
  key: string,
  value: unknown,
  columns: Record<string, ColumnValue> = {},
): CompiledQuery {
  return upsertKeyedQuery(builder, table, key, value, columns).compile();
}

/** The row `key` of `table` (its `data`). */
export function selectKeyed(
  builder: Kysely<StoreSchema>,
  table: KeyedTableName,
  key: string,
): CompiledQuery {
  return keyed(builder).selectFrom(table).select('data').where('key', '=', key).compile();
}

/** Every row of `table` in first-insertion order. */
export function selectAllKeyed(builder: Kysely<StoreSchema>, table: KeyedTableName): CompiledQuery {
  return keyed(builder).selectFrom(table).select(['key', 'data']).orderBy('seq').compile();
}

/** Deletes the row `key` of `table`. */
export function deleteKeyed(
  builder: Kysely<StoreSchema>,
  table: KeyedTableName,
  key: string,
): CompiledQuery {
  return keyed(builder).deleteFrom(table).where('key', '=', key).compile();
}

/** Parses the `data` of rows read with selectAllKeyed. */
export function parseRows<T>(rows: { key: string; data: string }[]): T[] {
  return rows.map((row) => JSON.parse(row.data) as T);
}
