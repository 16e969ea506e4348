/**
 * The ports through which the connector reaches the outside world. The app passes
 * Electron-backed adapters (electron/platform/), tests pass real files and fakes of time, so
 * the connector never imports Electron and runs under Vitest in plain Node.
 */
import type { AlarmProperties, SecretStorageStatus } from '../../shared/domain.js';

/** A clock that tests can move by hand. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * A small JSON document store for the settings: electron-store in the app, `conf` (the same
 * store without Electron) in tests. Only the settings live here; tables and the queue are
 * in the SQLite store (electron/storage/).
 */
export interface SettingsStorePort {
  /** The whole stored document (may be empty or invalid: the caller validates). */
  read(): Record<string, unknown>;
  /** Replaces the whole stored document. Throws when it cannot be written. */
  write(value: Record<string, unknown>): void;
  /**
   * Optional: moves the stored document aside (it is unreadable or invalid) so that it can be
   * inspected later, and returns where it went (null when there was nothing to move).
   */
  setAside?(): string | null;
}

/**
 * Keeps the Client Secret: OS-encrypted on disk (safeStorage) in the app, or only in memory
 * where the OS has no real key store and the user has not consented to weak storage.
 */
export interface SecretStorePort {
  /** The secret in clear, for the token call only; undefined when not set. */
  get(): string | undefined;
  /** Stores the secret (persisting it only where allowed). Throws when it cannot be stored. */
  set(secret: string): void;
  clear(): void;
  /** Records the user's consent (or its withdrawal) to store the secret weakly protected. */
  setWeakConsent(consent: boolean): void;
  status(): SecretStorageStatus;
}

/** Reads and writes the Oceane properties of an alarm (the mock DataMiner implements it). */
export interface AlarmPropertyPort {
  get(dmaId: string, alarmId: string): AlarmProperties;
  /**
   * Merges properties onto the alarm and resolves once they are durable. `synced: false`
   * (asked only when `storeFile` is the connector's own database): once written, durable
   * across a crash of the app but not a power cut, in the order of that database's log.
   */
  set(
    dmaId: string,
    alarmId: string,
    properties: AlarmProperties,
    options?: { synced?: boolean },
  ): Promise<void>;
  /** The SQLite file holding the properties, when they are kept in one on this machine. */
  readonly storeFile?: string;
}

/** Where the connector writes what it does; the implementation redacts secrets. */
export interface Logger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** A logger that drops everything, for tests that do not look at logs. */
export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
