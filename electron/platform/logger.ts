/**
 * The app's log file: JSON lines in `<userData>/logs/oceane-console.log`, rotated when it
 * passes a size cap. Every message and data object goes through `redact.ts` first, so a
 * secret or token handed to the logger by mistake never reaches the disk. Writing is
 * synchronous (the log is small and ordered); a failing disk never crashes the app.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../connector/ports.js';
import { redactText, redactValue } from './redact.js';

/** Name of the log file inside the logs folder. */
export const LOG_FILE_NAME = 'oceane-console.log';

/** Options of the file logger. */
export interface FileLoggerOptions {
  /** The logs folder (created when missing), e.g. `<userData>/logs`. */
  dir: string;
  fileName?: string;
  /** Rotate when the file would grow past this size (default 5 MiB). */
  maxBytes?: number;
  /** How many rotated files to keep besides the current one (default 3). */
  maxFiles?: number;
  /** The time of each line (tests pass a fixed clock). */
  now?: () => Date;
  /** Secrets known at run time (the Client Secret), redacted wherever they appear. */
  knownSecrets?: () => readonly (string | undefined)[];
  /** Also hands each (redacted) line here, e.g. the console in development. */
  mirror?: (line: string) => void;
}

/** A Logger that writes to a file. */
export interface FileLogger extends Logger {
  /** Absolute path of the current log file. */
  readonly file: string;
}

type Level = 'info' | 'warn' | 'error';

/** Creates the redacting, size-capped file logger. */
export function createFileLogger(options: FileLoggerOptions): FileLogger {
  const file = path.join(options.dir, options.fileName ?? LOG_FILE_NAME);
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const maxFiles = Math.max(1, options.maxFiles ?? 3);
  const now = options.now ?? (() => new Date());
  let size: number | null = null;
  let reportedFailure = false;

  const currentSize = (): number => {
    if (size === null) {
      try {
        size = fs.statSync(file).size;
      } catch {
        size = 0;
      }
    }
    return size;
  };

  const rotate = (): void => {
    // rename replaces an existing target, so the oldest file simply falls off the end.
    for (let i = maxFiles - 1; i >= 1; i--) {
      const from = `${file}.${i}`;
      if (fs.existsSync(from)) fs.renameSync(from, `${file}.${i + 1}`);
    }
    if (fs.existsSync(file)) fs.renameSync(file, `${file}.1`);
    size = 0;
  };

  const write = (level: Level, message: string, data?: Record<string, unknown>): void => {
    const secrets = (options.knownSecrets?.() ?? []).filter(
      (s): s is string => typeof s === 'string' && s !== '',
    );
    const entry: Record<string, unknown> = {
      time: now().toISOString(),
      level,
      message: redactText(message, secrets),
    };
    if (data !== undefined) entry.data = redactValue(data, secrets);
    const line = `${JSON.stringify(entry)}\n`;
    options.mirror?.(line.trimEnd());
    try {
      fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
      const bytes = Buffer.byteLength(line);
      if (currentSize() > 0 && currentSize() + bytes > maxBytes) rotate();
      fs.appendFileSync(file, line, { encoding: 'utf8', mode: 0o600 });
      size = currentSize() + bytes;
    } catch (error) {
      if (!reportedFailure) {
        reportedFailure = true;
        process.stderr.write(`Cannot write the log file ${file}: ${String(error)}\n`);
      }
      size = null;
    }
  };

  return {
    file,
    info: (message, data) => write('info', message, data),
    warn: (message, data) => write('warn', message, data),
    error: (message, data) => write('error', message, data),
  };
}
