/**
 * The early sync of the SQL store's log (WAL) after a commit that was not synced. SQLite syncs
 * the log at a durable commit only, and that sync then writes to disk every page the unsynced
 * commits before it left in the log too: on the Tickets table, a request's durable write paid
 * for the previous ticket's Created row, followed ticket, alarm properties and retention (about
 * 25 pages of the 40 it synced). Syncing the log in the background (the thread pool's
 * fdatasync) once the turn of the event loop that made such commits is over makes those pages
 * reach the disk while the app waits for Oceane or for the operator, and the next durable
 * write syncs its own pages only.
 *
 * It only makes data durable sooner: it never writes, and SQLite's own sync of a durable
 * commit stays what makes a request durable. The log file is opened for this alone; SQLite
 * takes no lock on it (its locks are on the database and its shared-memory file), so closing
 * this descriptor releases none of them. A failure is ignored: the next durable commit syncs.
 */
import * as fs from 'node:fs';

/** Background syncs of one connection's log, one at a time. */
export class WalSync {
  private fd: number | null = null;
  private running = false;
  /** A sync asked for in this turn of the event loop, started once the turn is over. */
  private scheduled = false;
  private again = false;
  private closed = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly walFile: string) {}

  /**
   * Syncs the log in the background once this turn of the event loop is over: the commits of
   * one turn (a ticket's Created row, then its alarm properties) share one sync, which does not
   * run while the turn still writes. A request during a sync runs one more after it.
   */
  request(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    if (this.closed) {
      this.settled();
      return;
    }
    try {
      this.fd ??= fs.openSync(this.walFile, 'r+');
    } catch {
      this.settled();
      return;
    }
    this.running = true;
    fs.fdatasync(this.fd, () => {
      this.running = false;
      this.settled();
    });
  }

  private settled(): void {
    if (this.again && !this.closed) {
      this.again = false;
      this.start();
      return;
    }
    this.again = false;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves once no background sync is running or asked for. */
  idle(): Promise<void> {
    if (!this.running && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Closes the descriptor (before SQLite closes the connection, which may delete the log). */
  close(): void {
    this.closed = true;
    if (this.fd !== null) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // Already closed: nothing to release.
      }
      this.fd = null;
    }
    if (!this.running) this.settled();
  }
}

/**
 * Bytes of log written ahead at open: the frames SQLite writes before its automatic
 * checkpoint (1,000 pages of 4 KiB, each with its 24-byte header) and some room past it.
 */
export const LOG_PREALLOCATED_BYTES = 1100 * (4096 + 24);

/**
 * Extends the log file `walFile` to `bytes` with zeros, synced (nothing when it is already that
 * long). A synced commit that appends to the log also changes the file's size, and its sync
 * then writes the file system's journal too: on a new log (SQLite deletes it at the last
 * close, so after every start) that cost each durable commit about a fifth more until the
 * first checkpoint, after which SQLite reuses the file from its start. SQLite ignores the
 * zeros: a frame is read only when its salts and checksum continue the log's, so recovery stops
 * at the first zero frame, as it stops at the stale frames of a reused log.
 *
 * The caller holds the database's write lock (no other connection appends frames meanwhile).
 * Best effort: on any failure (a full disk, a read-only folder) the file is cut back to its
 * length and the error is returned, not thrown.
 */
export function preallocateLog(walFile: string, bytes = LOG_PREALLOCATED_BYTES): Error | null {
  let fd: number | null = null;
  let size = -1;
  try {
    fd = fs.openSync(walFile, 'r+');
    size = fs.fstatSync(fd).size;
    if (size >= bytes) return null;
    const zeros = Buffer.alloc(64 * 1024);
    for (let at = size; at < bytes;) {
      const length = Math.min(zeros.length, bytes - at);
      at += fs.writeSync(fd, zeros, 0, length, at);
    }
    fs.fdatasyncSync(fd);
    return null;
  } catch (error) {
    if (fd !== null && size >= 0) {
      try {
        fs.ftruncateSync(fd, size);
      } catch {
        // Left longer: the zeros are ignored all the same.
      }
    }
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
