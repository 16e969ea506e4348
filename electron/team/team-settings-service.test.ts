import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../connector/memory-secret-store.js';
import { createTestCertificates } from '../oceane-simulator/test-ca.js';
import type { Logger } from '../connector/ports.js';
import { freePort, startTestPostgres, type TestPostgres } from './test-postgres.js';
import { TEAM_SETTINGS_FILE, TeamSettingsService } from './team-settings-service.js';

let server: TestPostgres;
let teamUrl: string;
beforeAll(async () => {
  server = await startTestPostgres();
  await server.createDatabase('oceane_team');
  teamUrl = `postgres://${server.user}@${server.host}:${server.port}/oceane_team`;
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

async function open() {
  const dir = await mkdtemp(path.join(tmpdir(), 'oceane-team-'));
  const lines: string[] = [];
  const logger: Logger = {
    info: (m, d) => lines.push(JSON.stringify([m, d])),
    warn: (m, d) => lines.push(JSON.stringify([m, d])),
    error: (m, d) => lines.push(JSON.stringify([m, d])),
  };
  const service = await TeamSettingsService.open(dir, createMemorySecretStore(), logger);
  return { dir, service, lines };
}

describe('the Team settings', () => {
  it('start empty: no team mode, no password', async () => {
    const { service } = await open();
    expect(service.view()).toMatchObject({
      settings: { postgresUrl: '', tls: 'require', caFile: '' },
      passwordSet: false,
      teamMode: false,
    });
  });

  it('keep the password out of the file, the view and the log', async () => {
    const { dir, service, lines } = await open();
    const saved = await service.update({
      postgresUrl: teamUrl,
      tls: 'off',
      password: server.password,
    });
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    expect(saved.value).toMatchObject({ passwordSet: true, teamMode: true });
    expect(JSON.stringify(saved.value)).not.toContain(server.password);
    const onDisk = await readFile(path.join(dir, TEAM_SETTINGS_FILE), 'utf8');
    expect(JSON.parse(onDisk)).toEqual({ postgresUrl: teamUrl, tls: 'off', caFile: '' });
    expect(onDisk).not.toContain(server.password);
    await service.testConnection({});
    expect(lines.join('\n')).not.toContain(server.password);
    // Read back after a restart of the app (the password lives in its own secret store).
    const again = await TeamSettingsService.open(dir, createMemorySecretStore(), {
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    });
    expect(again.settings().postgresUrl).toBe(teamUrl);
  });

  it('refuse a URL with the password in it, or without a database, with sentences', async () => {
    const { service } = await open();
    const withPassword = await service.update({
      postgresUrl: `postgres://postgres:hunter22@${server.host}:${server.port}/x`,
    });
    expect(withPassword.ok).toBe(false);
    if (!withPassword.ok) {
      expect(withPassword.error.fields?.postgresUrl).toMatch(/^Do not put the password in the URL/);
    }
    const noDatabase = await service.update({ postgresUrl: 'postgres://db.example.com' });
    if (!noDatabase.ok) expect(noDatabase.error.fields?.postgresUrl).toMatch(/database name/);
    expect(noDatabase.ok).toBe(false);
    const https = await service.update({ postgresUrl: 'https://db.example.com/x' });
    expect(https.ok).toBe(false);
    const verify = await service.update({ tls: 'verify-ca' });
    expect(verify.ok).toBe(false);
    if (!verify.ok) expect(verify.error.fields?.caFile).toMatch(/CA certificate file/);
    expect(service.settings().postgresUrl).toBe('');
  });
});

describe('Test connection', () => {
  it('reports the server version of the embedded PostgreSQL', async () => {
    const { service } = await open();
    const result = await service.testConnection({
      postgresUrl: teamUrl,
      tls: 'off',
      password: server.password,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.serverVersion).toMatch(/^\d+\.\d+/);
    expect(result.value.tls).toBe(false);
    // A draft is only tried, never saved.
    expect(service.settings().postgresUrl).toBe('');
  });

  it('says the password was refused, without repeating it', async () => {
    const { service } = await open();
    const result = await service.testConnection({
      postgresUrl: teamUrl,
      tls: 'off',
      password: 'not-the-password',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/^PostgreSQL refused the user name or password/);
    expect(result.error.message).not.toContain('not-the-password');
  });

  it('says when nothing listens, and when the server does not speak TLS', async () => {
    const { service } = await open();
    const port = await freePort();
    const closed = await service.testConnection({
      postgresUrl: `postgres://postgres@127.0.0.1:${port}/x`,
      tls: 'off',
    });
    expect(closed.ok).toBe(false);
    if (!closed.ok) {
      expect(closed.error.message).toBe(
        `PostgreSQL at 127.0.0.1:${port} refused the connection. Check that it runs and that the host and port are right.`,
      );
    }
    const noTls = await service.testConnection({
      postgresUrl: teamUrl,
      tls: 'require',
      password: server.password,
    });
    expect(noTls.ok).toBe(false);
    if (!noTls.ok) expect(noTls.error.message).toMatch(/does not accept TLS connections/);
  });

  it('says when the CA file cannot be read or is not a certificate', async () => {
    const { dir, service } = await open();
    const missing = await service.testConnection({
      postgresUrl: teamUrl,
      tls: 'verify-ca',
      caFile: path.join(dir, 'missing.pem'),
    });
    expect(missing.ok).toBe(false);
    if (!missing.ok)
      expect(missing.error.message).toMatch(/^The CA certificate file cannot be read \(ENOENT\)/);
    const notPem = path.join(dir, 'not.pem');
    await writeFile(notPem, 'hello');
    const bad = await service.testConnection({
      postgresUrl: teamUrl,
      tls: 'verify-ca',
      caFile: notPem,
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/not a PEM certificate/);
  });
});

describe('Test connection over TLS', () => {
  let tlsServer: TestPostgres;
  let ca: string;
  let dir: string;
  beforeAll(async () => {
    const certificates = createTestCertificates('Team PostgreSQL Test CA');
    tlsServer = await startTestPostgres(undefined, certificates);
    dir = await mkdtemp(path.join(tmpdir(), 'oceane-team-ca-'));
    ca = path.join(dir, 'ca.pem');
    await writeFile(ca, certificates.caPem);
  }, 60_000);
  afterAll(async () => {
    await tlsServer?.stop();
  });

  const url = () => `postgres://${tlsServer.user}@${tlsServer.host}:${tlsServer.port}/postgres`;

  it('connects with Require TLS, and with Verify CA against the CA that signed the server', async () => {
    const { service } = await open();
    const required = await service.testConnection({
      postgresUrl: url(),
      tls: 'require',
      password: tlsServer.password,
    });
    expect(required.ok && required.value.tls).toBe(true);
    const verified = await service.testConnection({
      postgresUrl: url(),
      tls: 'verify-ca',
      caFile: ca,
      password: tlsServer.password,
    });
    expect(verified.ok && verified.value.tls).toBe(true);
  });

  it('refuses a server whose certificate another CA signed', async () => {
    const { service } = await open();
    const other = path.join(dir, 'other-ca.pem');
    await writeFile(other, createTestCertificates('Another CA').caPem);
    const result = await service.testConnection({
      postgresUrl: url(),
      tls: 'verify-ca',
      caFile: other,
      password: tlsServer.password,
    });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error.message).toMatch(/^The server's certificate was not accepted/);
  });
});
