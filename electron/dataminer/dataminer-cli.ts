/**
 * The mock DataMiner as its own process for a team of consoles: `npm run dataminer -- --port
 * 47830 --data-dir ./dataminer-data`. Prints where it listens (consoles put that address in
 * Settings → Alarm Console → DataMiner address), runs until SIGINT or SIGTERM, then saves the
 * alarm state and stops. Exit codes: 0 after a clean stop, 1 when it cannot start, 2 for bad
 * arguments.
 */
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { MockDataMiner } from '../alarms/mock-dataminer.js';
import { startDataMinerServer } from './dataminer-server.js';

/** Default port of the team's DataMiner. */
export const DEFAULT_DATAMINER_PORT = 47_830;

export const DATAMINER_USAGE = `Usage: npm run dataminer -- [options]

  --host HOST        address to listen on (default 127.0.0.1; 0.0.0.0 for other machines)
  --port PORT        port to listen on (default ${DEFAULT_DATAMINER_PORT}; 0 for any free port)
  --data-dir DIR     where the alarm state and properties are kept (default ./dataminer-data)
  --alarms N         alarms at the start (default 500)
  --rate N           live alarm changes per second (default 1; 0 for none)
  --seed N           the same seed gives the same alarms (default 1)
  --cleared-seconds N  how long a cleared alarm stays (default 60)
  --help             this text`;

interface CliOptions {
  host: string;
  port: number;
  dataDir: string;
  initialAlarms: number;
  changesPerSecond: number;
  seed: number;
  clearedSeconds: number;
}

type Parsed =
  { kind: 'run'; options: CliOptions } | { kind: 'help' } | { kind: 'error'; message: string };

/** Reads the command line. */
export function parseDataMinerArgs(argv: readonly string[]): Parsed {
  const options: CliOptions = {
    host: '127.0.0.1',
    port: DEFAULT_DATAMINER_PORT,
    dataDir: 'dataminer-data',
    initialAlarms: 500,
    changesPerSecond: 1,
    seed: 1,
    clearedSeconds: 60,
  };
  const numbers: Record<string, keyof CliOptions> = {
    '--port': 'port',
    '--alarms': 'initialAlarms',
    '--rate': 'changesPerSecond',
    '--seed': 'seed',
    '--cleared-seconds': 'clearedSeconds',
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--help' || flag === '-h') return { kind: 'help' };
    const value = argv[i + 1];
    if (value === undefined) return { kind: 'error', message: `${flag} needs a value` };
    i++;
    if (flag === '--host') options.host = value;
    else if (flag === '--data-dir') options.dataDir = value;
    else if (numbers[flag]) {
      const n = Number(value);
      const whole = flag !== '--rate';
      if (
        !Number.isFinite(n) ||
        n < 0 ||
        (whole && !Number.isInteger(n)) ||
        (flag === '--port' && n > 65_535)
      ) {
        return { kind: 'error', message: `${flag} must be a number, not "${value}"` };
      }
      (options as unknown as Record<string, number>)[numbers[flag]] = n;
    } else return { kind: 'error', message: `unknown option ${flag}` };
  }
  return { kind: 'run', options };
}

async function main(): Promise<number> {
  const args = parseDataMinerArgs(process.argv.slice(2));
  if (args.kind === 'help') {
    console.log(DATAMINER_USAGE);
    return 0;
  }
  if (args.kind === 'error') {
    console.error(`dataminer: ${args.message}\n\n${DATAMINER_USAGE}`);
    return 2;
  }
  const { host, port, clearedSeconds, ...sizes } = args.options;
  const dataDir = path.resolve(sizes.dataDir);
  let dm: MockDataMiner;
  let server;
  try {
    await mkdir(dataDir, { recursive: true });
    dm = await MockDataMiner.open({ ...sizes, dataDir, clearedVisibleMs: clearedSeconds * 1000 });
    server = await startDataMinerServer(dm, { host, port });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    console.error(`dataminer: cannot start on ${host}:${port}: ${detail}`);
    return 1;
  }
  dm.start();
  console.log(`Mock DataMiner listening on ${server.url}`);
  console.log(`Alarms: ${dm.list().length}; state and properties in ${dataDir}`);
  console.log('Consoles: Settings → Alarm Console → DataMiner address. Press Ctrl+C to stop.');
  const running = server;
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      console.log(`\n${signal}: stopping the mock DataMiner`);
      running
        .close()
        .then(() => dm.close())
        .then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

// Run only as the entry point (tests import parseDataMinerArgs).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`dataminer: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
