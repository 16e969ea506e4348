/**
 * Issue 10, corporate networks: an Oceane behind a private certificate authority. The real
 * simulator serves https with a certificate of a CA made for this test; the connector trusts
 * it only once that CA is pasted into Settings, and says what to do until then. Every request
 * carries `User-Agent: OceaneAlarmConsole/<version>`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CREDENTIALS,
  startSimulator,
  type RunningSimulator,
} from '../oceane-simulator/index.js';
import { createTestCertificates, type TestCertificates } from '../oceane-simulator/test-ca.js';
import { UNTRUSTED_CERTIFICATE_HINT } from './http-exchange.js';
import { caCertificateProblem, normalizePem } from './http-transport.js';
import { ticketRequest } from './test-support.js';
import { OceaneConnector } from './connector.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfSettingsStore } from './conf-settings-store.js';
import { createMemorySecretStore } from './memory-secret-store.js';
import { silentLogger } from './ports.js';

let certificates: TestCertificates;
let sim: RunningSimulator;
let dir: string;

beforeAll(async () => {
  certificates = createTestCertificates();
  sim = await startSimulator({
    tls: { certPem: certificates.certPem, keyPem: certificates.keyPem },
  });
  dir = await mkdtemp(path.join(tmpdir(), 'oceane-tls-'));
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

async function openConnector(sub: string): Promise<OceaneConnector> {
  const dataDir = path.join(dir, sub);
  const connector = await OceaneConnector.open({
    dataDir,
    settingsStore: new ConfSettingsStore(dataDir),
    secretStore: createMemorySecretStore(),
    alarmProperties: { get: () => ({}), set: () => Promise.resolve() },
    logger: silentLogger,
    http: { userAgent: 'OceaneAlarmConsole/9.8.7' },
  });
  const configured = await connector.updateSettings({
    api: { baseUrl: sim.url, clientId: DEMO_CREDENTIALS.clientId, userId: DEMO_CREDENTIALS.userId },
    clientSecret: DEMO_CREDENTIALS.clientSecret,
  });
  if (!configured.ok) throw new Error(configured.error.message);
  return connector;
}

describe('an Oceane behind a private certificate authority', () => {
  it('serves https from the simulator', () => {
    expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('is refused until its CA is trusted, with a message that says what to do', async () => {
    const connector = await openConnector('untrusted');
    try {
      const result = await connector.authenticate();
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.message).toContain('is not trusted');
      expect(result.error.message).toContain(UNTRUSTED_CERTIFICATE_HINT);
      expect(sim.requests()).toEqual([]);
    } finally {
      await connector.close();
    }
  });

  it('works once the CA certificate is in Settings, with our User-Agent on every request', async () => {
    const connector = await openConnector('trusted');
    try {
      // Pasted into a one-line field, the PEM loses its line breaks: it is put back together.
      const oneLine = certificates.caPem.replace(/\n/g, ' ');
      const saved = await connector.updateSettings({ api: { extraCaCertificate: oneLine } });
      expect(saved.ok).toBe(true);
      expect(connector.getSettings().api.extraCaCertificate).toBe(normalizePem(certificates.caPem));
      expect((await connector.authenticate()).ok).toBe(true);
      expect((await connector.createTicket(ticketRequest())).ok).toBe(true);
      connector.start();
      await connector.whenIdle();
      expect(sim.ledger()).toHaveLength(1);
      const agents = new Set(sim.requests().map((r) => r.userAgent));
      expect([...agents]).toEqual(['OceaneAlarmConsole/9.8.7']);
    } finally {
      await connector.close();
    }
  });

  it('refuses a pasted text that is not a CA certificate', async () => {
    expect(caCertificateProblem('')).toBeNull();
    expect(caCertificateProblem(certificates.caPem)).toBeNull();
    expect(caCertificateProblem('hello')).toMatch(/PEM form/);
    expect(caCertificateProblem(certificates.certPem)).toMatch(/is not a CA certificate/);
    const connector = await openConnector('refused');
    try {
      const result = await connector.updateSettings({ api: { extraCaCertificate: 'hello' } });
      expect(result).toMatchObject({ ok: false, error: { code: 'validation' } });
    } finally {
      await connector.close();
    }
  });
});
