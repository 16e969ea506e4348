/**
 * The embedded SQL store: one SQLite file in the data folder, opened with `node:sqlite`
 * (`DatabaseSync`, the SQLite that Electron's own Node.js carries: nothing native to rebuild).
 * Queries come compiled from kysely (store-schema.ts) and run synchronously through a cache
 * of prepared statements, so that a read such as "does this alarm have an open request" is
 * one cheap call. WAL mode; a durable transaction is synced (`synchronous=FULL`) before it
 * returns, the others (state that can be re-derived) only written (`NORMAL`).
 *
 * The services of one process that open the same file share one connection (counted, closed
 * with the last of them): with a connection each, every commit of one made SQLite drop the
 * whole page cache of the others at their next read, and on a long history each ticket then
 * read its index pages from the file again (issue 9's store-vs-fsync). Their transactions are
 * synchronous, so they cannot interleave on the shared connection.
 *
 * A file that is not a usable database (garbage, cut short) is kept aside under a
 * time-stamped name with its WAL, and a new database is started; `recovery` says so.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { CompiledQuery } from 'kysely';
import { fsyncDirectory, moveAside } from './move-aside.js';
import { MIGRATIONS, migrationRecord, queryBuilder } from './store-schema.js';
import { WalSync, preallocateLog } from './wal-sync.js';

/** The database file inside the data folder. */
export const DATABASE_FILE = 'oceane-console.db';

/** A damaged database kept aside at open. */
export interface StoreRecovery {
  file: string;
  movedTo: string;
  cause: string;
}

/** A storage failure with a sentence for the operator (what happened, what to do). */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** SQLite's extended error code name of an error from node:sqlite, or ''. */
export function sqliteCode(error: unknown): string {
  const e = error as { errcode?: number; errstr?: string; code?: string; message?: string };
  const primary = typeof e?.errcode === 'number' ? e.errcode & 0xff : -1;
  const names: Record<number, string> = {
    5: 'SQLITE_BUSY',
    6: 'SQLITE_LOCKED',
    8: 'SQLITE_READONLY',
    10: 'SQLITE_IOERR',
    11: 'SQLITE_CORRUPT',
    13: 'SQLITE_FULL',
    14: 'SQLITE_CANTOPEN',
    26: 'SQLITE_NOTADB',
  };
  return names[primary] ?? (typeof e?.code === 'string' ? e.code : '');
}

/** The operator's sentence for a failure of the store file `file`. */
export function describeStoreFailure(file: string, error: unknown): string {
  const code = sqliteCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'SQLITE_FULL':
      return `The disk holding ${file} is full (${detail}). Free some space; nothing was lost.`;
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return `${file} is locked by another program (${detail}). Close the other copy of the app or the program holding the file, then try again.`;
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
    case 'EEXIST':
    case 'ENOTDIR':
      return `${file} cannot be written (${detail}). Check the permissions of the data folder and that its disk is not read-only.`;
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return `${file} is damaged (${detail}). Restart the app: it keeps the damaged file aside and starts a new one.`;
    default:
      return `${file} could not be written (${detail}). Check the free disk space and the data folder.`;
  }
}

const BUSY_TIMEOUT_MS = 2000;

/**
 * Pages SQLite keeps in memory per connection (KiB, as `PRAGMA cache_size` takes a negative
 * count): the upper levels of every index of a long history stay cached (the default, 2 MiB,
 * holds fewer than the interior pages of the Tickets indexes at a million rows).
 */
const CACHE_KIB = 16 * 1024;

/** One SQLite connection, shared by the handles of one process on the same file. */
interface Connection {
  readonly db: DatabaseSync;
  readonly statements: Map<string, StatementSync>;
  synchronous: 'FULL' | 'NORMAL';
  /** Depth of the transaction in progress (nested calls join it). */
  depth: number;
  /** Open handles. */
  handles: number;
  /** The log synced in the background after unsynced commits (wal-sync.ts). */
  readonly walSync: WalSync;
}

/** Open connections by absolute file name. */
const connections = new Map<string, Connection>();

/** One open SQLite database. */
export class SqliteDatabase {
  readonly builder = queryBuilder('sqlite');
  /** Set when a damaged file was kept aside at open. */
  recovery: StoreRecovery | null = null;
  private closed = false;
  private readonly db: DatabaseSync;

  private constructor(
    readonly file: string,
    private readonly connection: Connection,
  ) {
    this.db = connection.db;
  }

  /** Opens (creating it and the folder when missing) the store of `dataDir`. */
  static open(dataDir: string, fileName = DATABASE_FILE): SqliteDatabase {
    const file = path.resolve(dataDir, fileName);
    const open = connections.get(file);
    if (open) {
      open.handles++;
      return new SqliteDatabase(file, open);
    }
    try {
      fs.mkdirSync(dataDir, { recursive: true });
    } catch (error) {
      throw new StoreError(describeStoreFailure(file, error), sqliteCode(error), { cause: error });
    }
    try {
      return SqliteDatabase.openFile(file);
    } catch (error) {
      const code = sqliteCode(error);
      if (code !== 'SQLITE_NOTADB' && code !== 'SQLITE_CORRUPT') {
        throw new StoreError(describeStoreFailure(file, error), code, { cause: error });
      }
      // Damaged: keep it (and its WAL) aside, start a new database.
      const now = new Date();
      const movedTo = moveAside(file, now);
      for (const suffix of ['-wal', '-shm']) {
        if (fs.existsSync(file + suffix)) moveAside(file + suffix, now);
      }
      const database = SqliteDatabase.openFile(file);
      const cause = error instanceof Error ? error.message : String(error);
      database.recovery = { file, movedTo, cause };
      return database;
    }
  }

  private static openFile(file: string): SqliteDatabase {
    const existed = fs.existsSync(file);
    if (existed) checkNotTruncated(file);
    const db = new DatabaseSync(file, { timeout: BUSY_TIMEOUT_MS });
    const connection: Connection = {
      db,
      statements: new Map(),
      synchronous: 'FULL',
      depth: 0,
      handles: 1,
      walSync: new WalSync(`${file}-wal`),
    };
    const database = new SqliteDatabase(file, connection);
    try {
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = FULL');
      db.exec('PRAGMA foreign_keys = ON');
      db.exec(`PRAGMA cache_size = -${CACHE_KIB}`);
      database.migrate();
    } catch (error) {
      db.close();
      throw error;
    }
    database.preallocateLog();
    if (!existed) fsyncDirectory(path.dirname(file));
    connections.set(file, connection);
    return database;
  }

  /** Applies the migrations not applied yet, each in one transaction. */
  private migrate(): void {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    // Each migration is looked up by its version (not "every version up to the highest"): a
    // store of a branch that numbered its migration ahead still gets the ones merged below it.
    const applied = new Set(
      this.all<{ version: number }>(
        this.builder.selectFrom('schema_version').select('version').compile(),
      ).map((row) => Number(row.version)),
    );
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      this.transaction(true, () => {
        for (const step of migration.steps(this.builder)) this.run(step);
        this.run(migrationRecord(this.builder, migration));
      });
    }
  }

  /**
   * Writes the log ahead (wal-sync.ts, `preallocateLog`) under the write lock, taken without
   * waiting: when another process holds the database, nothing is done.
   */
  private preallocateLog(): void {
    try {
      this.db.exec('PRAGMA busy_timeout = 0');
      this.db.exec('BEGIN IMMEDIATE');
    } catch {
      this.db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      return;
    }
    try {
      preallocateLog(`${this.file}-wal`);
    } finally {
      this.db.exec('COMMIT');
      this.db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }

  /** The connection, or a StoreError once this handle is closed (others may still use it). */
  private open(): DatabaseSync {
    if (this.closed) throw new StoreError(`${this.file} is closed`, 'CLOSED');
    return this.db;
  }

  private statement(query: CompiledQuery): StatementSync {
    const db = this.open();
    const statements = this.connection.statements;
    let statement = statements.get(query.sql);
    if (!statement) {
      statement = db.prepare(query.sql);
      statements.set(query.sql, statement);
    }
    return statement;
  }

  /** Runs a statement; returns the number of rows changed. */
  run(query: CompiledQuery): number {
    const result = this.statement(query).run(...(query.parameters as SQLInputValue[]));
    return Number(result.changes);
  }

  /** Every row of a query. */
  all<R>(query: CompiledQuery): R[] {
    return this.statement(query).all(...(query.parameters as SQLInputValue[])) as R[];
  }

  /** The first row of a query. */
  first<R>(query: CompiledQuery): R | undefined {
    return this.statement(query).get(...(query.parameters as SQLInputValue[])) as R | undefined;
  }

  /** The rows of a query, one at a time (nothing holds them all). */
  *iterate<R>(query: CompiledQuery): Generator<R> {
    // A fresh statement: an iteration may run while the cached one is used again.
    const statement = this.open().prepare(query.sql);
    for (const row of statement.iterate(...(query.parameters as SQLInputValue[]))) yield row as R;
  }

  /**
   * Runs `fn` in one transaction (nested calls join the outer one, which decides). `durable`:
   * synced to disk before returning.
   */
  transaction<T>(durable: boolean, fn: () => T): T {
    if (this.closed) throw new StoreError(`${this.file} is closed`, 'CLOSED');
    const connection = this.connection;
    if (connection.depth > 0) {
      // Joins the outer transaction, which decides whether the commit is synced.
      connection.depth++;
      try {
        return fn();
      } finally {
        connection.depth--;
      }
    }
    this.setSynchronous(durable ? 'FULL' : 'NORMAL');
    this.control('BEGIN IMMEDIATE').run();
    connection.depth = 1;
    try {
      const result = fn();
      this.control('COMMIT').run();
      if (!durable) connection.walSync.request();
      return result;
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw error;
    } finally {
      connection.depth = 0;
    }
  }

  /**
   * BEGIN or COMMIT, prepared once (exec parses it again at every call). Not the pragmas: SQLite
   * applies `PRAGMA synchronous` when it compiles the statement, so a prepared one does nothing
   * when run again.
   */
  private control(sql: 'BEGIN IMMEDIATE' | 'COMMIT'): StatementSync {
    const statements = this.connection.statements;
    let statement = statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  }

  private setSynchronous(mode: 'FULL' | 'NORMAL'): void {
    if (this.connection.synchronous === mode) return;
    this.db.exec(`PRAGMA synchronous = ${mode}`);
    this.connection.synchronous = mode;
  }

  /** The value of a pragma (page_count, max_page_count...). */
  pragma(name: string): unknown {
    const row = this.open().prepare(`PRAGMA ${name}`).get() as Record<string, unknown> | undefined;
    return row ? Object.values(row)[0] : undefined;
  }

  /** Executes raw SQL (tests, pragmas). */
  exec(sql: string): void {
    this.open().exec(sql);
  }

  /**
   * Resolves once the log holds no unsynced commit that a background sync has not reached
   * (benchmarks wait for it before measuring their baselines; tests).
   */
  walSynced(): Promise<void> {
    return this.connection.walSync.idle();
  }

  /** True once closed. */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Closes this handle; the last handle of the file closes the connection (a WAL checkpoint
   * folds the log into the file).
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const connection = this.connection;
    if (--connection.handles > 0) return;
    connections.delete(this.file);
    connection.walSync.close();
    connection.statements.clear();
    this.db.close();
  }
}

/** Throws SQLITE_NOTADB-like errors for a file shorter than its header says (cut short). */
function checkNotTruncated(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return;
    const header = Buffer.alloc(100);
    const read = fs.readSync(fd, header, 0, 100, 0);
    const notADatabase = (why: string): never => {
      throw Object.assign(new Error(`file is not a database (${why})`), { errcode: 26 });
    };
    if (read < 100 || header.toString('latin1', 0, 16) !== 'SQLite format 3\u0000')
      notADatabase('no SQLite header');
    const rawPageSize = header.readUInt16BE(16);
    const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
    const pages = header.readUInt32BE(28);
    const valid = header.readUInt32BE(24) === header.readUInt32BE(92);
    if (valid && pages > 0 && size < pages * pageSize)
      notADatabase(`cut short: ${size} of ${pages * pageSize} bytes`);
  } finally {
    fs.closeSync(fd);
  }
}
