/**
 * The team benchmarks of issue 14, on an embedded PostgreSQL and the Oceane simulator at 50 ms
 * of latency, with the consoles' services in this process (no Electron):
 * - `team-time-ratio`: the wall time for N tickets (default 300) worked on by three consoles,
 *   divided by the time for one console (target ≤ 0.45);
 * - `team-propagation-p95-ms`: from a ticket's Created row written by one console to the same
 *   row read by another console after the NOTIFY (target ≤ 1000).
 *
 * `tsx bench/team-bench.ts [--tickets 300] [--runs 1]`: prints one line per measure and a JSON
 * summary line (the medians of the runs). Not part of `npm run bench` yet (see the README).
 */
import { parseArgs } from 'node:util';
import { DEMO_CREDENTIALS, startSimulator } from '../electron/oceane-simulator/index.js';
import { TeamConsole } from '../electron/team/team-console.js';
import { startTestPostgres, type TestPostgres } from '../electron/team/test-postgres.js';
import { crashTestRequest } from '../reliability/crash-protocol.js';

const LATENCY_MS = 50;
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

/** Wall time (ms) for `tickets` tickets worked on by `count` consoles. */
async function wallTime(
  server: TestPostgres,
  count: number,
  tickets: number,
  dma: string,
): Promise<number> {
  const url = await server.createDatabase(`bench_${++databases}`);
  const sim = await startSimulator({ port: 0, latencyMs: LATENCY_MS });
  // The queue is filled by a console without the secret, then the senders start together.
  const asker = await consoleOn(url, sim.url, 'asker', undefined);
  for (let i = 1; i <= tickets; i++) {
    const result = await asker.createTicket(crashTestRequest(dma, i));
    if (!result.ok) throw new Error(result.error.message);
  }
  const started = performance.now();
  const senders = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      consoleOn(url, sim.url, `sender-${i + 1}`, DEMO_CREDENTIALS.clientSecret),
    ),
  );
  while ((await asker.queue.pending()).length > 0) await new Promise((r) => setTimeout(r, 20));
  const ms = performance.now() - started;
  await Promise.all([asker, ...senders].map((c) => c.close()));
  await sim.close();
  return ms;
}

/** Propagation delays (ms) of `tickets` tickets from the console that created them to another. */
async function propagation(server: TestPostgres, tickets: number): Promise<number[]> {
  const url = await server.createDatabase(`bench_${++databases}`);
  const sim = await startSimulator({ port: 0, latencyMs: LATENCY_MS });
  const writtenAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
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
  while (seenAt.size < tickets) await new Promise((r) => setTimeout(r, 20));
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

const { values } = parseArgs({
  options: { tickets: { type: 'string', default: '300' }, runs: { type: 'string', default: '1' } },
});
const tickets = Number(values.tickets);
const runs = Number(values.runs);
const server = await startTestPostgres();
try {
  const ratios: number[] = [];
  const p95s: number[] = [];
  for (let run = 1; run <= runs; run++) {
    const one = await wallTime(server, 1, tickets, `1${run}`);
    const three = await wallTime(server, 3, tickets, `3${run}`);
    ratios.push(three / one);
    const delays = await propagation(server, Math.min(tickets, 100));
    p95s.push(percentile(delays, 95));
    console.log(
      `run ${run}: one console ${(one / 1000).toFixed(1)} s, three ${(three / 1000).toFixed(1)} s, ratio ${(three / one).toFixed(2)}; propagation p95 ${percentile(delays, 95).toFixed(0)} ms (max ${Math.max(...delays).toFixed(0)} ms)`,
    );
  }
  console.log(
    JSON.stringify({
      'team-time-ratio': { value: Number(median(ratios).toFixed(3)), target: 0.45 },
      'team-propagation-p95-ms': { value: Math.round(median(p95s)), target: 1000 },
      tickets,
      runs,
      latencyMs: LATENCY_MS,
    }),
  );
} finally {
  await server.stop();
}
