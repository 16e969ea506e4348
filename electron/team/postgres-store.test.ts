import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../storage/store-schema.js';
import { PostgresStore } from './postgres-store.js';
import {
  deleteKeyed,
  parseRows,
  selectAllKeyed,
  selectKeyed,
  upsertKeyed,
} from './postgres-keyed.js';
import { startTestPostgres, type TestPostgres } from './test-postgres.js';

let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const ALL_VERSIONS = MIGRATIONS.map((m) => m.version);

describe('the store on PostgreSQL', () => {
  it('applies every migration on a fresh database, and none again on reconnect', async () => {
    const url = await server.createDatabase('fresh_store');
    const first = await PostgresStore.connect({ connectionString: url });
    try {
      expect(await first.appliedVersions()).toEqual(ALL_VERSIONS);
      const tables = await first.raw<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
      );
      expect(tables.map((t) => t.tablename)).toEqual([
        'alarm_claims',
        'alarm_properties',
        'change_queue',
        'failed_requests',
        'follow_state',
        'followed_tickets',
        'legacy_imports',
        'queue',
        'schema_version',
        'ticket_history',
        'tickets',
      ]);
    } finally {
      await first.close();
    }
    const again = await PostgresStore.connect({ connectionString: url });
    try {
      const rows = await again.raw<{ n: string }>('SELECT count(*) AS n FROM schema_version');
      expect(Number(rows[0]?.n)).toBe(MIGRATIONS.length);
    } finally {
      await again.close();
    }
  }, 30_000);

  it('migrates once when several consoles connect at the same moment', async () => {
    const url = await server.createDatabase('crowded_store');
    const stores = await Promise.all(
      [1, 2, 3, 4].map(() => PostgresStore.connect({ connectionString: url, max: 2 })),
    );
    try {
      for (const store of stores) expect(await store.appliedVersions()).toEqual(ALL_VERSIONS);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  }, 30_000);

  it('runs the keyed-table queries on every table: insert, update in place, read, delete', async () => {
    const url = await server.createDatabase('keyed_store');
    const store = await PostgresStore.connect({ connectionString: url });
    const b = store.builder;
    try {
      const columns = {
        tickets: {
          alarm_key: '1/2',
          status: 'Pending',
          created_at: '2026-01-01T00:00:00Z',
          ticket_id: '',
          element_name: 'E',
          alarm_id: '2',
          priority: 'High',
          urgency: 'Low',
          technical_impact: 'Minor',
          search: 'e',
        },
        failed_requests: {
          ticket_instance: 't1',
          failed_at: '2026-01-01T00:00:00Z',
          http_error_code: 503,
          app_error_code: '',
          error_message: 'Down',
          failed_call: 'create',
          search: 'down',
        },
        queue: { alarm_key: '1/2' },
        alarm_properties: {},
      } as const;
      for (const [table, cols] of Object.entries(columns) as [keyof typeof columns, object][]) {
        await store.run(upsertKeyed(b, table, 'a', { n: 1 }, { ...cols }));
        await store.run(upsertKeyed(b, table, 'b', { n: 2 }, { ...cols }));
        await store.run(upsertKeyed(b, table, 'a', { n: 3 }, { ...cols }));
        const rows = await store.all<{ key: string; data: string }>(selectAllKeyed(b, table));
        // The update kept the row's place (first-insertion order).
        expect(rows.map((r) => r.key)).toEqual(['a', 'b']);
        expect(parseRows(rows)).toEqual([{ n: 3 }, { n: 2 }]);
        expect(await store.first(selectKeyed(b, table, 'b'))).toEqual({ data: '{"n":2}' });
        expect(await store.run(deleteKeyed(b, table, 'a'))).toBe(1);
        expect(await store.first(selectKeyed(b, table, 'a'))).toBeUndefined();
      }
      await store.run(
        b
          .insertInto('legacy_imports')
          .values({ file: 'tickets.jsonl', rows: 3, bad_lines: 1, imported_at: 'now' })
          .compile(),
      );
      const imported = await store.all(b.selectFrom('legacy_imports').selectAll().compile());
      expect(imported).toEqual([
        { file: 'tickets.jsonl', rows: 3, bad_lines: 1, imported_at: 'now' },
      ]);
    } finally {
      await store.close();
    }
  }, 30_000);

  it('rolls a failed transaction back whole', async () => {
    const url = await server.createDatabase('rollback_store');
    const store = await PostgresStore.connect({ connectionString: url });
    try {
      await expect(
        store.transaction(async (tx) => {
          await tx.run(upsertKeyed(store.builder, 'alarm_properties', 'x', {}));
          throw new Error('half done');
        }),
      ).rejects.toThrow('half done');
      expect(
        await store.first(selectKeyed(store.builder, 'alarm_properties', 'x')),
      ).toBeUndefined();
    } finally {
      await store.close();
    }
  }, 30_000);

  it('delivers a NOTIFY to a listener of another connection', async () => {
    const url = await server.createDatabase('notify_store');
    const listener = await PostgresStore.connect({ connectionString: url });
    const sender = await PostgresStore.connect({ connectionString: url });
    try {
      let heard: (payload: string) => void = () => undefined;
      const payload = new Promise<string>((resolve) => (heard = resolve));
      await new Promise<void>((resolve) =>
        listener.listen(
          'oceane_test',
          (p) => heard(p),
          (up) => up && resolve(),
        ),
      );
      await sender.notify('oceane_test', 'tickets');
      expect(await payload).toBe('tickets');
    } finally {
      await listener.close();
      await sender.close();
    }
  }, 30_000);
});
