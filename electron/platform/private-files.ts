/**
 * Files only the user can read: the data folder is 0700 and the settings and secrets
 * documents 0600, like the logs (conf's default would leave them 0644, readable by every
 * local account). Files written by older versions are tightened at start. On Windows the
 * modes mean little (the profile folder's ACL protects the data) and are left alone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../connector/ports.js';
import {
  openRecoveringJsonStore,
  type JsonDocument,
  type RecoveringJsonStore,
} from './settings-store.js';

/** Mode of every file holding settings, secrets or logs. */
export const PRIVATE_FILE_MODE = 0o600;
/** Mode of the data folder and the logs folder. */
export const PRIVATE_DIR_MODE = 0o700;

/** What `openPrivateDocuments` asks the document factory for (electron-store's options). */
export interface PrivateDocumentOptions {
  /** File name without `.json`. */
  name: string;
  cwd: string;
  configFileMode: number;
}

/** The two JSON documents of the data folder. */
export interface PrivateDocuments {
  settings: RecoveringJsonStore;
  secrets: RecoveringJsonStore;
}

const tighten = (target: string, mode: number, platform: NodeJS.Platform): void => {
  if (platform === 'win32') return;
  try {
    if ((fs.statSync(target).mode & 0o777) !== mode) fs.chmodSync(target, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
};

/** Creates the folder (and its parents) when missing and makes it 0700. */
export function securePrivateFolder(dir: string, platform = process.platform): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tighten(dir, PRIVATE_DIR_MODE, platform);
}

/**
 * Secures the data folder and opens `settings.json` and `secrets.json` in it, created 0600
 * and tightened to 0600 when an older version left them readable by others.
 */
export function openPrivateDocuments(input: {
  dataDir: string;
  open: (options: PrivateDocumentOptions) => JsonDocument;
  logger: Logger;
  platform?: NodeJS.Platform;
}): PrivateDocuments {
  const platform = input.platform ?? process.platform;
  securePrivateFolder(input.dataDir, platform);
  const document = (name: string): RecoveringJsonStore => {
    const file = path.join(input.dataDir, `${name}.json`);
    tighten(file, PRIVATE_FILE_MODE, platform);
    return openRecoveringJsonStore({
      file,
      open: () => input.open({ name, cwd: input.dataDir, configFileMode: PRIVATE_FILE_MODE }),
      logger: input.logger,
    });
  };
  return { settings: document('settings'), secrets: document('secrets') };
}
