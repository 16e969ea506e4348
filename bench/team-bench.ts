/**
 * The team benchmarks of issue 14, on an embedded PostgreSQL and the Oceane simulator at 50 ms
 * of latency:
 * - `team-time-ratio`: the wall time for N tickets (default 300) worked on by three consoles,
 *   divided by the time for one console (target ≤ 0.45). Each sending console is a process of
 *   its own (reliability/team-console-process.ts), as on the team's machines, and so is the
 *   simulator (Oceane is another machine): in one process, the three consoles and Oceane would
 *   share one JavaScript thread, and the ratio would measure that thread on a busy machine.
 *   The clock runs from the first request asked (the consoles connected and idle) until the
 *   queue is empty.
 * - `team-propagation-p95-ms`: from a ticket's Created row written by one console to the same
 *   row read by another console after the NOTIFY (target ≤ 1000), the consoles in this process.
 *
 * Part of `npm run bench` (`--only team`, through benchTeam). Alone:
 * `tsx bench/team-bench.ts [--tickets 300] [--runs 1]` prints one line per run and a JSON
 * summary line (the medians of the runs). */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { DEMO_CREDENTIALS, startSimulator } from '../electron/oceane-simulator/index.js';
import { TeamConsole } from '../electron/team/team-console.js';
import { startTestPostgres, type TestPostgres } from '../electron/team/test-postgres.js';
import { SECRET_ENV, crashTestRequest } from '../reliability/crash-protocol.js';
import { startSimulatorProcess, type SimulatorProcess } from './simulator-process.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CHILD = path.join(ROOT, 'reliability/team-console-process.ts');

/** How the team benchmarks run. */
export interface TeamBenchOptions {
  /** Tickets of each wall-time run (default 300). */
  tickets?: number;
  /** Runs; the figures are their medians (default 1). */
  runs?: number;
  /** Oceane's latency (ms, default 50). */
  latencyMs?: number;
  /** Tickets of the propagation measure (default min(tickets, 100)). */
  propagationTickets?: number;
  /** Heard once per run (the CLI prints it). */
  onRun?: (line: string) => void;
}

/** The team figures (medians of the runs). */
export interface TeamBenchResult {
  /** Wall time with three consoles ÷ with one (the median of the runs). */
  ratio: number;
  /** The lowest and highest ratio of the runs (how settled the median is). */
  ratioMin: number;
  ratioMax: number;
  oneConsoleMs: number;
  threeConsolesMs: number;
  /** Of the three-console runs: how long asking for the tickets took (within the wall time). */
  threeFillMs: number;
  propagationP95Ms: number;
  propagationMaxMs: number;
  tickets: number;
  propagationTickets: number;
  runs: number;
  latencyMs: number;
}

let databases = 0;

async function consoleOn(
  url: string,
  sim: string,
  name: string,
  secret: string | undefined,
  hooks: Pick<Parameters<typeof TeamConsole.open>[0], 'onSettled' | 'onChange'> = {},
): Promise<TeamConsole> {
  return TeamConsole.open({
    postgres: { connectionString: url },
    where: 'bench',
    consoleName: name,
    oceane: {
      baseUrl: sim,
      clientId: DEMO_CREDENTIALS.clientId,
      ...(secret ? { clientSecret: secret } : {}),
      userId: DEMO_CREDENTIALS.userId,
      ticketUrlTemplate: '{base}/ticket/{id}',
    },
    timeoutMs: 5_000,
    leaseMs: 5_000,
    createRetryCount: 3,
    ...hooks,
  });
}

/** Resolves once `done()` is true, checking whenever `poke` is called. */
function until(done: () => boolean): { poke: () => void; reached: Promise<void> } {
  let resolve = (): void => undefined;
  const reached = new Promise<void>((r) => (resolve = r));
  const poke = (): void => {
    if (done()) resolve();
  };
  return { poke, reached };
}

/** A sending console in a child process of its own (reliability/team-console-process.ts). */
async function startSender(url: string, sim: string, name: string): Promise<() => Promise<void>> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, '--postgres', url, '--oceane', sim, '--name', name],
    {
      cwd: ROOT,
      env: { ...process.env, [SECRET_ENV]: DEMO_CREDENTIALS.clientSecret },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + String(chunk)).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.trim() === 'ready') resolve();
    });
    void exited.then(() => reject(new Error(`Console ${name} stopped: ${stderr.trim()}`)));
  });
  return async () => {
    child.stdin.end(); // It closes its console and leaves.
    await exited;
  };
}

/** The Oceane simulator in a process of its own (another machine), at `latencyMs`. */
async function simulatorAt(latencyMs: number): Promise<SimulatorProcess> {
  const sim = await startSimulatorProcess(ROOT);
  const answer = await fetch(`${sim.url}/__simulator/latency`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ms: latencyMs }),
  });
  if (!answer.ok) throw new Error(`The simulator refused the latency: HTTP ${answer.status}`);
  return sim;
}

/**
 * Wall time (ms) for `tickets` tickets worked on by `count` consoles, each a process of its
 * own as on the team's machines: from the first request asked (the consoles connected and
 * idle) until the queue is empty; `fillMs`, how long asking them all took.
 */
async function wallTime(
  server: TestPostgres,
  count: number,
  tickets: number,
  dma: string,
  latencyMs: number,
): Promise<{ ms: number; fillMs: number }> {
  const url = await server.createDatabase(`bench_${++databases}`);
  const sim = await simulatorAt(latencyMs);
  // The requests are asked by a console without the secret (it sends nothing).
  const asker = await consoleOn(url, sim.url, 'asker', undefined);
  const stops = await Promise.all(
    Array.from({ length: count }, (_, i) => startSender(url, sim.url, `sender-${i + 1}`)),
  );
  const queued = asker.store.builder
    .selectFrom('queue')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .compile();
  const started = performance.now();
  for (let i = 1; i <= tickets; i++) {
    const result = await asker.createTicket(crashTestRequest(dma, i));
    if (!result.ok) throw new Error(result.error.message);
  }
  const fillMs = performance.now() - started;
  while (Number((await asker.store.first<{ n: string }>(queued))?.n) > 0)
    await new Promise((r) => setTimeout(r, 25));
  const ms = performance.now() - started;
  const rows = await asker.queue.tickets();
  await Promise.all(stops.map((stop) => stop()));
  await asker.close();
  await sim.close();
  const created = rows.filter((r) => r.status === 'Created').length;
  if (created !== tickets) throw new Error(`${created} of ${tickets} tickets were created`);
  return { ms, fillMs };
}

/** Propagation delays (ms) of `tickets` tickets from the console that created them to another. */
async function propagation(
  server: TestPostgres,
  tickets: number,
  latencyMs: number,
): Promise<number[]> {
  const url = await server.createDatabase(`bench_${++databases}`);
  const sim = await startSimulator({ port: 0, latencyMs });
  const writtenAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  const all = until(() => seenAt.size >= tickets);
  let observer: TeamConsole | null = null;
  let reading = Promise.resolve();
  observer = await consoleOn(url, sim.url, 'observer', undefined, {
    onChange: (what) => {
      if (what !== 'tickets') return;
      reading = reading.then(async () => {
        for (const row of (await observer?.queue.tickets()) ?? []) {
          if (row.status === 'Created' && !seenAt.has(row.instance))
            seenAt.set(row.instance, performance.now());
        }
        all.poke();
      });
    },
  });
  const creator = await consoleOn(url, sim.url, 'creator', DEMO_CREDENTIALS.clientSecret, {
    onSettled: (row) => writtenAt.set(row.instance, performance.now()),
  });
  for (let i = 1; i <= tickets; i++) {
    const result = await creator.createTicket(crashTestRequest('77', i));
    if (!result.ok) throw new Error(result.error.message);
  }
  await all.reached;
  await reading;
  await Promise.all([observer, creator].map((c) => c.close()));
  await sim.close();
  return [...writtenAt].map(([instance, at]) => (seenAt.get(instance) ?? Infinity) - at);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function median(values: number[]): number {
  return percentile(values, 50);
}

const round = (value: number, digits = 0): number => Number(value.toFixed(digits));

/** Runs the team benchmarks on a throw-away PostgreSQL and simulator. */
export async function benchTeam(options: TeamBenchOptions = {}): Promise<TeamBenchResult> {
  const tickets = options.tickets ?? 300;
  const runs = options.runs ?? 1;
  const latencyMs = options.latencyMs ?? 50;
  const propagationTickets = options.propagationTickets ?? Math.min(tickets, 100);
  const server = await startTestPostgres();
  try {
    const ones: number[] = [];
    const threes: number[] = [];
    const opens: number[] = [];
    const ratios: number[] = [];
    const p95s: number[] = [];
    const maxima: number[] = [];
    for (let run = 1; run <= runs; run++) {
      const one = await wallTime(server, 1, tickets, `1${run}`, latencyMs);
      const three = await wallTime(server, 3, tickets, `3${run}`, latencyMs);
      const delays = await propagation(server, propagationTickets, latencyMs);
      ones.push(one.ms);
      threes.push(three.ms);
      opens.push(three.fillMs);
      ratios.push(three.ms / one.ms);
      p95s.push(percentile(delays, 95));
      maxima.push(Math.max(...delays));
      options.onRun?.(
        `run ${run}: one console ${(one.ms / 1000).toFixed(1)} s, three ${(three.ms / 1000).toFixed(1)} s (asked within ${three.fillMs.toFixed(0)} ms), ratio ${(three.ms / one.ms).toFixed(3)}; propagation p95 ${percentile(delays, 95).toFixed(0)} ms (max ${Math.max(...delays).toFixed(0)} ms)`,
      );
    }
    return {
      ratio: round(median(ratios), 3),
      ratioMin: round(Math.min(...ratios), 3),
      ratioMax: round(Math.max(...ratios), 3),
      oneConsoleMs: round(median(ones)),
      threeConsolesMs: round(median(threes)),
      threeFillMs: round(median(opens)),
      propagationP95Ms: round(median(p95s)),
      propagationMaxMs: round(median(maxima)),
      tickets,
      propagationTickets,
      runs,
      latencyMs,
    };
  } finally {
    await server.stop();
  }
}

if (path.resolve(process.argv[1] ?? '') === import.meta.filename) {
  const { values } = parseArgs({
    options: {
      tickets: { type: 'string', default: '300' },
      runs: { type: 'string', default: '1' },
    },
  });
  const result = await benchTeam({
    tickets: Number(values.tickets),
    runs: Number(values.runs),
    onRun: (line) => console.log(line),
  });
  console.log(
    JSON.stringify({
      'team-time-ratio': { value: result.ratio, target: 0.45 },
      'team-propagation-p95-ms': { value: result.propagationP95Ms, target: 1000 },
      ...result,
    }),
  );
}
