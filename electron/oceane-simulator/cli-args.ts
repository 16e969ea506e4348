/**
 * Arguments of the simulator's command line (`npm run simulator -- --port 8787`), parsed apart
 * from the CLI itself so that the rules are testable and the messages precise.
 */
import type { SimulatorOptions } from './types.js';

/** The usage text printed with `--help` and after a bad argument. */
export const CLI_USAGE = `Usage: npm run simulator -- [--port 8787] [--host 127.0.0.1] [--latency 0] [--ledger file.json] [--tls]
                             [--auto-advance 45]

  --port     TCP port to listen on (0 picks a free port; default 8787)
  --host     interface to bind (default 127.0.0.1)
  --latency  milliseconds added before every response (default 0)
  --ledger   JSON file the created tickets are loaded from and saved to
  --auto-advance  seconds after which every ticket moves one status on (inProgress,
             resolved, closed), as in the app's demo mode; 0 or absent: tickets stay put
  --tls      serve https with a certificate of a CA made for this run (needs openssl);
             the CA certificate is printed, for the app's Extra trusted CA certificate
  --help     print this text`;

/** Port used when `--port` is not given. */
export const DEFAULT_CLI_PORT = 8787;

/** Outcome of parsing: options to start with, a request for help, or a message for the user. */
export type CliArgs =
  | { kind: 'start'; options: SimulatorOptions & { port: number; host: string }; tls: boolean }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

function integer(flag: string, text: string, min: number, max: number): number | string {
  if (!/^\d+$/.test(text)) return `${flag} needs a whole number, got '${text}'`;
  const value = Number(text);
  if (value < min || value > max) return `${flag} must be between ${min} and ${max}, got ${value}`;
  return value;
}

/** Parses `--flag value` and `--flag=value` forms; anything unknown is an error. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const options: SimulatorOptions & { port: number; host: string } = {
    port: DEFAULT_CLI_PORT,
    host: '127.0.0.1',
  };
  let tls = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (arg === '--tls') {
      tls = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    if (!['--port', '--host', '--latency', '--ledger', '--auto-advance'].includes(flag)) {
      return { kind: 'error', message: `Unknown argument '${arg}'` };
    }
    let value: string | undefined;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[i + 1];
      i += 1;
    }
    if (value === undefined || value === '' || value.startsWith('--')) {
      return { kind: 'error', message: `${flag} needs a value` };
    }
    if (flag === '--port' || flag === '--latency') {
      const parsed =
        flag === '--port' ? integer(flag, value, 0, 65535) : integer(flag, value, 0, 600_000);
      if (typeof parsed === 'string') return { kind: 'error', message: parsed };
      if (flag === '--port') options.port = parsed;
      else options.latencyMs = parsed;
    } else if (flag === '--auto-advance') {
      const seconds = integer(flag, value, 0, 86_400);
      if (typeof seconds === 'string') return { kind: 'error', message: seconds };
      if (seconds > 0) options.autoAdvance = { afterMs: seconds * 1000 };
    } else if (flag === '--host') {
      options.host = value;
    } else {
      options.ledgerFile = value;
    }
  }
  return { kind: 'start', options, tls };
}
