import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLI_PORT, parseCliArgs } from './cli-args.js';
import { basicAuth } from './test-support.js';
import { DEMO_CREDENTIALS } from './types.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcess[] = [];

/** Starts the CLI through npx in its own process group, so that the whole group can be stopped. */
function startCli(args: string[]): {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn('npx', ['tsx', 'electron/oceane-simulator/cli.ts', ...args], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => {
    child.on('close', (code) => resolve(code));
  });
  return { child, output: () => text, exit };
}

function stopGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group has already exited.
    }
  }
}

afterEach(() => {
  for (const child of children.splice(0)) stopGroup(child, 'SIGKILL');
});

async function waitForUrl(output: () => string, exit: Promise<number | null>): Promise<string> {
  const found = new Promise<string>((resolve, reject) => {
    const check = setInterval(() => {
      const match = /listening on (http:\/\/\S+)/.exec(output());
      if (match?.[1]) {
        clearInterval(check);
        resolve(match[1]);
      }
    }, 25);
    void exit.then(() => {
      clearInterval(check);
      reject(new Error(`the CLI exited before listening:\n${output()}`));
    });
  });
  return found;
}

describe('simulator CLI', () => {
  it('prints its URL and the demo credentials, answers a token call, and stops cleanly on SIGTERM', async () => {
    const cli = startCli(['--port', '0']);
    const url = await waitForUrl(cli.output, cli.exit);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cli.output()).toContain(DEMO_CREDENTIALS.clientId);
    expect(cli.output()).toContain(DEMO_CREDENTIALS.clientSecret);
    expect(cli.output()).toContain(DEMO_CREDENTIALS.userId);
    expect(cli.output()).toContain('curl');

    const res = await fetch(`${url}/oauth/v3/token`, {
      method: 'POST',
      headers: { Authorization: basicAuth(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ token_type: 'Bearer' });

    stopGroup(cli.child, 'SIGTERM');
    await cli.exit;
    expect(cli.output()).toContain('Oceane simulator stopped');
  });

  it.each([['--port', 'abc'], ['--port', '70000'], ['--bogus'], ['--latency']])(
    'exits with code 2 and a clear message for bad arguments: %s',
    async (...args) => {
      const cli = startCli(args);
      expect(await cli.exit).toBe(2);
      expect(cli.output()).toContain('oceane-simulator:');
      expect(cli.output()).toContain('Usage:');
    },
  );
});

describe('parseCliArgs', () => {
  it('defaults to port 8787 on 127.0.0.1', () => {
    expect(parseCliArgs([])).toEqual({
      kind: 'start',
      options: { port: DEFAULT_CLI_PORT, host: '127.0.0.1' },
      tls: false,
    });
  });

  it('asks for https with --tls', () => {
    expect(parseCliArgs(['--tls', '--port', '0'])).toEqual({
      kind: 'start',
      options: { port: 0, host: '127.0.0.1' },
      tls: true,
    });
  });

  it('reads every option in both --flag value and --flag=value forms', () => {
    expect(
      parseCliArgs([
        '--port',
        '9000',
        '--host=0.0.0.0',
        '--latency',
        '50',
        '--ledger=tickets.json',
      ]),
    ).toEqual({
      kind: 'start',
      options: { port: 9000, host: '0.0.0.0', latencyMs: 50, ledgerFile: 'tickets.json' },
      tls: false,
    });
  });

  it('turns the automatic movement of tickets on with --auto-advance seconds', () => {
    expect(parseCliArgs(['--auto-advance', '45'])).toMatchObject({
      kind: 'start',
      options: { autoAdvance: { afterMs: 45_000 } },
    });
    const off = parseCliArgs(['--auto-advance=0']);
    expect(off.kind === 'start' && off.options.autoAdvance).toBe(undefined);
    expect(parseCliArgs(['--auto-advance', 'soon'])).toMatchObject({ kind: 'error' });
  });

  it('names the problem with a bad value', () => {
    expect(parseCliArgs(['--port', '-1'])).toEqual({
      kind: 'error',
      message: "--port needs a whole number, got '-1'",
    });
    expect(parseCliArgs(['--latency', '1.5'])).toMatchObject({ kind: 'error' });
    expect(parseCliArgs(['--host', '--port'])).toEqual({
      kind: 'error',
      message: '--host needs a value',
    });
    expect(parseCliArgs(['extra'])).toEqual({ kind: 'error', message: "Unknown argument 'extra'" });
  });

  it('answers help for --help', () => {
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
  });
});
