import Conf from 'conf';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../connector/ports.js';
import { SafeSecretStore, SECRET_DOC_KEYS, type SafeStorageLike } from './secret-store.js';
import { openRecoveringJsonStore, type RecoveringJsonStore } from './settings-store.js';

const SECRET = 'demo-client-secret-42';

/** A fake safeStorage: reversed and prefixed, so ciphertext never equals the plaintext. */
function fakeSafeStorage(backend: string, available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (plain) => Buffer.from(`enc:${[...plain].reverse().join('')}`),
    decryptString: (encrypted) => {
      const text = encrypted.toString();
      if (!text.startsWith('enc:')) throw new Error('Bad ciphertext');
      return [...text.slice(4)].reverse().join('');
    },
    getSelectedStorageBackend: () => backend,
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'oceane-secret-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function secretsDocument(): RecoveringJsonStore {
  return openRecoveringJsonStore({
    file: path.join(dir, 'secrets.json'),
    open: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'secrets' }),
    logger: silentLogger,
  });
}

function store(safeStorage: SafeStorageLike, logger: Logger = silentLogger): SafeSecretStore {
  return new SafeSecretStore({
    safeStorage,
    document: secretsDocument(),
    platform: 'linux',
    logger,
  });
}

const fileText = async (name: string): Promise<string> => {
  try {
    return await readFile(path.join(dir, name), 'utf8');
  } catch {
    return '';
  }
};

describe('the secret store with an OS key store', () => {
  it('writes only ciphertext to disk and reads the secret back after a restart', async () => {
    const s = store(fakeSafeStorage('gnome_libsecret'));
    s.set(SECRET);
    const onDisk = await fileText('secrets.json');
    expect(onDisk).not.toContain(SECRET);
    const doc = JSON.parse(onDisk) as Record<string, string>;
    expect(Buffer.from(doc[SECRET_DOC_KEYS.ciphertext]!, 'base64').toString()).toBe(
      `enc:${[...SECRET].reverse().join('')}`,
    );
    expect(store(fakeSafeStorage('gnome_libsecret')).get()).toBe(SECRET);
  });

  it('reports a strong, persisted secret without ever containing it', () => {
    const s = store(fakeSafeStorage('kwallet5'));
    s.set(SECRET);
    const status = s.status();
    expect(status).toEqual({
      encryptionAvailable: true,
      backend: 'kwallet5',
      weak: false,
      weakConsent: false,
      persisted: true,
    });
    expect(JSON.stringify(status)).not.toContain(SECRET);
  });

  it('names the backend of Windows and macOS', () => {
    const doc = secretsDocument();
    const safe = fakeSafeStorage('ignored');
    expect(
      new SafeSecretStore({
        safeStorage: safe,
        document: doc,
        platform: 'win32',
        logger: silentLogger,
      }).status().backend,
    ).toBe('dpapi');
    expect(
      new SafeSecretStore({
        safeStorage: safe,
        document: doc,
        platform: 'darwin',
        logger: silentLogger,
      }).status().backend,
    ).toBe('keychain');
  });

  it('clears the secret from memory and disk', async () => {
    const s = store(fakeSafeStorage('gnome_libsecret'));
    s.set(SECRET);
    s.clear();
    expect(s.get()).toBeUndefined();
    expect(await fileText('secrets.json')).not.toContain(SECRET_DOC_KEYS.ciphertext);
    expect(store(fakeSafeStorage('gnome_libsecret')).get()).toBeUndefined();
  });

  it('drops a ciphertext it cannot decrypt instead of failing', async () => {
    const doc = secretsDocument();
    doc.write({ [SECRET_DOC_KEYS.ciphertext]: Buffer.from('garbage').toString('base64') });
    const s = store(fakeSafeStorage('gnome_libsecret'));
    expect(s.get()).toBeUndefined();
    expect(s.status().persisted).toBe(false);
  });
});

describe('the secret store on Linux without a key ring (basic_text)', () => {
  it('refuses to persist without consent and keeps the secret in memory only', async () => {
    const s = store(fakeSafeStorage('basic_text'));
    s.set(SECRET);
    expect(s.get()).toBe(SECRET);
    expect(s.status()).toMatchObject({ weak: true, weakConsent: false, persisted: false });
    expect(await fileText('secrets.json')).not.toContain(SECRET_DOC_KEYS.ciphertext);
    expect(store(fakeSafeStorage('basic_text')).get()).toBeUndefined();
  });

  it('persists, still through safeStorage, once the user consents', async () => {
    const s = store(fakeSafeStorage('basic_text'));
    s.set(SECRET);
    s.setWeakConsent(true);
    expect(s.status()).toMatchObject({ weak: true, weakConsent: true, persisted: true });
    const onDisk = await fileText('secrets.json');
    expect(onDisk).toContain(SECRET_DOC_KEYS.ciphertext);
    expect(onDisk).not.toContain(SECRET);
    expect(store(fakeSafeStorage('basic_text')).get()).toBe(SECRET);
  });

  it('removes the weak copy from disk when consent is withdrawn', async () => {
    const s = store(fakeSafeStorage('basic_text'));
    s.setWeakConsent(true);
    s.set(SECRET);
    s.setWeakConsent(false);
    expect(s.get()).toBe(SECRET);
    expect(s.status().persisted).toBe(false);
    expect(await fileText('secrets.json')).not.toContain(SECRET_DOC_KEYS.ciphertext);
  });
});

describe('the secret store without OS encryption', () => {
  it('keeps the secret in memory only', async () => {
    const s = store(fakeSafeStorage('basic_text', false));
    s.setWeakConsent(true);
    s.set(SECRET);
    expect(s.get()).toBe(SECRET);
    expect(s.status()).toMatchObject({ encryptionAvailable: false, persisted: false });
    expect(await fileText('secrets.json')).not.toContain(SECRET_DOC_KEYS.ciphertext);
  });
});

describe('the secret and the other files', () => {
  it('never writes the secret to the settings file nor logs it', async () => {
    const logged: string[] = [];
    const logger: Logger = {
      info: (m, d) => logged.push(m + JSON.stringify(d ?? {})),
      warn: (m, d) => logged.push(m + JSON.stringify(d ?? {})),
      error: (m, d) => logged.push(m + JSON.stringify(d ?? {})),
    };
    const settings = openRecoveringJsonStore({
      file: path.join(dir, 'settings.json'),
      open: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings' }),
      logger,
    });
    settings.write({ api: { baseUrl: 'https://oceane.example.com', clientId: 'c' } });
    const s = store(fakeSafeStorage('gnome_libsecret'), logger);
    s.set(SECRET);
    s.setWeakConsent(true);
    expect(await fileText('settings.json')).not.toContain(SECRET);
    expect(JSON.stringify(settings.read())).not.toContain(SECRET);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join('\n')).not.toContain(SECRET);
  });
});
