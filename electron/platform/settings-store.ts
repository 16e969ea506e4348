/**
 * The settings document (`<userData>/settings.json`) behind the connector's
 * `SettingsStorePort`. In the app the document is an electron-store; in tests it is `conf`
 * (electron-store is `conf` plus Electron's paths), so this adapter receives a factory and
 * never imports Electron.
 *
 * A corrupted file must not stop the app: when the document cannot be parsed, it is moved
 * aside as `<file>.broken-<time stamp>` (as the journal tables do), the app starts from the
 * defaults, and `recovery` says what happened so the operator can be told.
 */
import * as fs from 'node:fs';
import type { Logger, SettingsStorePort } from '../connector/ports.js';
import { moveAside } from '../storage/move-aside.js';

/** The part of electron-store / conf this adapter uses. */
export interface JsonDocument {
  /** The whole document; reading throws when the file is not valid JSON. */
  store: Record<string, unknown>;
  /** Absolute path of the file. */
  readonly path: string;
}

/** What was wrong with a store file and where the broken copy went. */
export interface StoreRecovery {
  file: string;
  movedTo: string;
  reason: string;
}

/** A settings document that survives corruption; `recovery` is set when it had to. */
export interface RecoveringJsonStore extends SettingsStorePort {
  /** Set when a corrupted file was moved aside (at open or on a later read). */
  readonly recovery: StoreRecovery | null;
}

/** Options of `openRecoveringJsonStore`. */
export interface RecoveringJsonStoreOptions {
  /** Path of the file the document lives in (known before the store opens). */
  file: string;
  /** Opens the document, e.g. `() => new ElectronStore({ name: 'settings', cwd })`. */
  open: () => JsonDocument;
  logger: Logger;
  now?: () => Date;
}

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/**
 * Opens a JSON document store; when its file is corrupted, moves the file aside, starts
 * empty and records the recovery instead of throwing.
 */
export function openRecoveringJsonStore(options: RecoveringJsonStoreOptions): RecoveringJsonStore {
  const now = options.now ?? (() => new Date());
  let recovery: StoreRecovery | null = null;

  const recover = (error: unknown): void => {
    if (!fs.existsSync(options.file)) throw error;
    const movedTo = moveAside(options.file, now());
    recovery = { file: options.file, movedTo, reason: describe(error) };
    options.logger.warn('A corrupted store file was moved aside; starting from defaults', {
      file: options.file,
      movedTo,
      reason: recovery.reason,
    });
  };

  let doc: JsonDocument;
  try {
    doc = options.open();
  } catch (error) {
    recover(error);
    doc = options.open();
  }

  return {
    get recovery() {
      return recovery;
    },
    read() {
      try {
        return { ...doc.store };
      } catch (error) {
        recover(error);
        return {};
      }
    },
    write(value) {
      doc.store = value;
    },
  };
}
