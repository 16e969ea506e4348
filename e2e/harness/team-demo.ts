/**
 * `npm run team-demo`: a team of two consoles (issue 14) on this machine. It starts an
 * embedded PostgreSQL, the Oceane simulator, the mock DataMiner process and two consoles in
 * team mode (team-demo-stack.ts), then shows each console in a Chromium window of its own,
 * side by side. Without a display (no DISPLAY nor WAYLAND_DISPLAY) it says so, keeps the two
 * consoles running in headless Chromium and prints where everything is. Ctrl+C stops it all
 * and removes the temporary folders.
 */
import { chromium, type Browser } from '@playwright/test';
import * as path from 'node:path';
import type { Logger } from '../../electron/connector/ports.js';
import { CHROMIUM_ARGS, chromiumExecutable } from './browser.js';
import { bindConsolePage } from './console-binding.js';
import type { DemoConsole, TeamDemo, TeamDemoOptions } from './team-demo-stack.js';

export const TEAM_DEMO_USAGE = `Usage: npm run team-demo -- [options]

  --alarms N           alarms of the mock DataMiner (default 200)
  --rate N             live alarm changes per second (default 1; 0 for none)
  --create-delay-ms N  Oceane holds every create this long before making it (default 0),
                       to watch a request pending on both consoles
  --headless           no windows, even where a display exists
  --help               this text`;

interface DemoArgs {
  alarms: number;
  rate: number;
  createDelayMs: number;
  headless: boolean;
}

/** Reads the command line. */
export function parseTeamDemoArgs(
  argv: readonly string[],
): { kind: 'run'; args: DemoArgs } | { kind: 'help' } | { kind: 'error'; message: string } {
  const args: DemoArgs = { alarms: 200, rate: 1, createDelayMs: 0, headless: false };
  const numbers: Record<string, 'alarms' | 'rate' | 'createDelayMs'> = {
    '--alarms': 'alarms',
    '--rate': 'rate',
    '--create-delay-ms': 'createDelayMs',
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--help' || flag === '-h') return { kind: 'help' };
    if (flag === '--headless') {
      args.headless = true;
      continue;
    }
    const key = numbers[flag];
    if (!key) return { kind: 'error', message: `unknown option ${flag}` };
    const value = Number(argv[++i]);
    if (!Number.isFinite(value) || value < 0 || (key !== 'rate' && !Number.isInteger(value))) {
      return { kind: 'error', message: `${flag} needs a number >= 0` };
    }
    args[key] = value;
  }
  return { kind: 'run', args };
}

/** True when windows can be shown (an X11 or Wayland display). */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

const WIDTH = 960;
const HEIGHT = 1000;

/** Set once the demo stops: the consoles' complaints about the others leaving are not news. */
let quiet = false;

/** A console's warnings and errors on the terminal, with its name. */
function terminalLogger(name: string): Logger {
  const line = (level: string, message: string, data?: Record<string, unknown>): void => {
    if (quiet) return;
    console.error(`[${name}] ${level}: ${message}${data ? ` ${JSON.stringify(data)}` : ''}`);
  };
  return {
    info: () => undefined,
    warn: (message, data) => line('warning', message, data),
    error: (message, data) => line('error', message, data),
  };
}

/**
 * Opens one console in a Chromium of its own, at its place on the screen. Headless, the
 * Chromium listens for DevTools on `debugPort` (127.0.0.1), where chrome://inspect shows it.
 */
async function openWindow(
  c: DemoConsole,
  index: number,
  headless: boolean,
  debugPort: number | null,
): Promise<Browser> {
  const executablePath = chromiumExecutable();
  const browser = await chromium.launch({
    headless,
    // The demo closes the browsers itself on Ctrl+C, before the rest.
    handleSIGINT: false,
    handleSIGTERM: false,
    ...(executablePath ? { executablePath } : {}),
    args: [
      ...CHROMIUM_ARGS,
      `--window-position=${index * WIDTH},0`,
      `--window-size=${WIDTH},${HEIGHT}`,
      ...(debugPort === null
        ? []
        : ['--remote-debugging-address=127.0.0.1', `--remote-debugging-port=${debugPort}`]),
    ],
  });
  const page = await browser.newPage({ viewport: null });
  const binding = await bindConsolePage(page);
  binding.attach(c.services);
  await page.goto(c.url);
  await page.evaluate((name) => {
    document.title = `${name} — Oceane Alarm Console (team demo)`;
  }, c.name);
  return browser;
}

/**
 * Loads the demo's pieces and starts them. The embedded PostgreSQL's module, once loaded,
 * exits the process on SIGINT, SIGTERM and SIGHUP as soon as its own server is down, which would cut
 * the demo's stop short (the consoles, the DataMiner, the folders): the listeners it adds are
 * taken off again, and the demo stops its server itself. Listeners that were there before
 * (tsx's, which relays the signal to this process) stay.
 */
async function startWithoutExitHooks(
  options: TeamDemoOptions,
): Promise<{ demo: TeamDemo; freePort: () => Promise<number> }> {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { startTeamDemo, freePort } = await import('./team-demo-stack.js');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.off(signal, listener);
    }
  }
  return { demo: await startTeamDemo(options), freePort };
}

async function main(): Promise<number> {
  const parsed = parseTeamDemoArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    console.log(TEAM_DEMO_USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`team-demo: ${parsed.message}\n\n${TEAM_DEMO_USAGE}`);
    return 2;
  }
  const { args } = parsed;
  const headless = args.headless || !hasDisplay();
  const { demo, freePort } = await startWithoutExitHooks({
    alarms: args.alarms,
    rate: args.rate,
    createDelayMs: args.createDelayMs,
    logFor: terminalLogger,
    progress: (line) => console.log(line),
  });
  const browsers: Browser[] = [];
  const debugPorts = await Promise.all(
    demo.consoles.map(async () => (headless ? freePort() : null)),
  );
  let stopping = false;
  let windowsFailed = false;
  const done = new Promise<void>((resolve) => {
    const stop = (why: string): void => {
      if (stopping) return;
      stopping = true;
      quiet = true;
      console.log(`\n${why}: stopping the consoles, the DataMiner, Oceane and PostgreSQL…`);
      void Promise.all(browsers.map((b) => b.close().catch(() => undefined)))
        .then(() => demo.stop())
        .then(resolve, resolve);
    };
    process.on('SIGINT', () => stop('Ctrl+C'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGHUP', () => stop('The terminal closed'));
    void (async () => {
      try {
        for (const [i, c] of demo.consoles.entries()) {
          const browser = await openWindow(c, i, headless, debugPorts[i] ?? null);
          browsers.push(browser);
          browser.on('disconnected', () => stop(`The window of ${c.name} was closed`));
        }
      } catch (error) {
        console.error(`team-demo: ${error instanceof Error ? error.message : String(error)}`);
        windowsFailed = true;
        stop('Chromium could not start');
      }
    })();
  });

  console.log('');
  console.log('Team demo running:');
  console.log(`  PostgreSQL   ${demo.postgresUrl} (embedded, removed at the end)`);
  console.log(`  Oceane       ${demo.sim.url} (simulator)`);
  console.log(`  DataMiner    ${demo.dataMiner.url} (mock DataMiner process)`);
  for (const [i, c] of demo.consoles.entries()) {
    const debug = debugPorts[i]
      ? ` (DevTools of its headless Chromium: 127.0.0.1:${debugPorts[i]})`
      : '';
    console.log(`  ${c.name.padEnd(12)} ${c.url}${debug}`);
  }
  if (headless) {
    console.log('');
    console.log(
      args.headless
        ? 'Headless (--headless): the two consoles run in headless Chromium.'
        : 'No display (neither DISPLAY nor WAYLAND_DISPLAY is set): the two consoles run in headless Chromium.',
    );
    console.log(
      'The consoles are bound to their headless pages, so their addresses do not work in another browser.',
    );
    console.log(
      'To see and use them: in Chrome or Chromium open chrome://inspect, under "Discover network targets"',
    );
    console.log(
      'add the two DevTools addresses above (through an SSH tunnel from another machine), then "inspect".',
    );
  } else {
    console.log('');
    console.log(
      'Two Chromium windows, side by side: Console A on the left, Console B on the right.',
    );
  }
  console.log('Press Ctrl+C to stop everything.');
  await done;
  return windowsFailed ? 1 : 0;
}

// Run only as the entry point (tests import the argument parsing). No module here may load the
// embedded PostgreSQL's module statically (see startWithoutExitHooks).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`team-demo: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
