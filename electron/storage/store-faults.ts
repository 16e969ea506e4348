/**
 * Tests only: faults of the SQL store made inside SQLite itself. Triggers created from a
 * second connection make every write to chosen tables fail in the app's own transactions (as
 * a full or failing disk would, and rolled back the same way), until `restore()` drops them.
 * `readStoredRows` reads a table as it is on disk, through a connection of its own.
 */
import * as path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DATABASE_FILE } from './sqlite-database.js';
import type { KeyedTableName } from './store-schema.js';

/** Writes to `tables` fail with `message` until `restore()`. */
export function failWrites(
  dataDir: string,
  tables: KeyedTableName[],
  message = 'database or disk is full (injected)',
): { restore: () => void } {
  const db = new DatabaseSync(path.join(dataDir, DATABASE_FILE), { timeout: 2000 });
  const names: string[] = [];
  const quoted = message.replace(/'/g, "''");
  for (const table of tables) {
    for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
      const name = `fault_${table}_${op.toLowerCase()}`;
      db.exec(
        `CREATE TRIGGER IF NOT EXISTS ${name} BEFORE ${op} ON ${table} BEGIN SELECT RAISE(ABORT, '${quoted}'); END`,
      );
      names.push(name);
    }
  }
  return {
    restore: () => {
      for (const name of names) db.exec(`DROP TRIGGER IF EXISTS ${name}`);
      db.close();
    },
  };
}

/** The rows of a table as stored, in insertion order (a connection of its own). */
export function readStoredRows<T>(dataDir: string, table: KeyedTableName): T[] {
  const db = new DatabaseSync(path.join(dataDir, DATABASE_FILE), { readOnly: true });
  try {
    const rows = db.prepare(`SELECT data FROM ${table} ORDER BY seq`).all() as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as T);
  } finally {
    db.close();
  }
}

/** The alarm properties as stored, keyed `dmaId/alarmId`. */
export function readStoredProperties(dataDir: string): Map<string, Record<string, string>> {
  const db = new DatabaseSync(path.join(dataDir, DATABASE_FILE), { readOnly: true });
  try {
    const rows = db.prepare('SELECT key, data FROM alarm_properties ORDER BY seq').all() as {
      key: string;
      data: string;
    }[];
    return new Map(rows.map((r) => [r.key, JSON.parse(r.data) as Record<string, string>]));
  } finally {
    db.close();
  }
}
