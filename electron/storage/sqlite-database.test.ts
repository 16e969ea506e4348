import { spawn } from 'node:child_process';
import {
  copyFile,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { CompiledQuery } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { SqlTable } from './sql-table.js';
import { DATABASE_FILE, SqliteDatabase, StoreError } from './sqlite-database.js';
import { MIGRATIONS, queryBuilder } from './store-schema.js';
import { LOG_PREALLOCATED_BYTES, preallocateLog } from './wal-sync.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'oceane-sqlite-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

type Props = Record<string, string>;
function propsTable(database: SqliteDatabase, dir: string): SqlTable<Props> {
  return SqlTable.open<Props>(database, { table: 'alarm_properties' }, dir);
}

/** A database with `rows` rows, closed. */
async function filled(rows: number): Promise<string> {
  const dir = await tempDir();
  const database = SqliteDatabase.open(dir);
  const table = propsTable(database, dir);
  await table.commit(
    Array.from({ length: rows }, (_, i) => ({ key: `1/${i}`, value: { n: 'x'.repeat(200) } })),
  );
  database.close();
  return dir;
}

describe('the SQLite store', () => {
  it('the services of one process share one connection per file, closed with the last of them', async () => {
    const dir = await tempDir();
    const tickets = SqliteDatabase.open(dir);
    const properties = SqliteDatabase.open(dir);
    // A temporary table lives in its connection: the other handle sees it only when shared.
    tickets.exec('CREATE TEMP TABLE probe (n INTEGER)');
    tickets.exec('INSERT INTO probe VALUES (7)');
    const probe = CompiledQuery.raw('SELECT n FROM probe');
    expect(properties.all(probe)).toEqual([{ n: 7 }]);
    // Closing one handle refuses its own calls and leaves the other working.
    tickets.close();
    expect(() => tickets.all(probe)).toThrow(StoreError);
    expect(() => tickets.exec('SELECT 1')).toThrow(/is closed/);
    expect(properties.all(probe)).toEqual([{ n: 7 }]);
    const table = propsTable(properties, dir);
    await table.commit([{ key: 'a', value: { v: '1' } }]);
    properties.close();
    // Once the last is closed, the next open is a new connection (the temporary table gone).
    const again = SqliteDatabase.open(dir);
    expect(() => again.all(probe)).toThrow(/no such table/);
    expect(propsTable(again, dir).get('a')).toEqual({ v: '1' });
    again.close();
  });

  it('syncs the log in the background after an unsynced commit, not after a durable one; a close during that sync loses nothing', async () => {
    const dir = await tempDir();
    const database = SqliteDatabase.open(dir);
    const table = propsTable(database, dir);
    const state = (promise: Promise<void>): Promise<string> =>
      Promise.race([promise.then(() => 'synced'), Promise.resolve().then(() => 'running')]);
    await table.commit([{ key: 'a', value: { v: '1' } }]);
    expect(await state(database.walSynced())).toBe('synced');
    await table.commit([{ key: 'b', value: { v: '2' } }], { durable: false });
    // The thread pool's fdatasync answers in a later turn of the event loop.
    expect(await state(database.walSynced())).toBe('running');
    await database.walSynced();
    expect(await state(database.walSynced())).toBe('synced');
    await table.commit([{ key: 'c', value: { v: '3' } }], { durable: false });
    const waiting = database.walSynced();
    database.close();
    await waiting;
    const again = propsTable(SqliteDatabase.open(dir), dir);
    expect([...again.keys()]).toEqual(['a', 'b', 'c']);
    again.database.close();
  });

  it('writes the log ahead at open; a copy of the files taken while open (as a kill leaves them) reopens with every commit', async () => {
    const dir = await tempDir();
    const database = SqliteDatabase.open(dir);
    const wal = path.join(dir, `${DATABASE_FILE}-wal`);
    expect((await stat(wal)).size).toBe(LOG_PREALLOCATED_BYTES);
    const table = propsTable(database, dir);
    await table.commit([{ key: 'a', value: { v: '1' } }]);
    await table.commit([{ key: 'b', value: { v: '2' } }], { durable: false });
    await table.commit([{ key: 'a', value: { v: '3' } }]);
    // The commits went into the log written ahead: it did not grow.
    expect((await stat(wal)).size).toBe(LOG_PREALLOCATED_BYTES);
    const copy = await tempDir();
    await copyFile(path.join(dir, DATABASE_FILE), path.join(copy, DATABASE_FILE));
    await copyFile(wal, path.join(copy, `${DATABASE_FILE}-wal`));
    database.close();
    // The copy's log ends with zeros: recovery stops there, every commit before it is kept.
    const again = SqliteDatabase.open(copy);
    const rows = propsTable(again, copy);
    expect([...rows.keys()]).toEqual(['a', 'b']);
    expect(rows.get('a')).toEqual({ v: '3' });
    again.close();
  });

  it('the log written ahead: a log already that long is left alone; a failure is returned, not thrown', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'log');
    await writeFile(file, Buffer.alloc(10, 7));
    expect(preallocateLog(file, 100)).toBeNull();
    const grown = await readFile(file);
    expect(grown.length).toBe(100);
    expect([...grown.subarray(0, 10)]).toEqual(Array(10).fill(7));
    expect(grown.subarray(10).every((byte) => byte === 0)).toBe(true);
    expect(preallocateLog(file, 50)).toBeNull();
    expect((await stat(file)).size).toBe(100);
    expect(preallocateLog(path.join(dir, 'missing', 'log'), 100)).toBeInstanceOf(Error);
  });

  it('keeps rows across a reopen, in insertion order, an update keeping its place', async () => {
    const dir = await tempDir();
    const first = SqliteDatabase.open(dir);
    const table = propsTable(first, dir);
    await table.commit([
      { key: 'a', value: { v: '1' } },
      { key: 'b', value: { v: '2' } },
    ]);
    await table.commit([{ key: 'a', value: { v: '3' } }]);
    await table.commit([
      { key: 'c', value: { v: '4' } },
      { key: 'b', delete: true },
    ]);
    first.close();
    const again = propsTable(SqliteDatabase.open(dir), dir);
    expect([...again.keys()]).toEqual(['a', 'c']);
    expect(again.get('a')).toEqual({ v: '3' });
    expect(again.size).toBe(2);
    expect(again.has('b')).toBe(false);
    again.database.close();
  });

  it.for(['garbage', 'truncated'] as const)(
    'a %s database file is kept aside, the app starts on a new one, and says which file and why',
    async (how) => {
      const dir = await filled(2000);
      const file = path.join(dir, DATABASE_FILE);
      if (how === 'garbage') await writeFile(file, Buffer.alloc(8192, 0x5a));
      else await truncate(file, Math.floor((await readFile(file)).length / 2));
      const before = await readFile(file);
      const database = SqliteDatabase.open(dir);
      expect(database.recovery).toMatchObject({ file });
      expect(database.recovery?.cause).toMatch(/not a database|cut short/);
      expect(propsTable(database, dir).size).toBe(0);
      database.close();
      const kept = (await readdir(dir)).filter((n) => n.startsWith(`${DATABASE_FILE}.broken-`));
      expect(kept).toHaveLength(1);
      expect((await readFile(path.join(dir, kept[0] ?? ''))).equals(before)).toBe(true);
    },
  );

  it('a data folder that cannot be written: a sentence naming the file and the cause', async () => {
    const dir = await tempDir();
    const notAFolder = path.join(dir, 'data');
    await writeFile(notAFolder, 'a file where the data folder should be');
    const opening = () => SqliteDatabase.open(notAFolder);
    expect(opening).toThrow(StoreError);
    expect(opening).toThrow(
      new RegExp(`${DATABASE_FILE} cannot be written \\(.*\\)\\. Check the permissions`),
    );
  });

  it('a full disk (SQLITE_FULL for real): the change is refused whole, said so, nothing lost', async () => {
    const dir = await filled(10);
    const database = SqliteDatabase.open(dir);
    const table = propsTable(database, dir);
    const pages = Number(database.pragma('page_count'));
    database.exec(`PRAGMA max_page_count = ${pages}`);
    const big = Array.from({ length: 500 }, (_, i) => ({
      key: `2/${i}`,
      value: { n: 'y'.repeat(500) },
    }));
    const refused = table.commit(big);
    await expect(refused).rejects.toThrow(/The disk holding .*oceane-console\.db is full/);
    await expect(refused).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    expect(table.size).toBe(10);
    expect(table.has('2/0')).toBe(false);
    database.exec('PRAGMA max_page_count = 1073741823');
    await table.commit(big);
    expect(table.size).toBe(510);
    database.close();
  });

  it('a database locked by another process: the write waits, then is refused with a sentence; it works once the lock is gone', async () => {
    const dir = await filled(1);
    const file = path.join(dir, DATABASE_FILE);
    // Another process holds an exclusive transaction until told to let go.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const { DatabaseSync } = require('node:sqlite');
         const db = new DatabaseSync(${JSON.stringify(file)});
         db.exec('BEGIN EXCLUSIVE');
         db.exec("INSERT INTO alarm_properties (key, seq, data) VALUES ('held', 99, '{}')");
         process.stdout.write('locked\\n');
         process.stdin.once('data', () => { db.exec('ROLLBACK'); db.close(); process.exit(0); });`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const database = SqliteDatabase.open(dir);
    // The other process may be appending to the log: it was not written ahead.
    expect((await stat(`${file}-wal`)).size).toBeLessThan(LOG_PREALLOCATED_BYTES);
    const table = propsTable(database, dir);
    const refused = table.commit([{ key: 'mine', value: { v: '1' } }]);
    await expect(refused).rejects.toThrow(
      /oceane-console\.db is locked by another program \(.*\)\. Close the other copy/,
    );
    holder.stdin.write('go\n');
    await new Promise((resolve) => holder.once('exit', resolve));
    await table.commit([{ key: 'mine', value: { v: '1' } }]);
    expect([...table.keys()]).toEqual(['1/0', 'mine']);
    database.close();
  });
});

describe('the migrations', () => {
  it('bring a version-1 store to version 2: its rows kept, the Tickets sort indexes but the default order dropped', async () => {
    const dir = await tempDir();
    const v1 = new DatabaseSync(path.join(dir, DATABASE_FILE));
    v1.exec(
      'CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const first = MIGRATIONS[0]!;
    for (const step of first.steps(queryBuilder())) v1.exec(step.sql);
    v1.prepare('INSERT INTO schema_version VALUES (?, ?, ?)').run(1, first.name, 'then');
    v1.prepare('INSERT INTO alarm_properties (key, seq, data) VALUES (?, ?, ?)').run(
      '1/2',
      1,
      '{"v":"kept"}',
    );
    v1.close();
    const database = SqliteDatabase.open(dir);
    const versions = database.all<{ version: number }>(
      CompiledQuery.raw('SELECT version FROM schema_version ORDER BY version'),
    );
    // Every later migration applies too (each adds its own tables).
    expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
    const indexes = database
      .all<{ name: string }>(
        CompiledQuery.raw(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tickets' AND sql IS NOT NULL ORDER BY name",
        ),
      )
      .map((i) => i.name);
    // (Migration 9 has since made the ticket id index leave out the rows without one.)
    expect(indexes).toEqual([
      'tickets_by_alarm',
      'tickets_by_known_ticket_id',
      'tickets_by_seq',
      'tickets_by_status',
      'tickets_sorted_by_created_at',
    ]);
    expect(propsTable(database, dir).get('1/2')).toEqual({ v: 'kept' });
    database.close();
  });
});

describe('migration 6 (team mode) on SQLite', () => {
  it('refuses a second claim on an alarm, and adds the lease columns to the queue', async () => {
    const database = SqliteDatabase.open(await tempDir());
    const b = database.builder;
    const claim = (request: string) =>
      b
        .insertInto('alarm_claims')
        .values({ alarm_key: '1/2', request_key: request, console: 'A', claimed_at: 'now' })
        .compile();
    database.run(claim('r1'));
    expect(() => database.run(claim('r2'))).toThrow(/UNIQUE/);
    database.run(
      b
        .insertInto('queue')
        .values({
          key: 'r1',
          seq: 1,
          data: '{}',
          alarm_key: '1/2',
          lease_owner: 'A',
          lease_until: 5,
        })
        .compile(),
    );
    expect(
      database.first(b.selectFrom('queue').select(['lease_owner', 'lease_until']).compile()),
    ).toEqual({
      lease_owner: 'A',
      lease_until: 5,
    });
    database.close();
  });
});

/** A store in `dir` as the release with migrations up to `version` left it (still open). */
function storeAtVersion(dir: string, version: number): DatabaseSync {
  const db = new DatabaseSync(path.join(dir, DATABASE_FILE));
  db.exec(
    'CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  for (const migration of MIGRATIONS.filter((m) => m.version <= version)) {
    for (const step of migration.steps(queryBuilder())) db.exec(step.sql);
    db.prepare('INSERT INTO schema_version VALUES (?, ?, ?)').run(
      migration.version,
      migration.name,
      'then',
    );
  }
  return db;
}

describe('migrations 7 to 9 (issue 9)', () => {
  it('drop the seq, lease and alarm indexes of the queue from a version-6 store, its requests kept in order', async () => {
    const dir = await tempDir();
    const v6 = storeAtVersion(dir, 6);
    const insert = v6.prepare('INSERT INTO queue (key, seq, data, alarm_key) VALUES (?, ?, ?, ?)');
    insert.run('b', 2, '{"n":"second"}', '1/2');
    insert.run('a', 1, '{"n":"first"}', '1/1');
    v6.close();
    const queueIndexes = (database: SqliteDatabase) =>
      database
        .all<{ name: string }>(
          CompiledQuery.raw(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'queue' AND sql IS NOT NULL ORDER BY name",
          ),
        )
        .map((i) => i.name);
    const database = SqliteDatabase.open(dir);
    const versions = database.all<{ version: number }>(
      CompiledQuery.raw('SELECT version FROM schema_version ORDER BY version'),
    );
    expect(versions.map((v) => v.version)).toEqual(expect.arrayContaining([7, 8]));
    expect(queueIndexes(database)).toEqual([]);
    const queue = SqlTable.open<{ n: string }>(database, { table: 'queue', cached: true }, dir);
    expect([...queue.values()]).toEqual([{ n: 'first' }, { n: 'second' }]);
    database.close();
    // Team mode's PostgreSQL keeps both (its consoles pick leased requests by them).
    const seven = MIGRATIONS.find((m) => m.version === 7)!;
    expect(seven.steps(queryBuilder('postgres'))).toEqual([]);
    expect(seven.steps(queryBuilder('sqlite')).map((q) => q.sql)).toEqual([
      'drop index if exists "queue_by_seq"',
      'drop index if exists "queue_by_lease"',
    ]);
    // Migration 8's alarm index of the queue, likewise (team mode keeps it).
    expect(MIGRATIONS.find((m) => m.version === 8)!.steps(queryBuilder('postgres'))).toEqual([]);
  });

  it('migration 9 rebuilds the ticket id index of a version-8 store without the rows that have none', async () => {
    const dir = await tempDir();
    const v8 = storeAtVersion(dir, 8);
    const insert = v8.prepare(
      "INSERT INTO tickets (key, seq, data, alarm_key, status, created_at, ticket_id, element_name, alarm_id, priority, urgency, technical_impact, search) VALUES (?, ?, '{}', '1/1', ?, 't', ?, 'E', '1', 'High', 'Low', 'Minor', '')",
    );
    insert.run('pending', 1, 'Pending', '');
    insert.run('created', 2, 'Created', 'OCE-1');
    v8.close();
    const database = SqliteDatabase.open(dir);
    const raw = (sql: string) => database.all<Record<string, unknown>>(CompiledQuery.raw(sql));
    expect(raw("SELECT sql FROM sqlite_master WHERE name = 'tickets_by_known_ticket_id'")).toEqual([
      {
        sql: `CREATE INDEX "tickets_by_known_ticket_id" on "tickets" ("ticket_id") where "ticket_id" != ''`,
      },
    ]);
    // The rows without a ticket id are left out of it, and the rows are all kept.
    expect(
      raw(
        "SELECT count(*) AS n FROM tickets INDEXED BY tickets_by_known_ticket_id WHERE ticket_id != ''",
      ),
    ).toEqual([{ n: 1 }]);
    expect(raw('SELECT key FROM tickets ORDER BY seq')).toEqual([
      { key: 'pending' },
      { key: 'created' },
    ]);
    database.close();
    expect(MIGRATIONS.find((m) => m.version === 9)!.steps(queryBuilder('postgres'))).toEqual([]);
  });
});

describe('migrations applied by version', () => {
  it('applies a migration numbered below one already applied (branches merged out of order)', async () => {
    const dir = await tempDir();
    const raw = new DatabaseSync(path.join(dir, DATABASE_FILE));
    raw.exec(
      'CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const [first, ...rest] = MIGRATIONS;
    const last = rest[rest.length - 1]!;
    for (const migration of [first!, last]) {
      for (const step of migration.steps(queryBuilder())) raw.exec(step.sql);
      raw
        .prepare('INSERT INTO schema_version VALUES (?, ?, ?)')
        .run(migration.version, migration.name, 'then');
    }
    raw.close();
    const database = SqliteDatabase.open(dir);
    const versions = database.all<{ version: number }>(
      CompiledQuery.raw('SELECT version FROM schema_version ORDER BY version'),
    );
    expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
    database.close();
  });
});

describe('migration 1 as released', () => {
  it('creates the same indexes (names, tables, columns) in both dialects', () => {
    const released = [
      'create index "tickets_by_seq" on "tickets" ("seq")',
      'create index "failed_requests_by_seq" on "failed_requests" ("seq")',
      'create index "queue_by_seq" on "queue" ("seq")',
      'create index "alarm_properties_by_seq" on "alarm_properties" ("seq")',
      'create index "tickets_by_alarm" on "tickets" ("alarm_key", "status")',
      'create index "tickets_by_status" on "tickets" ("status", "seq")',
      'create index "queue_by_alarm" on "queue" ("alarm_key")',
      'create index "tickets_sorted_by_created_at" on "tickets" ("created_at", "key")',
      'create index "tickets_sorted_by_ticket_id" on "tickets" ("ticket_id", "key")',
      'create index "tickets_sorted_by_element_name" on "tickets" ("element_name", "key")',
      'create index "tickets_sorted_by_alarm_id" on "tickets" ("alarm_id", "key")',
      'create index "tickets_sorted_by_priority" on "tickets" ("priority", "key")',
      'create index "tickets_sorted_by_urgency" on "tickets" ("urgency", "key")',
      'create index "tickets_sorted_by_technical_impact" on "tickets" ("technical_impact", "key")',
      'create index "tickets_sorted_by_status" on "tickets" ("status", "key")',
      'create index "failed_by_ticket" on "failed_requests" ("ticket_instance")',
      'create index "failed_sorted_by_failed_at" on "failed_requests" ("failed_at", "key")',
      'create index "failed_sorted_by_http_error_code" on "failed_requests" ("http_error_code", "key")',
      'create index "failed_sorted_by_app_error_code" on "failed_requests" ("app_error_code", "key")',
      'create index "failed_sorted_by_error_message" on "failed_requests" ("error_message", "key")',
      'create index "failed_sorted_by_failed_call" on "failed_requests" ("failed_call", "key")',
    ];
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const indexes = MIGRATIONS[0]!
        .steps(queryBuilder(dialect))
        .map((q) => q.sql)
        .filter((s) => s.startsWith('create index'));
      expect(indexes).toEqual(released);
    }
  });
});
