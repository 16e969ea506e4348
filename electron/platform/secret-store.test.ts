import Conf from 'conf';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../connector/ports.js';
import { SafeSecretStore, SECRET_DOC_KEYS, type SafeStorageLike } from './secret-store.js';
import { openRecoveringJsonStore, type RecoveringJsonStore } from './settings-store.js';

const SECRET = 'demo-client-secret-42';

/** Lets a test decide when the fake key store answers (a key ring waiting to be unlocked). */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** How the fake key store behaves. */
interface FakeKeyStore {
  backend: string;
  available?: boolean;
  /** Every call waits for this first (a locked key ring). */
  unlocked?: Promise<void>;
  /** The decryption reports that the key was rotated. */
  rotated?: boolean;
  /** Encryption fails. */
  failEncrypt?: boolean;
}

/**
 * A fake asynchronous safeStorage: reversed and prefixed, so ciphertext never equals the
 * plaintext; a rotated key store writes `enc2:`.
 */
function fakeSafeStorage(
  backendOrOptions: string | FakeKeyStore,
  available = true,
): SafeStorageLike {
  const o: FakeKeyStore =
    typeof backendOrOptions === 'string'
      ? { backend: backendOrOptions, available }
      : backendOrOptions;
  const wait = () => o.unlocked ?? Promise.resolve();
  const prefix = o.rotated ? 'enc2:' : 'enc:';
  return {
    isAsyncEncryptionAvailable: async () => {
      await wait();
      return o.available ?? true;
    },
    encryptStringAsync: async (plain) => {
      await wait();
      if (o.failEncrypt) throw new Error('Key store refused');
      return Buffer.from(`${prefix}${[...plain].reverse().join('')}`);
    },
    decryptStringAsync: async (encrypted) => {
      await wait();
      const text = encrypted.toString();
      const match = /^(enc2?:)(.*)$/s.exec(text);
      if (!match) throw new Error('Bad ciphertext');
      return {
        result: [...match[2]!].reverse().join(''),
        shouldReEncrypt: o.rotated === true && match[1] === 'enc:',
      };
    },
    getSelectedStorageBackend: () => o.backend,
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

function store(
  safeStorage: SafeStorageLike,
  logger: Logger = silentLogger,
): Promise<SafeSecretStore> {
  return SafeSecretStore.open({
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
    const s = await store(fakeSafeStorage('gnome_libsecret'));
    s.set(SECRET);
    await s.flush();
    const onDisk = await fileText('secrets.json');
    expect(onDisk).not.toContain(SECRET);
    const doc = JSON.parse(onDisk) as Record<string, string>;
    expect(Buffer.from(doc[SECRET_DOC_KEYS.ciphertext]!, 'base64').toString()).toBe(
      `enc:${[...SECRET].reverse().join('')}`,
    );
    expect((await store(fakeSafeStorage('gnome_libsecret'))).get()).toBe(SECRET);
  });

  it('keeps a second secret (the PostgreSQL password) under its own key of the same document', async () => {
    const open = (key?: string) =>
      SafeSecretStore.open({
        safeStorage: fakeSafeStorage('gnome_libsecret'),
        document: secretsDocument(),
        platform: 'linux',
        logger: silentLogger,
        ...(key ? { ciphertextKey: key, secretName: 'PostgreSQL password' } : {}),
      });
    const client = await open();
    const team = await open('teamPasswordCiphertext');
    client.set(SECRET);
    await client.flush();
    team.set('pg-password-1234');
    await team.flush();
    const onDisk = await fileText('secrets.json');
    expect(onDisk).not.toContain('pg-password-1234');
    expect(Object.keys(JSON.parse(onDisk) as object).sort()).toEqual([
      SECRET_DOC_KEYS.ciphertext,
      'teamPasswordCiphertext',
    ]);
    expect((await open()).get()).toBe(SECRET);
    expect((await open('teamPasswordCiphertext')).get()).toBe('pg-password-1234');
    team.clear();
    expect((await open()).get()).toBe(SECRET);
  });

  it('reports a strong, persisted secret without ever containing it', async () => {
    const s = await store(fakeSafeStorage('kwallet5'));
    s.set(SECRET);
    // Persisted as soon as it is handed over: the encryption is under way.
    expect(s.status().persisted).toBe(true);
    await s.flush();
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

  it('names the backend of Windows and macOS', async () => {
    const doc = secretsDocument();
    const safe = fakeSafeStorage('ignored');
    const on = (platform: NodeJS.Platform) =>
      SafeSecretStore.open({ safeStorage: safe, document: doc, platform, logger: silentLogger });
    expect((await on('win32')).status().backend).toBe('dpapi');
    expect((await on('darwin')).status().backend).toBe('keychain');
  });

  it('clears the secret from memory and disk', async () => {
    const s = await store(fakeSafeStorage('gnome_libsecret'));
    s.set(SECRET);
    await s.flush();
    s.clear();
    await s.flush();
    expect(s.get()).toBeUndefined();
    expect(await fileText('secrets.json')).not.toContain(SECRET_DOC_KEYS.ciphertext);
    expect((await store(fakeSafeStorage('gnome_libsecret'))).get()).toBeUndefined();
  });

  it('keeps the last of quick changes: a secret cleared while it was encrypted stays gone', async () => {
    const s = await store(fakeSafeStorage('gnome_libsecret'));
    s.set('first-secret');
    s.set(SECRET);
    await s.flush();
    expect((await store(fakeSafeStorage('gnome_libsecret'))).get()).toBe(SECRET);
    s.set('another-secret');
    s.clear();
    await s.flush();
    expect(await fileText('secrets.json')).not.toContain(SECRET_DOC_KEYS.ciphertext);
  });

  it('drops a ciphertext it cannot decrypt instead of failing, and says so', async () => {
    const doc = secretsDocument();
    doc.write({ [SECRET_DOC_KEYS.ciphertext]: Buffer.from('garbage').toString('base64') });
    const s = await store(fakeSafeStorage('gnome_libsecret'));
    expect(s.get()).toBeUndefined();
    expect(s.status().persisted).toBe(false);
    expect(s.notices().map((n) => n.title)).toEqual(['Client Secret not available']);
  });

  it('stores the secret again under a rotated key', async () => {
    const s = await store(fakeSafeStorage('gnome_libsecret'));
    s.set(SECRET);
    await s.flush();
    const rotated = await store(fakeSafeStorage({ backend: 'gnome_libsecret', rotated: true }));
    expect(rotated.get()).toBe(SECRET);
    await rotated.flush();
    const doc = JSON.parse(await fileText('secrets.json')) as Record<string, string>;
    expect(Buffer.from(doc[SECRET_DOC_KEYS.ciphertext]!, 'base64').toString()).toMatch(/^enc2:/);
  });

  it('keeps the secret in memory when the key store refuses to encrypt', async () => {
    const s = await store(fakeSafeStorage({ backend: 'gnome_libsecret', failEncrypt: true }));
    s.set(SECRET);
    await s.flush();
    expect(s.get()).toBe(SECRET);
    expect(s.status().persisted).toBe(false);
    expect(await fileText('secrets.json')).not.toContain(SECRET_DOC_KEYS.ciphertext);
  });
});

describe('the secret store with a key ring that must first be unlocked', () => {
  it('opens once the key ring answers, with the stored secret', async () => {
    const first = await store(fakeSafeStorage('gnome_libsecret'));
    first.set(SECRET);
    await first.flush();
    const unlock = deferred();
    let opened: SafeSecretStore | null = null;
    const opening = store(
      fakeSafeStorage({ backend: 'gnome_libsecret', unlocked: unlock.promise }),
    );
    void opening.then((s) => (opened = s));
    await new Promise((r) => setTimeout(r, 20));
    expect(opened).toBeNull();
    unlock.resolve();
    expect((await opening).get()).toBe(SECRET);
  });
});

describe('the secret store on Linux without a key ring (basic_text)', () => {
  it('refuses to persist without consent and keeps the secret in memory only', async () => {
    const s = await store(fakeSafeStorage('basic_text'));
    s.set(SECRET);
    await s.flush();
    expect(s.get()).toBe(SECRET);
    expect(s.status()).toMatchObject({ weak: true, weakConsent: false, persisted: false });
    expect(await fileText('secrets.json')).not.toContain(SECRET_DOC_KEYS.ciphertext);
    expect((await store(fakeSafeStorage('basic_text'))).get()).toBeUndefined();
  });

  it('persists, still through safeStorage, once the user consents', async () => {
    const s = await store(fakeSafeStorage('basic_text'));
    s.set(SECRET);
    s.setWeakConsent(true);
    await s.flush();
    expect(s.status()).toMatchObject({ weak: true, weakConsent: true, persisted: true });
    const onDisk = await fileText('secrets.json');
    expect(onDisk).toContain(SECRET_DOC_KEYS.ciphertext);
    expect(onDisk).not.toContain(SECRET);
    expect((await store(fakeSafeStorage('basic_text'))).get()).toBe(SECRET);
  });

  it('removes the weak copy from disk when consent is withdrawn', async () => {
    const s = await store(fakeSafeStorage('basic_text'));
    s.setWeakConsent(true);
    s.set(SECRET);
    s.setWeakConsent(false);
    await s.flush();
    expect(s.get()).toBe(SECRET);
    expect(s.status().persisted).toBe(false);
    expect(await fileText('secrets.json')).not.toContain(SECRET_DOC_KEYS.ciphertext);
  });

  it('leaves a secret stored under a real key store unread, with a notice', async () => {
    const s = await store(fakeSafeStorage('gnome_libsecret'));
    s.set(SECRET);
    await s.flush();
    const weak = await store(fakeSafeStorage('basic_text'));
    expect(weak.get()).toBeUndefined();
    expect(weak.notices()).toHaveLength(1);
    expect(await fileText('secrets.json')).toContain(SECRET_DOC_KEYS.ciphertext);
  });
});

describe('the secret store without OS encryption', () => {
  it('keeps the secret in memory only', async () => {
    const s = await store(fakeSafeStorage('basic_text', false));
    s.setWeakConsent(true);
    s.set(SECRET);
    await s.flush();
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
    const s = await store(fakeSafeStorage('gnome_libsecret'), logger);
    s.set(SECRET);
    s.setWeakConsent(true);
    await s.flush();
    expect(await fileText('settings.json')).not.toContain(SECRET);
    expect(JSON.stringify(settings.read())).not.toContain(SECRET);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join('\n')).not.toContain(SECRET);
  });
});
