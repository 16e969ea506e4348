/**
 * "Test connection" of the Team settings: connects to the team's PostgreSQL with the URL, the
 * password and the TLS options, asks for the server's version and hangs up. A failure comes
 * back as one sentence for the operator saying what happened and what to do; the password
 * never appears in it (it is not in the URL, and pg's messages do not carry it).
 */
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { fail, ok, type Result } from '../../shared/result.js';
import type { TeamConnectionCheck, TeamSettings } from '../../shared/team-settings.js';

/** How long the connection and the query may take (ms). */
export const CHECK_TIMEOUT_MS = 10_000;

/** The TLS options of pg for a mode, reading the CA file for verify-ca. */
export async function tlsOptions(
  settings: Pick<TeamSettings, 'tls' | 'caFile'>,
): Promise<Result<pg.ClientConfig['ssl']>> {
  if (settings.tls === 'off') return ok(false);
  if (settings.tls === 'require') return ok({ rejectUnauthorized: false });
  if (settings.caFile === '') {
    return fail(
      'validation',
      'Choose the CA certificate file that signed the server certificate.',
      {
        caFile: 'Choose the CA certificate file (PEM) for Verify CA',
      },
    );
  }
  let ca: string;
  try {
    ca = await readFile(settings.caFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return fail('validation', `The CA certificate file cannot be read (${code}). Check its path.`, {
      caFile: 'This file cannot be read',
    });
  }
  if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
    return fail(
      'validation',
      'The CA file is not a PEM certificate (-----BEGIN CERTIFICATE-----).',
      {
        caFile: 'Not a PEM certificate',
      },
    );
  }
  // Verify CA: the chain must lead to this CA; the host name is not compared (as libpq's
  // sslmode=verify-ca), since team servers are often reached by address.
  return ok({ ca, rejectUnauthorized: true, checkServerIdentity: () => undefined });
}

/** The operator's sentence for what pg or the network reported. */
export function connectionProblem(error: unknown, where: string): string {
  const e = error as { code?: string; message?: string };
  const message = e.message ?? String(error);
  switch (e.code) {
    case 'ECONNREFUSED':
      return `PostgreSQL at ${where} refused the connection. Check that it runs and that the host and port are right.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The host of ${where} is not known. Check the host name in the URL.`;
    case 'ETIMEDOUT':
      return `PostgreSQL at ${where} did not answer in time. Check the address and the firewall.`;
    case '28P01':
    case '28000':
      return `PostgreSQL refused the user name or password (${message}). Check the user in the URL and the password.`;
    case '3D000':
      return `${message}. Check the database name at the end of the URL.`;
    default:
      break;
  }
  if (/does not support SSL/i.test(message)) {
    return `PostgreSQL at ${where} does not accept TLS connections. Turn TLS off only on a network you trust, or enable TLS on the server.`;
  }
  if (/self[- ]signed|unable to verify|certificate/i.test(message)) {
    return `The server's certificate was not accepted (${message}). Check the CA certificate file, or use Require TLS.`;
  }
  if (/timeout|timed out/i.test(message)) {
    return `PostgreSQL at ${where} did not answer in time. Check the address and the firewall.`;
  }
  return `The connection to PostgreSQL at ${where} failed: ${message}`;
}

/** Connects, reads the server version and hangs up. */
export async function checkPostgres(
  settings: TeamSettings,
  password: string | undefined,
): Promise<Result<TeamConnectionCheck>> {
  if (settings.postgresUrl === '') {
    return fail('validation', 'Enter the PostgreSQL URL first.', {
      postgresUrl: 'Enter the PostgreSQL URL',
    });
  }
  const url = new URL(settings.postgresUrl);
  const where = `${url.hostname}:${url.port || '5432'}`;
  const ssl = await tlsOptions(settings);
  if (!ssl.ok) return ssl;
  const client = new pg.Client({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username) || undefined,
    database: decodeURIComponent(url.pathname.slice(1)),
    ...(password === undefined ? {} : { password }),
    ssl: ssl.value,
    connectionTimeoutMillis: CHECK_TIMEOUT_MS,
    query_timeout: CHECK_TIMEOUT_MS,
    application_name: 'Oceane Alarm Console',
  });
  // A connection lost after the answer must not crash the main process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    const tls =
      (client as unknown as { connection?: { stream?: { encrypted?: boolean } } }).connection
        ?.stream?.encrypted === true;
    return ok({ serverVersion: rows[0]?.server_version ?? 'unknown', tls });
  } catch (error) {
    return fail('refused', connectionProblem(error, where));
  } finally {
    await client.end().catch(() => undefined);
  }
}
