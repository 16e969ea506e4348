/**
 * A durable keyed table kept as an append-only journal of JSON lines (one file per table).
 *
 * Why not electron-store for tables: it rewrites its whole file on every change, so the cost
 * of one ticket would grow with the table (issue "Benchmarks", targets 3 and 4). Here a change
 * appends one line and fsyncs; the file is compacted (rewritten atomically) only when dead
 * lines outnumber live rows, so the amortised cost per change stays flat. Loading a well-formed
 * file costs one JSON.parse of the whole (start-up, target 5).
 *
 * Guarantees:
 * - `commit()` resolves only after the lines are on disk (fdatasync), unless `durable: false`.
 * - Concurrent commits are grouped into one write and one fsync (group commit), in order.
 * - A last line without its newline (a crash during a write) is kept when it parses. When it
 *   does not, the record it held is lost: that is reported like any other damage below (a
 *   file cut short by a full disk or a bad copy looks exactly like this).
 * - Any other unreadable content is a corruption: the file is moved aside under a name with a
 *   time stamp, the readable rows are kept, and `recovery` says what was lost.
 * - A failed commit leaves nothing behind: bytes it may have written are cut off again
 *   (ftruncate to the size before its batch, then fsync), so that a later line never joins
 *   a fragment; if that cut fails, the table refuses every further commit until reopened.
 *   Commits queued behind a failed one fail with it, so memory never goes back to a value
 *   older than a later commit.
 * - Renames, kept-aside copies and a newly created file are made durable by an fsync of the
 *   folder (once per event, never per append); compaction writes only rows already on disk.
 */
import { promises as fsp } from 'node:fs';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One change to a table. */
export type JournalOp<T> = { key: string; value: T } | { key: string; delete: true };

/** What loading found wrong with a file, for the operator. */
export interface JournalRecovery {
  file: string;
  movedTo: string;
  badLines: number;
  keptRows: number;
}

/** Options of a journal table. */
export interface JournalTableOptions<T> {
  /** Checks a row read from disk; rows that fail are counted as lost. */
  validate?: (value: unknown) => value is T;
  /** Compact when dead lines exceed live rows by this factor (default 1) plus `slack`. */
  slack?: number;
}

type Line<T> = { k: string; v?: T; d?: 1 };

/** A commit waiting for its write; `undo` restores the values its ops replaced. */
interface PendingCommit<T> {
  lines: string[];
  durable: boolean;
  onWritten: (() => void) | undefined;
  /** [key, value before the commit] in op order; undefined: the key was absent. */
  before: [string, T | undefined][];
  resolve: () => void;
  reject: (e: unknown) => void;
}

const NEWLINE = 0x0a;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function openForAppend(file: string): Promise<number> {
  return new Promise((resolve, reject) =>
    fs.open(file, 'a', (error, fd) => (error ? reject(error) : resolve(fd))),
  );
}

function datasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) =>
    fs.fdatasync(fd, (error) => (error ? reject(error) : resolve())),
  );
}

function truncateFd(fd: number, size: number): Promise<void> {
  return new Promise((resolve, reject) =>
    fs.ftruncate(fd, size, (error) => (error ? reject(error) : resolve())),
  );
}

function closeFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) =>
    fs.close(fd, (error) => (error ? reject(error) : resolve())),
  );
}

/** Calls a commit's `onWritten`; a throwing callback is its caller's bug, not a failed write. */
function notifyWritten(callback: (() => void) | undefined): void {
  if (!callback) return;
  try {
    callback();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

/**
 * Writes every byte (a short write is continued, as appendFile does). `progress.written`
 * counts the bytes handed to the OS, also when a later call throws.
 */
function writeAll(fd: number, bytes: Buffer, progress: { written: number }): void {
  while (progress.written < bytes.length) {
    progress.written += fs.writeSync(fd, bytes, progress.written, bytes.length - progress.written);
  }
}

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

/** The file's bytes behind an opening bracket, read in one buffer (see `loadWhole`). */
async function readAsArrayCandidate(file: string): Promise<Buffer> {
  const handle = await fsp.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = Buffer.allocUnsafe(size + 1);
    bytes[0] = OPEN_BRACKET;
    let read = 0;
    while (read < size) {
      const { bytesRead } = await handle.read(bytes, 1 + read, size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return bytes.subarray(0, 1 + read);
  } finally {
    await handle.close();
  }
}

/** Time stamp safe in file names on every OS. */
export function fileTimeStamp(date = new Date()): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/** Moves a broken file aside as `<name>.broken-<time stamp>` and returns the new path. */
export function moveAside(file: string, now = new Date()): string {
  const target = `${file}.broken-${fileTimeStamp(now)}`;
  fs.renameSync(file, target);
  fsyncDirectory(path.dirname(file));
  return target;
}

/**
 * Keeps a copy of a broken file as `<name>.broken-<time stamp>` (a hard link where the file
 * system allows it) and leaves the file in place, so that a crash before its repaired version
 * replaces it loses nothing: the next start finds the damage again. Returns the copy's path.
 */
export function keepAside(file: string, now = new Date()): string {
  const target = `${file}.broken-${fileTimeStamp(now)}`;
  try {
    fs.linkSync(file, target);
  } catch {
    fs.copyFileSync(file, target);
    const fd = fs.openSync(target, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
  fsyncDirectory(path.dirname(file));
  return target;
}

/** A keyed table persisted as a journal; rows keep their first-insertion order. */
export class JournalTable<T> {
  readonly file: string;
  /** Set when loading had to move a corrupted file aside. */
  recovery: JournalRecovery | null = null;
  private readonly rows = new Map<string, T>();
  private lineCount = 0;
  private pending: PendingCommit<T>[] = [];
  private flushing: Promise<void> | null = null;
  /** Append descriptor (a plain fd: see `flush`). */
  private fd: number | null = null;
  /** Size of the file behind `fd` (known since it was opened; appends add to it). */
  private fileSize = 0;
  /** The file's folder entry is known to be durable (it existed at load, or was fsync'd). */
  private entryDurable = false;
  /** Set when a failed write could not be cut off: no commit is accepted until reopened. */
  private broken: Error | null = null;
  private readonly slack: number;

  private constructor(
    file: string,
    private readonly options: JournalTableOptions<T>,
  ) {
    this.file = file;
    this.slack = options.slack ?? 1000;
  }

  /** Opens (and creates when missing) the table stored in `file`. */
  static async open<T>(
    file: string,
    options: JournalTableOptions<T> = {},
  ): Promise<JournalTable<T>> {
    const table = new JournalTable<T>(file, options);
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await table.load();
    return table;
  }

  private async load(): Promise<void> {
    // Fast path (start-up time, issue 6 target 5): a well-formed journal is parsed in one
    // JSON.parse, its lines turned into the elements of one array in place in the bytes read,
    // which costs about what parsing one JSON file of the same rows costs. Anything unusual (a
    // torn last line, an empty or unreadable line) falls back to the line-by-line reading
    // below, which decides what is lost.
    let bytes: Buffer;
    try {
      bytes = await readAsArrayCandidate(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    this.entryDurable = true;
    if (bytes.length <= 1 || this.loadWhole(bytes)) return;
    const text = await fsp.readFile(this.file, 'utf8');
    const lines = text.split('\n');
    // The last element is '' when the file ends with a newline; otherwise it is a torn write.
    const last = lines.pop() ?? '';
    let bad = 0;
    for (const raw of lines) {
      if (raw === '') continue;
      if (!this.applyLine(raw)) bad++;
    }
    // A final line without its newline is a write that a crash interrupted. Kept when it
    // parses; otherwise its record is lost, and the operator is told as for any damage.
    if (last !== '' && !this.applyLine(last)) bad++;
    if (bad > 0) {
      // The damaged file stays in place until rewrite() replaces it atomically.
      const movedTo = keepAside(this.file);
      this.recovery = { file: this.file, movedTo, badLines: bad, keptRows: this.rows.size };
      await this.rewrite();
    } else if (last !== '') {
      // Rewrite so that the next append starts on a line of its own.
      await this.rewrite();
    }
  }

  /**
   * Loads a well-formed journal (every line a valid record, each ending with a newline) with
   * one JSON.parse. `bytes` is '[' followed by the file; it is changed in place (newlines
   * become commas, the last one the closing bracket). Returns false, having loaded nothing,
   * when the file is not exactly that.
   */
  private loadWhole(bytes: Buffer): boolean {
    const end = bytes.length - 1;
    if (bytes[end] !== NEWLINE) return false;
    // JSON.stringify never writes a raw newline inside a record, and no byte of a multi-byte
    // UTF-8 character is 0x0A, so every newline byte ends a line.
    for (let at = bytes.indexOf(NEWLINE, 1); at !== -1 && at < end;) {
      if (bytes[at + 1] === NEWLINE) return false; // an empty line: not well-formed
      bytes[at] = COMMA;
      at = bytes.indexOf(NEWLINE, at + 1);
    }
    bytes[end] = CLOSE_BRACKET;
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      return false;
    }
    if (!Array.isArray(parsed)) return false;
    for (const line of parsed) if (!this.isValidLine(line)) return false;
    for (const line of parsed as Line<T>[]) this.applyParsed(line);
    return true;
  }

  private isValidLine(line: unknown): line is Line<T> {
    if (typeof line !== 'object' || line === null) return false;
    const record = line as Line<T>;
    if (typeof record.k !== 'string') return false;
    if (record.d === 1) return true;
    if (record.v === undefined) return false;
    return !this.options.validate || this.options.validate(record.v);
  }

  private applyParsed(line: Line<T>): void {
    if (line.d === 1) this.rows.delete(line.k);
    else this.rows.set(line.k, line.v as T);
    this.lineCount++;
  }

  private applyLine(raw: string): boolean {
    let line: unknown;
    try {
      line = JSON.parse(raw);
    } catch {
      return false;
    }
    if (!this.isValidLine(line)) return false;
    this.applyParsed(line);
    return true;
  }

  /** Number of live rows. */
  get size(): number {
    return this.rows.size;
  }

  /** The row stored under `key`. */
  get(key: string): T | undefined {
    return this.rows.get(key);
  }

  /** True when a row is stored under `key`. */
  has(key: string): boolean {
    return this.rows.has(key);
  }

  /** Live rows in first-insertion order. */
  values(): IterableIterator<T> {
    return this.rows.values();
  }

  /** Live keys in first-insertion order. */
  keys(): IterableIterator<string> {
    return this.rows.keys();
  }

  /**
   * Applies changes in memory at once and resolves when they are on disk. When the write
   * fails, the in-memory change is rolled back and the promise rejects. `onWritten` is called
   * once the lines are handed to the OS (they survive the process from then on), before the
   * fdatasync that makes them survive a power cut; it is not called when the write fails.
   */
  commit(
    ops: JournalOp<T>[],
    options: { durable?: boolean; onWritten?: () => void } = {},
  ): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    if (this.broken) return Promise.reject(this.broken);
    const before: [string, T | undefined][] = [];
    const lines: string[] = [];
    for (const op of ops) {
      before.push([op.key, this.rows.get(op.key)]);
      if ('delete' in op) {
        this.rows.delete(op.key);
        lines.push(JSON.stringify({ k: op.key, d: 1 }));
      } else {
        this.rows.set(op.key, op.value);
        lines.push(JSON.stringify({ k: op.key, v: op.value }));
      }
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({
        lines,
        durable: options.durable !== false,
        onWritten: options.onWritten,
        before,
        resolve,
        reject: (error) => reject(error instanceof Error ? error : new Error(String(error))),
      });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    // Yield once, so that `this.flushing` is set before a batch can finish (a non-durable
    // batch now completes without any other await), and commits of the same turn join it.
    await Promise.resolve();
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        const progress = { written: 0 };
        let sizeBefore = -1;
        let datasyncStarted = false;
        try {
          if (this.broken) throw this.broken;
          if (this.fd === null) {
            this.fd = await openForAppend(this.file);
            this.fileSize = fs.fstatSync(this.fd).size;
          }
          sizeBefore = this.fileSize;
          const bytes = Buffer.from(batch.map((b) => b.lines.join('\n') + '\n').join(''), 'utf8');
          // The append itself is a small copy into the page cache: done synchronously, it
          // saves a thread-pool round trip per commit (issue 6, target 4). The wait for the
          // disk, fdatasync, stays off the main thread, and every commit of the batch resolves
          // only after it.
          writeAll(this.fd, bytes, progress);
          this.fileSize += bytes.length;
          for (const b of batch) notifyWritten(b.onWritten);
          if (batch.some((b) => b.durable)) {
            datasyncStarted = true;
            await datasync(this.fd);
            // A file this table created: its folder entry must survive a power cut too
            // (once per file, not per append).
            if (!this.entryDurable) {
              fsyncDirectory(path.dirname(this.file));
              this.entryDurable = true;
            }
          }
          this.lineCount += batch.reduce((n, b) => n + b.lines.length, 0);
          for (const b of batch) b.resolve();
        } catch (error) {
          const cause = error instanceof Error ? error : new Error(String(error));
          if (progress.written > 0 || datasyncStarted) await this.cutBack(sizeBefore, cause);
          await this.closeFd();
          // Commits queued behind the failed batch were applied in memory after it: they fail
          // too, and memory is restored newest first, back to the state before the batch.
          const failed = [...batch, ...this.pending];
          this.pending = [];
          for (const b of [...failed].reverse()) {
            for (const [key, value] of [...b.before].reverse()) {
              if (value === undefined) this.rows.delete(key);
              else this.rows.set(key, value);
            }
          }
          for (const b of failed) b.reject(cause);
        }
        if (this.lineCount > 2 * this.rows.size + this.slack) {
          try {
            await this.rewrite();
          } catch {
            // Compaction is an optimisation; the journal stays valid when it fails.
          }
        }
      }
    } finally {
      this.flushing = null;
    }
  }

  /**
   * Cuts the file back to `size` after a failed write and makes that durable. When this
   * fails too, the end of the file is unknown: the table refuses commits until reopened
   * (loading then reports a damaged last line, if one was left).
   */
  private async cutBack(size: number, cause: Error): Promise<void> {
    const fd = this.fd;
    try {
      if (fd === null || size < 0) throw new Error('the file is not open');
      await truncateFd(fd, size);
      await datasync(fd);
      this.fileSize = size;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.broken = new Error(
        `${path.basename(this.file)} could not be repaired after a failed write (${cause.message}; then ${reason}); nothing more is saved to it until the app restarts`,
      );
    }
  }

  /**
   * Rewrites the file with the live rows only, atomically (temp file, fsync, rename, fsync of
   * the folder). Only what the journal already holds is copied: changes of commits still
   * waiting for their write are left out (they are appended after, or fail without a trace).
   */
  private async rewrite(): Promise<void> {
    const parts = this.durableLines();
    await this.closeFd();
    const tmp = `${this.file}.tmp`;
    const handle = await fsp.open(tmp, 'w');
    try {
      await handle.writeFile(parts.length ? parts.join('\n') + '\n' : '', 'utf8');
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await fsp.rename(tmp, this.file);
    fsyncDirectory(path.dirname(this.file));
    this.entryDurable = true;
    this.lineCount = parts.length;
  }

  /** The live rows as lines, with the changes of unwritten commits taken back. */
  private durableLines(): string[] {
    const unwritten = new Map<string, T | undefined>();
    for (const commit of this.pending) {
      for (const [key, value] of commit.before) if (!unwritten.has(key)) unwritten.set(key, value);
    }
    const parts: string[] = [];
    for (const [k, v] of this.rows) {
      const value = unwritten.has(k) ? unwritten.get(k) : v;
      unwritten.delete(k);
      if (value !== undefined) parts.push(JSON.stringify({ k, v: value }));
    }
    // Rows that an unwritten commit deleted are still on disk.
    for (const [k, value] of unwritten) {
      if (value !== undefined) parts.push(JSON.stringify({ k, v: value }));
    }
    return parts;
  }

  private async closeFd(): Promise<void> {
    const fd = this.fd;
    this.fd = null;
    if (fd !== null) await closeFd(fd).catch(() => undefined);
  }

  /** Waits for pending writes, then closes the file. The table can still be read. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => undefined);
    await this.closeFd();
  }
}
