/**
 * A keyed table of the SQL store (tickets, failed requests, the queue, alarm properties): the
 * row's JSON in `data`, its look-up and sort columns beside it, rows in first-insertion order
 * (`seq`). Reads are synchronous SQL by index; nothing holds every row in memory, except for
 * a table opened `cached` (the queue, whose size is the work in progress, not history).
 *
 * At open, the table's `.jsonl` journal of the release before the SQL store is imported
 * exactly once: its readable rows and the record of the import go in one synced
 * transaction, then the file is renamed aside (never deleted). A crash before the commit
 * imports it again from scratch; a crash after it only renames.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CompiledQuery, Kysely } from 'kysely';
import { CacheIndex } from './cache-index.js';
import { moveAside } from './move-aside.js';
import {
  StoreError,
  describeStoreFailure,
  sqliteCode,
  type SqliteDatabase,
} from './sqlite-database.js';
import type { KeyedTable, KeyedTableName } from './store-schema.js';

/**
 * One change to a table. `previous`: the row stored under the key (the caller read it), so
 * that an update sets only the columns that changed (SQLite rewrites the index entries of
 * every column an UPDATE sets, changed or not); a cached table knows it without being told.
 */
export type TableOp<T> = { key: string; value: T; previous?: T } | { key: string; delete: true };

/** A value of a real column. */
export type ColumnValue = string | number | null;

/** How a table stores its rows. */
export interface SqlTableSpec<T> {
  table: KeyedTableName;
  /** The real columns of a row, besides key, seq and data. */
  columns?: (row: T) => Record<string, ColumnValue>;
  /** Checks a row read from a legacy journal; rows that fail are counted as lost. */
  validate?: (value: unknown) => value is T;
  /** The `.jsonl` journal of the earlier release to import, in the data folder. */
  legacyFile?: string;
  /** Keep every row in memory too (small tables only). */
  cached?: boolean;
  /** A cached table's rows grouped in memory by this value (`cachedBy`), not by a file index. */
  cacheIndex?: (row: T) => string;
}

/** What the import of a legacy journal did. */
export interface LegacyImport {
  file: string;
  movedTo: string;
  rows: number;
  badLines: number;
}

type AnyKeyed = Record<KeyedTableName, KeyedTable & Record<string, ColumnValue>>;

/**
 * A compiled query run again with other leading parameters (same SQL text, same order); the
 * ones after them (a LIMIT) keep their compiled values.
 */
export function withParameters(query: CompiledQuery, parameters: unknown[]): CompiledQuery {
  return { ...query, parameters: [...parameters, ...query.parameters.slice(parameters.length)] };
}

/** A keyed table stored in SQL. */
export class SqlTable<T> {
  /** Grows with every committed change (windows of the views carry it). */
  revision = 0;
  /** Set when a legacy journal was imported at this open. */
  imported: LegacyImport | null = null;
  private nextSeq: number;
  /** Rows in the table (counted once, then followed); null: count again. */
  private count: number | null = null;
  /** Rows added (minus removed) by the transaction in progress. */
  private pendingDelta = 0;
  private readonly cache: Map<string, T> | null;
  private readonly index: CacheIndex<T> | null = null;
  private readonly b: Kysely<AnyKeyed>;
  private readonly getQuery: CompiledQuery;
  private readonly deleteQuery: CompiledQuery;

  private constructor(
    readonly database: SqliteDatabase,
    readonly spec: SqlTableSpec<T>,
  ) {
    this.b = database.builder as unknown as Kysely<AnyKeyed>;
    const t = spec.table;
    this.getQuery = this.b.selectFrom(t).select('data').where('key', '=', '').compile();
    this.deleteQuery = this.b.deleteFrom(t).where('key', '=', '').compile();
    const max = database.first<{ s: number | null }>(
      this.b
        .selectFrom(t)
        .select((eb) => eb.fn.max('seq').as('s'))
        .compile(),
    );
    this.nextSeq = Number(max?.s ?? 0) + 1;
    this.cache = spec.cached ? new Map(this.entriesFromSql()) : null;
    if (this.cache && spec.cacheIndex) this.index = new CacheIndex(spec.cacheIndex, this.cache);
  }

  /** Opens a table of `database`, importing its legacy journal from `dataDir` if any. */
  static open<T>(database: SqliteDatabase, spec: SqlTableSpec<T>, dataDir: string): SqlTable<T> {
    const table = new SqlTable<T>(database, { ...spec, cached: false });
    if (spec.legacyFile) table.imported = table.importLegacy(path.join(dataDir, spec.legacyFile));
    return spec.cached ? new SqlTable<T>(database, spec).withImport(table.imported) : table;
  }

  private withImport(imported: LegacyImport | null): this {
    this.imported = imported;
    return this;
  }

  private *entriesFromSql(): Generator<[string, T]> {
    const query = this.b
      .selectFrom(this.spec.table)
      .select(['key', 'data'])
      .orderBy('seq')
      .compile();
    for (const row of this.database.iterate<{ key: string; data: string }>(query))
      yield [row.key, JSON.parse(row.data) as T];
  }

  /** The row stored under `key`. */
  get(key: string): T | undefined {
    if (this.cache) return this.cache.get(key);
    const row = this.database.first<{ data: string }>(withParameters(this.getQuery, [key]));
    return row ? (JSON.parse(row.data) as T) : undefined;
  }

  /** True when a row is stored under `key`. */
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Number of rows. */
  get size(): number {
    if (this.cache) return this.cache.size;
    if (this.count !== null) return this.count;
    const row = this.database.first<{ n: number }>(
      this.b
        .selectFrom(this.spec.table)
        .select((eb) => eb.fn.countAll().as('n'))
        .compile(),
    );
    this.count = Number(row?.n ?? 0);
    return this.count;
  }

  /**
   * Rows in first-insertion order, read one at a time (a cached table's: a copy, so that the
   * table may change during the loop; an array's iterator, as the queue is scanned several
   * times a ticket).
   */
  values(): IterableIterator<T> {
    if (this.cache) return [...this.cache.values()].values();
    return this.valuesFromSql();
  }

  /** A cached table's rows whose `cacheIndex` value is `value`, in first-insertion order. */
  cachedBy(value: string): IterableIterator<T> {
    if (!this.index) throw new Error(`${this.spec.table} has no cache index`);
    return this.index.rows(value);
  }

  /**
   * A cached table's rows in first-insertion order, as they are (no copy): for a loop that
   * does not change the table (the queue is scanned several times a ticket).
   */
  cachedValues(): IterableIterator<T> {
    if (!this.cache) throw new Error(`${this.spec.table} is not cached`);
    return this.cache.values();
  }

  private *valuesFromSql(): Generator<T> {
    for (const [, value] of this.entriesFromSql()) yield value;
  }

  /** Keys in first-insertion order. */
  keys(): IterableIterator<string> {
    if (this.cache) return [...this.cache.keys()].values();
    return this.keysFromSql();
  }

  private *keysFromSql(): Generator<string> {
    for (const [key] of this.entriesFromSql()) yield key;
  }

  /**
   * The upsert of one row (a new key takes the next `seq`; an update keeps it), compiled once
   * with placeholders and run again with each row's values (compiling per row costs more
   * than SQLite's work).
   */
  private upsert(key: string, value: T, seq: number): CompiledQuery {
    const columns = this.spec.columns?.(value) ?? {};
    const named: Record<string, unknown> = { key, seq, data: JSON.stringify(value), ...columns };
    this.upsertTemplate ??= this.compileUpsert(Object.keys(columns));
    return filled(this.upsertTemplate, named);
  }

  private upsertTemplate: Template | null = null;

  private compileUpsert(columnNames: string[]): Template {
    const update: Record<string, string> = { data: mark('data') };
    for (const name of columnNames) update[name] = mark(name);
    return template(
      this.b
        .insertInto(this.spec.table)
        .values({ key: mark('key'), seq: mark('seq') as never, ...update })
        .onConflict((oc) => oc.column('key').doUpdateSet(update))
        .returning('seq')
        .compile(),
    );
  }

  /** Compiled updates by the columns they set (besides `data`), e.g. "status,ticket_id". */
  private readonly updateTemplates = new Map<string, Template>();

  /**
   * The update of a stored row that sets `data` and only the columns whose value differs from
   * `previous` (compiled once per set of columns). No row under `key`: it changes nothing.
   */
  private update(key: string, value: T, previous: T): CompiledQuery {
    const columns = this.spec.columns?.(value) ?? {};
    const before = this.spec.columns?.(previous) ?? {};
    const changed = Object.keys(columns).filter((name) => columns[name] !== before[name]);
    const id = changed.join(',');
    let compiled = this.updateTemplates.get(id);
    if (!compiled) {
      const set: Record<string, string> = { data: mark('data') };
      for (const name of changed) set[name] = mark(name);
      compiled = template(
        this.b.updateTable(this.spec.table).set(set).where('key', '=', mark('key')).compile(),
      );
      this.updateTemplates.set(id, compiled);
    }
    return filled(compiled, { key, data: JSON.stringify(value), ...columns });
  }

  /** Rows written by the transaction in progress, not yet in the cache (null: deleted). */
  private readonly written = new Map<string, T | null>();

  /** The row stored under `key` as the transaction in progress sees it (cached tables). */
  private storedInTransaction(key: string): T | undefined {
    if (!this.cache) return undefined;
    const written = this.written.get(key);
    if (written !== undefined) return written ?? undefined;
    return this.cache.get(key);
  }

  /**
   * Applies changes inside the caller's transaction (`database.transaction`). The cache and
   * the revision follow once the transaction commits (`committed`).
   */
  apply(ops: TableOp<T>[]): void {
    for (const op of ops) {
      if ('delete' in op) {
        this.pendingDelta -= this.database.run(withParameters(this.deleteQuery, [op.key]));
        if (this.cache) this.written.set(op.key, null);
        continue;
      }
      const previous = op.previous ?? this.storedInTransaction(op.key);
      if (this.cache) this.written.set(op.key, op.value);
      // An update in place (the row is there): only its changed columns.
      if (
        previous === undefined ||
        this.database.run(this.update(op.key, op.value, previous)) === 0
      ) {
        const seq = this.nextSeq++;
        const row = this.database.first<{ seq: number }>(this.upsert(op.key, op.value, seq));
        if (Number(row?.seq) === seq) this.pendingDelta++; // inserted, not updated
      }
    }
  }

  /** Forgets what a rolled-back transaction did. */
  discard(): void {
    this.pendingDelta = 0;
    this.written.clear();
  }

  /** Records committed changes in the cache and the revision. */
  committed(ops: TableOp<T>[]): void {
    if (ops.length > 0) this.revision++;
    if (this.count !== null) this.count += this.pendingDelta;
    this.pendingDelta = 0;
    this.written.clear();
    if (!this.cache) return;
    for (const op of ops) {
      this.index?.change(op.key, 'delete' in op ? undefined : op.value, this.cache.get(op.key));
      if ('delete' in op) this.cache.delete(op.key);
      else this.cache.set(op.key, op.value);
    }
  }

  /** `ops` as one part of a transaction that writes several tables (`writeTogether`). */
  change(ops: TableOp<T>[]): TableChange {
    return {
      count: ops.length,
      apply: () => this.apply(ops),
      discard: () => this.discard(),
      committed: () => this.committed(ops),
    };
  }

  /**
   * Writes changes in one transaction and resolves once they are committed (and, when
   * `durable` is not false, synced to disk). A failure rolls everything back and rejects.
   */
  commit(ops: TableOp<T>[], options: { durable?: boolean } = {}): Promise<void> {
    try {
      writeTogether(this.database, [this.change(ops)], options.durable !== false);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return Promise.resolve();
  }

  /** Imports a journal of the earlier release exactly once (see the header). */
  private importLegacy(file: string): LegacyImport | null {
    if (!fs.existsSync(file)) return null;
    const name = path.basename(file);
    const done = this.database.first<{ rows: number; bad_lines: number }>(
      this.database.builder
        .selectFrom('legacy_imports')
        .select(['rows', 'bad_lines'])
        .where('file', '=', name)
        .compile(),
    );
    let rows = Number(done?.rows ?? 0);
    let badLines = Number(done?.bad_lines ?? 0);
    if (!done) {
      const parsed = readLegacyJournal<T>(fs.readFileSync(file, 'utf8'), this.spec.validate);
      rows = parsed.rows.size;
      badLines = parsed.badLines;
      this.database.transaction(true, () => {
        this.apply([...parsed.rows].map(([key, value]) => ({ key, value })));
        this.database.run(
          this.database.builder
            .insertInto('legacy_imports')
            .values({
              file: name,
              rows,
              bad_lines: badLines,
              imported_at: new Date().toISOString(),
            })
            .compile(),
        );
      });
      this.committed([]);
      this.count = null;
    }
    const movedTo = moveAside(file, new Date(), 'imported');
    return { file, movedTo, rows, badLines };
  }
}

/** A compiled query with named placeholders, and the names in parameter order. */
export interface Template {
  query: CompiledQuery;
  names: string[];
}

/** A placeholder value naming the parameter it stands for (compiled once, see `template`). */
export function mark(name: string): string {
  return `\u0000${name}`;
}

/** The query run with the named values (a name without a value: null). */
export function filled(compiled: Template, values: Record<string, unknown>): CompiledQuery {
  return withParameters(
    compiled.query,
    compiled.names.map((name) => values[name] ?? null),
  );
}

/** A query compiled with `mark`ed values, ready to run again with others (`filled`). */
export function template(query: CompiledQuery): Template {
  const names = query.parameters.map((p) => {
    if (typeof p !== 'string' || !p.startsWith('\u0000')) throw new Error('unexpected parameter');
    return p.slice(1);
  });
  return { query, names };
}

/** Changes to one table, ready to join a transaction that writes several (`SqlTable.change`). */
export interface TableChange {
  readonly count: number;
  apply(): void;
  discard(): void;
  committed(): void;
}

/**
 * Writes changes to several tables of `database` in one transaction (`durable`: synced to
 * disk before it returns), then brings their caches and revisions up to date. A failure rolls
 * every table back and throws a StoreError whose message names the file and the cause.
 */
export function writeTogether(
  database: SqliteDatabase,
  changes: TableChange[],
  durable: boolean,
): void {
  const written = changes.filter((change) => change.count > 0);
  if (written.length === 0) return;
  try {
    database.transaction(durable, () => {
      for (const change of written) change.apply();
    });
  } catch (error) {
    for (const change of written) change.discard();
    throw new StoreError(describeStoreFailure(database.file, error), sqliteCode(error), {
      cause: error,
    });
  }
  for (const change of written) change.committed();
}

/**
 * Reads a journal of the earlier release: one `{"k":key,"v":row}` or `{"k":key,"d":1}` line
 * per change, applied in order. Unreadable lines (garbage, a last line cut short) are counted.
 */
export function readLegacyJournal<T>(
  text: string,
  validate?: (value: unknown) => value is T,
): { rows: Map<string, T>; badLines: number } {
  const rows = new Map<string, T>();
  let badLines = 0;
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    let line: unknown;
    try {
      line = JSON.parse(raw);
    } catch {
      badLines++;
      continue;
    }
    const record = line as { k?: unknown; v?: unknown; d?: unknown };
    if (typeof line !== 'object' || line === null || typeof record.k !== 'string') badLines++;
    else if (record.d === 1) rows.delete(record.k);
    else if (record.v === undefined || (validate && !validate(record.v))) badLines++;
    else rows.set(record.k, record.v as T); // an update keeps the row's place
  }
  return { rows, badLines };
}
