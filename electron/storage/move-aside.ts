/**
 * Keeping damaged or retired files aside under a time-stamped name, durably (the rename is
 * made durable by an fsync of the folder). Settings stores, the demo ledger and the SQL store
 * use it; nothing is ever deleted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Makes the entries of a folder durable (a rename, a new file): fsync of the folder itself.
 * Platforms that cannot open a folder for this (Windows) make renames durable on their own.
 */
export function fsyncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch (error) {
    if (isUnsupportedDirSync(error)) return;
    throw error;
  }
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    if (!isUnsupportedDirSync(error)) throw error;
  } finally {
    fs.closeSync(fd);
  }
}

function isUnsupportedDirSync(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EISDIR' || code === 'EPERM' || code === 'EINVAL' || code === 'EACCES';
}

/** Time stamp safe in file names on every OS. */
export function fileTimeStamp(date = new Date()): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/** Moves a file aside as `<name>.<label>-<time stamp>` and returns the new path. */
export function moveAside(file: string, now = new Date(), label = 'broken'): string {
  const target = `${file}.${label}-${fileTimeStamp(now)}`;
  fs.renameSync(file, target);
  fsyncDirectory(path.dirname(file));
  return target;
}
