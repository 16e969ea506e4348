/**
 * The SQL store on PostgreSQL (team mode, issue 14): a pg Pool that runs the very queries and
 * migrations of store-schema.ts, compiled for PostgreSQL by kysely. Unlike the SQLite store it
 * is asynchronous. At connect, the migrations not applied yet run each in its own transaction
 * under a transaction-level advisory lock, so that consoles connecting at once migrate once
 * (the second waits for the lock, then sees the versions applied and skips them).
 *
 * `listen` keeps one client of its own for LISTEN (NOTIFY reaches every console, issue 14 §4)
 * and connects it again, with backoff, when the connection is lost.
 */
import type { CompiledQuery } from 'kysely';
import pg from 'pg';
import { MIGRATIONS, migrationRecord, queryBuilder } from '../storage/store-schema.js';

/** The advisory lock key of the migrations (any constant shared by every console). */
export const MIGRATION_LOCK = 0x0ceae14;

/** How a console reaches the team's PostgreSQL (the password never leaves the main process). */
export type PostgresConfig = pg.PoolConfig;

/** Runs a compiled query on a client or the pool. */
async function execute<R>(on: pg.Pool | pg.PoolClient, query: CompiledQuery): Promise<R[]> {
  const result = await on.query(query.sql, query.parameters as unknown[]);
  return result.rows as R[];
}

/** A transaction's handle: the same calls, on its client. */
export interface PostgresTransaction {
  all<R>(query: CompiledQuery): Promise<R[]>;
  first<R>(query: CompiledQuery): Promise<R | undefined>;
  run(query: CompiledQuery): Promise<number>;
  /** Raw SQL with parameters (advisory locks, NOTIFY). */
  raw<R>(sql: string, parameters?: unknown[]): Promise<R[]>;
}

function handle(on: pg.Pool | pg.PoolClient): PostgresTransaction {
  return {
    all: (query) => execute(on, query),
    first: async <R>(query: CompiledQuery) => (await execute<R>(on, query))[0],
    run: async (query) => (await on.query(query.sql, query.parameters as unknown[])).rowCount ?? 0,
    raw: async <R>(sql: string, parameters: unknown[] = []) =>
      (await on.query(sql, parameters)).rows as R[],
  };
}

/** The team's store on PostgreSQL. */
export class PostgresStore implements PostgresTransaction {
  readonly builder = queryBuilder('postgres');
  private readonly direct: PostgresTransaction;
  private closed = false;
  private readonly listeners: pg.Client[] = [];

  private constructor(
    private readonly pool: pg.Pool,
    private readonly config: PostgresConfig,
  ) {
    this.direct = handle(pool);
  }

  /** Connects and applies the migrations not applied yet. */
  static async connect(config: PostgresConfig): Promise<PostgresStore> {
    const pool = new pg.Pool({ max: 4, ...config });
    // A connection lost while idle must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    const store = new PostgresStore(pool, config);
    try {
      await store.migrate();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return store;
  }

  /** The versions applied, in order. */
  async appliedVersions(): Promise<number[]> {
    const rows = await this.all<{ version: number }>(
      this.builder.selectFrom('schema_version').select('version').orderBy('version').compile(),
    );
    return rows.map((r) => Number(r.version));
  }

  private async migrate(): Promise<void> {
    await this.transaction(async (tx) => {
      await tx.raw('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await tx.raw(
        'CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)',
      );
    });
    for (const migration of MIGRATIONS) {
      await this.transaction(async (tx) => {
        // Held until this transaction ends: one console applies a migration, the others wait.
        await tx.raw('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        const done = await tx.first(
          this.builder
            .selectFrom('schema_version')
            .select('version')
            .where('version', '=', migration.version)
            .compile(),
        );
        if (done) return;
        for (const step of migration.steps(this.builder)) await tx.run(step);
        await tx.run(migrationRecord(this.builder, migration));
      });
    }
  }

  all<R>(query: CompiledQuery): Promise<R[]> {
    return this.direct.all(query);
  }

  first<R>(query: CompiledQuery): Promise<R | undefined> {
    return this.direct.first(query);
  }

  run(query: CompiledQuery): Promise<number> {
    return this.direct.run(query);
  }

  raw<R>(sql: string, parameters?: unknown[]): Promise<R[]> {
    return this.direct.raw(sql, parameters);
  }

  /** Runs `fn` in one transaction on one client: committed if it resolves, else rolled back. */
  async transaction<T>(fn: (tx: PostgresTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A connection cut while checked out (a server restart) fails the query in progress;
    // the event itself must not crash the process.
    const ignore = (): void => undefined;
    client.on('error', ignore);
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await fn(handle(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.off('error', ignore);
      client.release(broken);
    }
  }

  /**
   * Listens on `channel` with a client of its own; `onNotify` gets each payload, `onState`
   * whether the listener is connected. Reconnects with backoff (0.25 s doubling to 5 s).
   */
  listen(
    channel: string,
    onNotify: (payload: string) => void,
    onState: (connected: boolean) => void = () => undefined,
  ): void {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Not a plain channel: ${channel}`);
    let delay = 250;
    const attempt = async (): Promise<void> => {
      if (this.closed) return;
      const client = new pg.Client(this.config);
      this.listeners.push(client);
      let gone = false;
      const lost = (): void => {
        if (gone) return;
        gone = true;
        this.listeners.splice(this.listeners.indexOf(client), 1);
        client.end().catch(() => undefined);
        onState(false);
        if (!this.closed) setTimeout(() => void attempt(), delay).unref();
        delay = Math.min(delay * 2, 5_000);
      };
      client.on('error', lost);
      client.on('end', lost);
      client.on('notification', (message) => onNotify(message.payload ?? ''));
      try {
        await client.connect();
        await client.query(`LISTEN ${channel}`);
        delay = 250;
        onState(true);
      } catch {
        lost();
      }
    };
    void attempt();
  }

  /** Sends `payload` to every console listening on `channel`. */
  async notify(channel: string, payload: string): Promise<void> {
    await this.raw('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  /** Closes the pool and the listeners. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const client of [...this.listeners]) {
      client.removeAllListeners('end');
      client.removeAllListeners('error');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
    await this.pool.end().catch(() => undefined);
  }
}
