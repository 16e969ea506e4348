/**
 * The team's mock DataMiner as its own process, as `npm run dataminer` starts it: a child
 * process on a free port of 127.0.0.1, its address read from the line it prints, stopped with
 * SIGTERM (it saves its alarm state and exits 0).
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'electron/dataminer/dataminer-cli.ts');

/** A running DataMiner process. */
export interface DataMinerProcess {
  url: string;
  pid: number;
  /** Stops it (SIGTERM, then SIGKILL if it has not exited in 10 s); resolves on its exit. */
  stop(): Promise<void>;
}

/** How the DataMiner process is started. */
export interface DataMinerProcessOptions {
  dataDir: string;
  alarms: number;
  /** Live alarm changes per second. */
  rate: number;
  seed?: number;
  /** Receives the lines it prints after its address (default: dropped). */
  log?: (line: string) => void;
}

/** Starts the process and resolves once it listens. */
export async function startDataMinerProcess(
  options: DataMinerProcessOptions,
): Promise<DataMinerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI,
      '--port',
      '0',
      '--data-dir',
      options.dataDir,
      '--alarms',
      String(options.alarms),
      '--rate',
      String(options.rate),
      '--seed',
      String(options.seed ?? 1),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const errors: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => errors.push(line));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    let found = false;
    lines.on('line', (line) => {
      const match = /^Mock DataMiner listening on (\S+)/.exec(line);
      if (!found && match) {
        found = true;
        resolve(match[1]!);
      } else if (found) options.log?.(line);
    });
    void exited.then((code) => {
      if (!found) {
        const detail = errors.join(' ').trim() || `exit code ${String(code)}`;
        reject(new Error(`The mock DataMiner did not start: ${detail}`));
      }
    });
  });
  let stopping: Promise<void> | null = null;
  return {
    url,
    pid: child.pid!,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
