/**
 * Tests only: disk faults at the system-call boundary of this process (Linux). The real file
 * system does the work; chosen calls on chosen files fail as a full or failing disk would
 * make them fail (a write cut short by ENOSPC, an fdatasync that reports EIO...), and fsyncs
 * are recorded by path. Calls are matched by the path behind their descriptor
 * (/proc/self/fd), so tests running side by side on other files are not affected.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

type Callback = (error: NodeJS.ErrnoException | null) => void;

/** A fault on one file: the next `times` calls fail (default 1). */
export interface FaultRule {
  file: string;
  call: 'write' | 'datasync' | 'ftruncate';
  /** For writes: bytes written before the error (a write cut short); default 0. */
  partialBytes?: number;
  code?: string;
  times?: number;
}

/** The faults in force; `restore()` puts the real calls back. */
export interface FsFaults {
  add(rule: FaultRule): void;
  /** Paths of every fsync'd or fdatasync'd descriptor, in order. */
  readonly synced: string[];
  restore(): void;
}

function pathOf(fd: number): string {
  try {
    return fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return '';
  }
}

function errno(code: string, call: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: injected fault, ${call}`);
  error.code = code;
  error.syscall = call;
  return error;
}

/** Installs the fault hooks (one set per test file at a time). */
export function injectFsFaults(): FsFaults {
  const real = {
    writeSync: fs.writeSync,
    fdatasync: fs.fdatasync,
    ftruncate: fs.ftruncate,
    fsyncSync: fs.fsyncSync,
  };
  const rules: Required<FaultRule>[] = [];
  const synced: string[] = [];
  const take = (call: FaultRule['call'], fd: number): Required<FaultRule> | null => {
    const file = pathOf(fd);
    const rule = rules.find((r) => r.call === call && r.file === file && r.times > 0);
    if (!rule) return null;
    rule.times--;
    return rule;
  };
  const patched = fs as unknown as Record<string, unknown>;
  patched.writeSync = (fd: number, buffer: Buffer, offset = 0, length?: number): number => {
    const rule = take('write', fd);
    if (!rule) return real.writeSync(fd, buffer, offset, length);
    if (rule.partialBytes > 0) {
      const n = Math.min(rule.partialBytes, length ?? buffer.length - offset);
      const written = real.writeSync(fd, buffer, offset, n);
      // The rest of the write then fails, as the next call of a short write would.
      rules.unshift({ ...rule, partialBytes: 0, times: 1 });
      return written;
    }
    throw errno(rule.code, 'write');
  };
  patched.fdatasync = (fd: number, callback: Callback): void => {
    synced.push(pathOf(fd));
    const rule = take('datasync', fd);
    if (rule) {
      process.nextTick(() => callback(errno(rule.code, 'fdatasync')));
      return;
    }
    real.fdatasync(fd, callback);
  };
  patched.ftruncate = (fd: number, len: number, callback: Callback): void => {
    const rule = take('ftruncate', fd);
    if (rule) {
      process.nextTick(() => callback(errno(rule.code, 'ftruncate')));
      return;
    }
    real.ftruncate(fd, len, callback);
  };
  patched.fsyncSync = (fd: number): void => {
    synced.push(pathOf(fd));
    real.fsyncSync(fd);
  };
  syncBuiltinESMExports();
  return {
    add(rule) {
      rules.push({ partialBytes: 0, code: 'ENOSPC', times: 1, ...rule });
    },
    synced,
    restore() {
      Object.assign(patched, real);
      syncBuiltinESMExports();
    },
  };
}
