/**
 * The Client Secret, kept by the main process only (design.md "Data", issue 3 "Secrets").
 *
 * - Encrypted with Electron's `safeStorage` before it reaches disk: the secrets document
 *   (`secrets.json`, separate from the settings) holds base64 ciphertext, never the secret.
 * - Where the OS has no real key store (Linux `basic_text` backend), the secret is kept in
 *   memory only, unless the user consented to weak storage; the consent is persisted.
 * - Where encryption is not available at all, the secret is kept in memory only.
 * - The secret is never logged and `status()` (what the renderer learns) never contains it.
 *
 * Electron's `safeStorage` is passed in, so tests use a small fake and never load Electron.
 */
import type { SecretStorageStatus } from '../../shared/domain.js';
import type { Logger, SecretStorePort, SettingsStorePort } from '../connector/ports.js';

/** The part of Electron's `safeStorage` the secret store uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
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

/** A `SecretStorePort` over `safeStorage` and a JSON document. */
export class SafeSecretStore implements SecretStorePort {
  private secret: string | undefined;
  private readonly options: SafeSecretStoreOptions;

  constructor(options: SafeSecretStoreOptions) {
    this.options = options;
    this.secret = this.load();
  }

  get(): string | undefined {
    return this.secret;
  }

  set(secret: string): void {
    if (secret === '') throw new Error('The Client Secret cannot be empty');
    this.secret = secret;
    if (this.mayPersist()) {
      this.persist(secret);
    } else {
      // An older ciphertext must not outlive the secret it stood for.
      this.removeCiphertext();
      this.options.logger.info('Client Secret kept in memory only', this.logStatus());
    }
  }

  clear(): void {
    this.secret = undefined;
    this.removeCiphertext();
    this.options.logger.info('Client Secret cleared');
  }

  setWeakConsent(consent: boolean): void {
    const doc = this.options.document.read();
    doc[SECRET_DOC_KEYS.weakConsent] = consent;
    this.options.document.write(doc);
    this.options.logger.info('Weak secret storage consent changed', { consent });
    if (this.secret === undefined) return;
    if (this.mayPersist()) this.persist(this.secret);
    else if (this.isWeak()) this.removeCiphertext();
  }

  status(): SecretStorageStatus {
    const doc = this.options.document.read();
    return {
      encryptionAvailable: this.encryptionAvailable(),
      backend: storageBackend(this.options.safeStorage, this.options.platform),
      weak: this.isWeak(),
      weakConsent: doc[SECRET_DOC_KEYS.weakConsent] === true,
      persisted: this.secret !== undefined && typeof doc[SECRET_DOC_KEYS.ciphertext] === 'string',
    };
  }

  private encryptionAvailable(): boolean {
    try {
      return this.options.safeStorage.isEncryptionAvailable();
    } catch {
      return false;
    }
  }

  private isWeak(): boolean {
    return storageBackend(this.options.safeStorage, this.options.platform) === 'basic_text';
  }

  private mayPersist(): boolean {
    if (!this.encryptionAvailable()) return false;
    if (!this.isWeak()) return true;
    return this.options.document.read()[SECRET_DOC_KEYS.weakConsent] === true;
  }

  private persist(secret: string): void {
    const ciphertext = this.options.safeStorage.encryptString(secret).toString('base64');
    const doc = this.options.document.read();
    doc[SECRET_DOC_KEYS.ciphertext] = ciphertext;
    this.options.document.write(doc);
    this.options.logger.info('Client Secret stored encrypted', this.logStatus());
  }

  private removeCiphertext(): void {
    const doc = this.options.document.read();
    if (!(SECRET_DOC_KEYS.ciphertext in doc)) return;
    delete doc[SECRET_DOC_KEYS.ciphertext];
    this.options.document.write(doc);
  }

  /** Reads the stored secret at start; an unreadable ciphertext is dropped and logged. */
  private load(): string | undefined {
    const doc = this.options.document.read();
    const ciphertext = doc[SECRET_DOC_KEYS.ciphertext];
    if (typeof ciphertext !== 'string' || ciphertext === '') return undefined;
    if (!this.encryptionAvailable()) {
      this.options.logger.warn(
        'OS encryption is not available: the stored Client Secret cannot be read now',
        this.logStatus(),
      );
      return undefined;
    }
    if (this.isWeak() && doc[SECRET_DOC_KEYS.weakConsent] !== true) {
      // Written under a real key store (consent withdrawal removes weak copies); this start
      // has none, so it stays on disk untouched until a start with the key store reads it.
      this.options.logger.warn(
        'The stored Client Secret is not read: no OS key store and no consent to weak storage',
      );
      return undefined;
    }
    try {
      return this.options.safeStorage.decryptString(Buffer.from(ciphertext, 'base64'));
    } catch (error) {
      this.removeCiphertext();
      this.options.logger.warn('The stored Client Secret could not be decrypted; enter it again', {
        error: error instanceof Error ? error.message : String(error),
      });
      return undefined;
    }
  }

  private logStatus(): Record<string, unknown> {
    const { encryptionAvailable, backend, weak } = this.status();
    return { encryptionAvailable, backend, weak };
  }
}
