/**
 * The early sync of the SQL store's log (WAL) after a commit that was not synced. SQLite syncs
 * the log at a durable commit only, and that sync then writes to disk every page the unsynced
 * commits before it left in the log too: on the Tickets table, a request's durable write paid
 * for the previous ticket's Created row, followed ticket, alarm properties and retention (about
 * 25 pages of the 40 it synced). Syncing the log in the background (the thread pool's
 * fdatasync) as soon as such a commit returns makes those pages reach the disk while the app
 * waits for Oceane or for the operator, and the next durable write syncs its own pages only.
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
  private again = false;
  private closed = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly walFile: string) {}

  /** Syncs the log in the background (a request during a sync runs one more after it). */
  request(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
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
      this.request();
      return;
    }
    this.again = false;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves once no background sync is running or asked for. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
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
