import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { SqlTable } from './sql-table.js';
import { SqliteDatabase } from './sqlite-database.js';

const dirs: string[] = [];
const databases: SqliteDatabase[] = [];
async function openDatabase(): Promise<{ dir: string; database: SqliteDatabase }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'oceane-sql-table-'));
  dirs.push(dir);
  const database = SqliteDatabase.open(dir);
  databases.push(database);
  return { dir, database };
}
afterEach(async () => {
  for (const database of databases.splice(0)) database.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

interface Row {
  key: string;
  status: string;
  createdAt: string;
  ticketId: string;
}

function ticketsTable(database: SqliteDatabase, dir: string): SqlTable<Row> {
  return SqlTable.open<Row>(
    database,
    {
      table: 'tickets',
      columns: (row) => ({
        alarm_key: `1/${row.key}`,
        status: row.status,
        created_at: row.createdAt,
        ticket_id: row.ticketId,
        element_name: 'E',
        alarm_id: row.key,
        priority: 'High',
        urgency: 'High',
        technical_impact: 'Major',
        search: `${row.status} ${row.ticketId}`,
      }),
    },
    dir,
  );
}

/** Records, per column, the UPDATEs that set it (SQLite fires `UPDATE OF c` for a set column). */
function watchColumns(database: SqliteDatabase, table: string, columns: string[]): () => string[] {
  database.exec('CREATE TEMP TABLE fired (col TEXT)');
  for (const column of columns) {
    database.exec(
      `CREATE TEMP TRIGGER set_${column} AFTER UPDATE OF ${column} ON main.${table} BEGIN INSERT INTO fired VALUES ('${column}'); END`,
    );
  }
  return () => {
    const rows = database.all<{ col: string }>(CompiledQuery.raw('SELECT col FROM fired'));
    database.exec('DELETE FROM fired');
    return rows.map((r) => r.col);
  };
}

const pending = (key: string): Row => ({
  key,
  status: 'Pending',
  createdAt: `2026-01-0${key.length}T00:00:00.000Z`,
  ticketId: '',
});

describe('SqlTable updates', () => {
  it('an update given the stored row sets only the columns that changed; the row keeps its place', async () => {
    const { dir, database } = await openDatabase();
    const table = ticketsTable(database, dir);
    await table.commit([
      { key: 'a', value: pending('a') },
      { key: 'b', value: pending('b') },
    ]);
    const fired = watchColumns(database, 'tickets', ['status', 'created_at', 'ticket_id']);
    const before = table.get('a')!;
    const created: Row = { ...before, status: 'Created', ticketId: 'TT-1' };
    await table.commit([{ key: 'a', value: created, previous: before }], { durable: false });
    expect(fired().sort()).toEqual(['status', 'ticket_id']);
    // Without the stored row, the upsert sets every column (what the update above avoids).
    await table.commit([{ key: 'b', value: { ...pending('b'), status: 'Failed' } }]);
    expect(fired().sort()).toEqual(['created_at', 'status', 'ticket_id']);
    const columns = database.all<{
      key: string;
      status: string;
      created_at: string;
      ticket_id: string;
      search: string;
    }>(
      CompiledQuery.raw(
        'SELECT key, status, created_at, ticket_id, search FROM tickets ORDER BY seq',
      ),
    );
    expect(columns).toEqual([
      {
        key: 'a',
        status: 'Created',
        created_at: before.createdAt,
        ticket_id: 'TT-1',
        search: 'Created TT-1',
      },
      {
        key: 'b',
        status: 'Failed',
        created_at: pending('b').createdAt,
        ticket_id: '',
        search: 'Failed ',
      },
    ]);
    expect(table.get('a')).toEqual(created);
    expect(table.size).toBe(2);
  });

  it('a stored row given for a key that has none inserts it', async () => {
    const { dir, database } = await openDatabase();
    const table = ticketsTable(database, dir);
    await table.commit([{ key: 'a', value: pending('a'), previous: pending('a') }]);
    expect([...table.keys()]).toEqual(['a']);
    expect(table.get('a')).toEqual(pending('a'));
  });

  it('a cached table compares with what the same transaction wrote before, not the cache', async () => {
    const { dir, database } = await openDatabase();
    const queue = SqlTable.open<{ alarm: string }>(
      database,
      { table: 'queue', cached: true, columns: (entry) => ({ alarm_key: entry.alarm }) },
      dir,
    );
    await queue.commit([{ key: 'q', value: { alarm: '1/1' } }]);
    // Changed, then changed back, in one transaction: the second update must set it again.
    await queue.commit([
      { key: 'q', value: { alarm: '1/2' } },
      { key: 'q', value: { alarm: '1/1' } },
    ]);
    const stored = database.all<{ alarm_key: string }>(
      CompiledQuery.raw('SELECT alarm_key FROM queue'),
    );
    expect(stored).toEqual([{ alarm_key: '1/1' }]);
    // Deleted, then written again in one transaction: inserted anew.
    await queue.commit([
      { key: 'q', delete: true },
      { key: 'q', value: { alarm: '1/3' } },
    ]);
    expect(database.all(CompiledQuery.raw('SELECT alarm_key FROM queue'))).toEqual([
      { alarm_key: '1/3' },
    ]);
    expect([...queue.values()]).toEqual([{ alarm: '1/3' }]);
    expect(queue.size).toBe(1);
  });
});

describe('SqlTable cache index', () => {
  it('groups a cached table by a value in memory, in the table order, through updates, moves, deletes, a failed write and a reopen', async () => {
    const { dir, database } = await openDatabase();
    const spec = {
      table: 'queue' as const,
      cached: true,
      cacheIndex: (entry: { alarm: string; n: number }) => entry.alarm,
      columns: (entry: { alarm: string; n: number }) => ({ alarm_key: entry.alarm }),
    };
    const queue = SqlTable.open(database, spec, dir);
    const keysOf = (table: SqlTable<{ alarm: string; n: number }>, alarm: string) =>
      [...table.cachedBy(alarm)].map((e) => `${e.alarm}#${e.n}`);
    await queue.commit([
      { key: 'a', value: { alarm: '1/1', n: 1 } },
      { key: 'b', value: { alarm: '1/2', n: 1 } },
      { key: 'c', value: { alarm: '1/1', n: 1 } },
    ]);
    expect(keysOf(queue, '1/1')).toEqual(['1/1#1', '1/1#1']);
    // An update keeps its place in its group; a row moved to another value leaves its group.
    await queue.commit([
      { key: 'a', value: { alarm: '1/1', n: 2 } },
      { key: 'c', value: { alarm: '1/2', n: 2 } },
    ]);
    expect(keysOf(queue, '1/1')).toEqual(['1/1#2']);
    expect(keysOf(queue, '1/2')).toEqual(['1/2#1', '1/2#2']);
    // A write that fails leaves the groups as they were.
    database.exec(
      "CREATE TRIGGER refuse BEFORE DELETE ON queue BEGIN SELECT RAISE(ABORT, 'refused'); END",
    );
    await expect(queue.commit([{ key: 'b', delete: true }])).rejects.toThrow(/refused/);
    expect(keysOf(queue, '1/2')).toEqual(['1/2#1', '1/2#2']);
    database.exec('DROP TRIGGER refuse');
    await queue.commit([{ key: 'b', delete: true }]);
    expect(keysOf(queue, '1/2')).toEqual(['1/2#2']);
    expect(keysOf(queue, '9/9')).toEqual([]);
    // Rebuilt from the file at open.
    const again = SqlTable.open(database, spec, dir);
    expect(keysOf(again, '1/1')).toEqual(['1/1#2']);
    expect(keysOf(again, '1/2')).toEqual(['1/2#2']);
  });
});
