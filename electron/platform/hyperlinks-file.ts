/**
 * The HyperLinks menu file the customer edits. Packaged builds carry the default
 * `HyperLinks.xml` in read-only resources (an AppImage mount) or in root-owned `/opt` (deb),
 * so on first start it is copied into the data folder, and the app reads (and watches) that
 * copy from then on. An existing copy is never overwritten: it is the customer's.
 */
import { constants, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../connector/ports.js';

/** Name of the menu file in the data folder. */
export const HYPERLINKS_FILE_NAME = 'HyperLinks.xml';

/** Where the app reads the menu from, and whether this start made the copy. */
export interface UserHyperLinks {
  file: string;
  copied: boolean;
}

/**
 * Copies the bundled default into `<dataDir>/HyperLinks.xml` when no copy exists yet, and
 * makes the copy writable by its owner (the bundled file may be read-only). When the copy
 * cannot be made, the bundled file is used (read-only) and the problem is logged.
 */
export async function ensureUserHyperLinks(input: {
  bundled: string;
  dataDir: string;
  logger: Logger;
}): Promise<UserHyperLinks> {
  const file = path.join(input.dataDir, HYPERLINKS_FILE_NAME);
  try {
    await fsp.copyFile(input.bundled, file, constants.COPYFILE_EXCL);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return { file, copied: false };
    input.logger.error('HyperLinks.xml could not be copied to the data folder', {
      from: input.bundled,
      to: file,
      error: error instanceof Error ? error.message : String(error),
    });
    return { file: input.bundled, copied: false };
  }
  await fsp.chmod(file, 0o600);
  input.logger.info('HyperLinks.xml copied to the data folder for editing', { file });
  return { file, copied: true };
}
