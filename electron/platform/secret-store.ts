/**
 * The Client Secret (and, with its own document key, the Team settings' PostgreSQL password),
 * kept by the main process only (design.md "Data", issue 3 "Secrets").
 *
 * - Encrypted with Electron's asynchronous `safeStorage` API before it reaches disk (the
 *   synchronous calls are deprecated in Electron 45 and removed in 46): the secrets document
 *   (`secrets.json`, separate from the settings) holds base64 ciphertext, never the secret.
 * - `SafeSecretStore.open` waits for the OS key store (a Linux key ring may first ask the user
 *   to unlock it) and decrypts the stored secret; main.ts shows the window meanwhile.
 * - Where the OS has no real key store (Linux `basic_text` backend), the secret is kept in
 *   memory only, unless the user consented to weak storage; the consent is persisted.
 * - Where encryption is not available at all, the secret is kept in memory only.
 * - `set`, `clear` and consent changes take effect in memory at once; the disk follows in
 *   order (`flush` waits for it). A failed encryption leaves the secret in memory and says so.
 * - The secret is never logged and `status()` (what the renderer learns) never contains it.
 *
 * Electron's `safeStorage` is passed in, so tests use a small fake and never load Electron.
 */
import type { Notice, SecretStorageStatus } from '../../shared/domain.js';
import type { Logger, SecretStorePort, SettingsStorePort } from '../connector/ports.js';

/** The part of Electron's `safeStorage` the secret store uses (the asynchronous API). */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  /** Linux only in Electron; absent elsewhere. */
  getSelectedStorageBackend?(): string;
}

/** Options of the secret store. */
export interface SafeSecretStoreOptions {
  safeStorage: SafeStorageLike;
  /** The secrets document (its own file, e.g. `<userData>/secrets.json`). */
  document: SettingsStorePort;
  /** `process.platform`, which decides how the backend is named. */
  platform: NodeJS.Platform;
  logger: Logger;
  /**
   * The document key of this secret's ciphertext (default the Client Secret's), so that one
   * secrets document holds several secrets (the Team settings' PostgreSQL password too).
   */
  ciphertextKey?: string;
  /** The secret's name in logs and notices (default "Client Secret"). */
  secretName?: string;
}

/** Keys of the secrets document. */
export const SECRET_DOC_KEYS = {
  ciphertext: 'clientSecretCiphertext',
  weakConsent: 'weakStorageConsent',
} as const;

/** The OS key store backend, named as `secretStorageStatusSchema.backend` expects. */
export function storageBackend(safeStorage: SafeStorageLike, platform: NodeJS.Platform): string {
  if (platform === 'win32') return 'dpapi';
  if (platform === 'darwin') return 'keychain';
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend) {
    return safeStorage.getSelectedStorageBackend();
  }
  return 'unknown';
}

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** A `SecretStorePort` over the asynchronous `safeStorage` and a JSON document. */
export class SafeSecretStore implements SecretStorePort {
  private secret: string | undefined;
  private readonly options: SafeSecretStoreOptions;
  private readonly available: boolean;
  /** The disk updates, one after the other. */
  private writes: Promise<void> = Promise.resolve();
  /** A secret handed to `set` whose ciphertext is still being written. */
  private persisting = false;
  private readonly startNotices: Notice[] = [];

  private constructor(options: SafeSecretStoreOptions, available: boolean) {
    this.options = options;
    this.available = available;
  }

  private get ciphertextKey(): string {
    return this.options.ciphertextKey ?? SECRET_DOC_KEYS.ciphertext;
  }

  private get name(): string {
    return this.options.secretName ?? 'Client Secret';
  }

  /**
   * Asks the OS key store whether it can encrypt and reads the stored secret. Resolves when
   * both answered, which takes as long as the user needs to unlock a key ring.
   */
  static async open(options: SafeSecretStoreOptions): Promise<SafeSecretStore> {
    let available = false;
    try {
      available = await options.safeStorage.isAsyncEncryptionAvailable();
    } catch (error) {
      options.logger.warn('OS encryption could not be checked', { error: describe(error) });
    }
    const store = new SafeSecretStore(options, available);
    await store.load();
    return store;
  }

  get(): string | undefined {
    return this.secret;
  }

  set(secret: string): void {
    if (secret === '') throw new Error(`The ${this.name} cannot be empty`);
    this.secret = secret;
    if (!this.mayPersist()) {
      // An older ciphertext must not outlive the secret it stood for.
      this.removeCiphertext();
      this.options.logger.info(`${this.name} kept in memory only`, this.logStatus());
      return;
    }
    this.persisting = true;
    this.enqueue(() => this.persist(secret));
  }

  clear(): void {
    this.secret = undefined;
    this.persisting = false;
    this.removeCiphertext();
    this.options.logger.info(`${this.name} cleared`);
  }

  setWeakConsent(consent: boolean): void {
    const doc = this.options.document.read();
    doc[SECRET_DOC_KEYS.weakConsent] = consent;
    this.options.document.write(doc);
    this.options.logger.info('Weak secret storage consent changed', { consent });
    const secret = this.secret;
    if (secret === undefined) return;
    if (this.mayPersist()) {
      this.persisting = true;
      this.enqueue(() => this.persist(secret));
    } else if (this.isWeak()) {
      this.persisting = false;
      this.removeCiphertext();
    }
  }

  status(): SecretStorageStatus {
    const doc = this.options.document.read();
    return {
      encryptionAvailable: this.available,
      backend: storageBackend(this.options.safeStorage, this.options.platform),
      weak: this.isWeak(),
      weakConsent: doc[SECRET_DOC_KEYS.weakConsent] === true,
      persisted:
        this.secret !== undefined &&
        (this.persisting || typeof doc[this.ciphertextKey] === 'string'),
    };
  }

  /** Resolves once every change so far is on disk (or has failed and been logged). */
  flush(): Promise<void> {
    return this.writes;
  }

  /** What the operator should be told after the start (a stored secret that was lost). */
  notices(): Notice[] {
    return [...this.startNotices];
  }

  private enqueue(job: () => Promise<void>): void {
    this.writes = this.writes.then(job);
  }

  private isWeak(): boolean {
    return storageBackend(this.options.safeStorage, this.options.platform) === 'basic_text';
  }

  private mayPersist(): boolean {
    if (!this.available) return false;
    if (!this.isWeak()) return true;
    return this.options.document.read()[SECRET_DOC_KEYS.weakConsent] === true;
  }

  /** Encrypts `secret` and writes it, unless it was replaced or cleared meanwhile. */
  private async persist(secret: string): Promise<void> {
    try {
      const ciphertext = (await this.options.safeStorage.encryptStringAsync(secret)).toString(
        'base64',
      );
      if (this.secret !== secret || !this.mayPersist()) return;
      const doc = this.options.document.read();
      doc[this.ciphertextKey] = ciphertext;
      this.options.document.write(doc);
      this.options.logger.info(`${this.name} stored encrypted`, this.logStatus());
    } catch (error) {
      if (this.secret === secret) this.removeCiphertext();
      this.options.logger.warn(`The ${this.name} could not be encrypted; kept in memory only`, {
        error: describe(error),
      });
    } finally {
      if (this.secret === secret) this.persisting = false;
    }
  }

  private removeCiphertext(): void {
    const doc = this.options.document.read();
    if (!(this.ciphertextKey in doc)) return;
    delete doc[this.ciphertextKey];
    this.options.document.write(doc);
  }

  private lost(message: string): void {
    this.startNotices.push({
      id: this.options.ciphertextKey ? `secret-not-read-${this.ciphertextKey}` : 'secret-not-read',
      level: 'warning',
      title: `${this.name} not available`,
      message,
      at: new Date().toISOString(),
    });
  }

  /** Reads the stored secret at start; an unreadable ciphertext is dropped and logged. */
  private async load(): Promise<void> {
    const doc = this.options.document.read();
    const ciphertext = doc[this.ciphertextKey];
    if (typeof ciphertext !== 'string' || ciphertext === '') return;
    if (!this.available) {
      this.options.logger.warn(
        `OS encryption is not available: the stored ${this.name} cannot be read now`,
        this.logStatus(),
      );
      this.lost(
        `The operating system offers no key store now, so the stored ${this.name} cannot be read. Enter it again in Settings (it will be kept in memory only).`,
      );
      return;
    }
    if (this.isWeak() && doc[SECRET_DOC_KEYS.weakConsent] !== true) {
      // Written under a real key store (consent withdrawal removes weak copies); this start
      // has none, so it stays on disk untouched until a start with the key store reads it.
      this.options.logger.warn(
        `The stored ${this.name} is not read: no OS key store and no consent to weak storage`,
      );
      this.lost(
        `No OS key store was found (backend basic_text), so the stored ${this.name} was left unread. Unlock or install a key ring and restart, or enter the secret again in Settings.`,
      );
      return;
    }
    try {
      const { result, shouldReEncrypt } = await this.options.safeStorage.decryptStringAsync(
        Buffer.from(ciphertext, 'base64'),
      );
      this.secret = result;
      if (shouldReEncrypt) {
        // The key was rotated or a stronger one is available: store it under the new key.
        this.persisting = true;
        this.enqueue(() => this.persist(result));
      }
    } catch (error) {
      this.removeCiphertext();
      this.options.logger.warn(`The stored ${this.name} could not be decrypted; enter it again`, {
        error: describe(error),
      });
      this.lost(`The stored ${this.name} could not be decrypted. Enter it again in Settings.`);
    }
  }

  private logStatus(): Record<string, unknown> {
    const { encryptionAvailable, backend, weak } = this.status();
    return { encryptionAvailable, backend, weak };
  }
}
