/**
 * The connector's benchmarks (issue 6, targets 1 to 5): each runs the real connector on real
 * files in a temporary folder against the real simulator on 127.0.0.1, and measures it side
 * by side with its baseline (a raw POST with the same HTTP client, one small fsync'd write, one
 * JSON.parse of the same data), interleaved round by round so that the machine's noise hits
 * both alike. Every function takes its sizes as options so that the smoke test runs it tiny.
 */
import ky from 'ky';
import { promises as fsp } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CreateTicketRequest, TicketRow } from '../shared/domain.js';
import {
  ConfSettingsStore,
  OceaneConnector,
  createMemorySecretStore,
  openSqlAlarmPropertyStore,
  toTroubleTicket,
  type ClosableAlarmPropertyPort,
} from '../electron/connector/index.js';
import { TROUBLE_TICKET_PATH, createHeaders } from '../electron/connector/tmf621-mapping.js';
import { TOKEN_PATH, basicCredentials } from '../electron/connector/token-client.js';
import {
  DEMO_CREDENTIALS,
  startSimulator,
  type RunningSimulator,
} from '../electron/oceane-simulator/index.js';
import { DATABASE_FILE, SqliteDatabase } from '../electron/storage/sqlite-database.js';
import { copyFolder, makePrefillData, writePrefill } from './fixtures.js';
import { median, round } from './stats.js';

/** The largest count limit the settings accept: retention never prunes during a run. */
const NO_PRUNING_LIMIT = 1_000_000;

let alarmSeq = 5_000_000;

/** A valid request for an alarm no earlier request used. */
export function benchRequest(dmaId = '123'): CreateTicketRequest {
  alarmSeq++;
  return {
    dmaId,
    elementId: '45',
    alarmId: String(alarmSeq),
    elementName: 'PAR-CORE-RTR-01',
    alarmValue: 'Link down',
    rootTime: '2025-03-01T10:00:00Z',
    priority: 'High',
    urgency: 'Medium',
    technicalImpact: 'Major',
  };
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

/** A connector on its own folder, configured for the simulator, with a Created-event waiter. */
export interface BenchConnector {
  connector: OceaneConnector;
  props: ClosableAlarmPropertyPort;
  /**
   * The operator's flow: the Create Ticket dialog asks Oceane for the alarm's ticket when it
   * opens (findExistingTicket, untimed: the operator is still filling the form), then the
   * timed part: createTicket until its row is Created and on disk (the tickets:changed event).
   * Then, untimed, until the store's background sync of its log is over: the baselines measured
   * next (a raw POST, an fsync) do not share the disk with it, and the next ticket starts on a
   * synced log, as it does when an operator's tickets are seconds apart.
   */
  createAndSettle(request: CreateTicketRequest): Promise<{ totalMs: number; enqueueMs: number }>;
  close(): Promise<void>;
}

export async function openBenchConnector(
  dir: string,
  sim: RunningSimulator,
  options: { configure?: boolean; autoStart?: boolean } = {},
): Promise<BenchConnector> {
  const settingsStore = new ConfSettingsStore(dir);
  // The alarm properties in the data folder's database, as the app's mock DataMiner keeps them.
  const props = await openSqlAlarmPropertyStore(path.join(dir, 'data'));
  const connector = await OceaneConnector.open({
    dataDir: path.join(dir, 'data'),
    settingsStore,
    secretStore: createMemorySecretStore(DEMO_CREDENTIALS.clientSecret),
    alarmProperties: props,
    requestTimeoutMs: 30_000,
    closeWaitMs: 100,
    autoStart: options.autoStart,
  });
  // A handle on the connector's own connection (the services of a process share it).
  const store = SqliteDatabase.open(path.join(dir, 'data'));
  if (options.configure !== false) {
    const result = await connector.updateSettings({
      api: {
        baseUrl: sim.url,
        clientId: DEMO_CREDENTIALS.clientId,
        userId: DEMO_CREDENTIALS.userId,
      },
      element: { ticketCreationRetryCount: 1, ticketStorageCountLimit: NO_PRUNING_LIMIT },
      clientSecret: DEMO_CREDENTIALS.clientSecret,
    });
    if (!result.ok) throw new Error(`bench settings refused: ${result.error.message}`);
  }
  const waiters = new Map<string, (row: TicketRow, at: number) => void>();
  const early = new Map<string, { row: TicketRow; at: number }>();
  connector.on('tickets:changed', (change) => {
    const at = performance.now();
    for (const row of change.upserted) {
      if (row.status === 'Pending') continue;
      const waiter = waiters.get(row.instance);
      if (waiter) {
        waiters.delete(row.instance);
        waiter(row, at);
      } else early.set(row.instance, { row, at });
    }
  });
  const settled = (instance: string) =>
    new Promise<{ row: TicketRow; at: number }>((resolve) => {
      const seen = early.get(instance);
      if (seen) {
        early.delete(instance);
        resolve(seen);
      } else waiters.set(instance, (row, at) => resolve({ row, at }));
    });
  return {
    connector,
    props,
    async createAndSettle(request) {
      const existing = await connector.findExistingTicket(request);
      if (existing) throw new Error(`alarm ${request.alarmId} already has a ticket`);
      const start = performance.now();
      const queued = await connector.createTicket(request);
      const enqueueMs = performance.now() - start;
      if (!queued.ok) throw new Error(`createTicket refused: ${queued.error.message}`);
      const { row, at } = await settled(queued.value.instance);
      if (row.status !== 'Created') throw new Error(`ticket ${row.instance} ended ${row.status}`);
      await store.walSynced();
      return { totalMs: at - start, enqueueMs };
    },
    async close() {
      await connector.close();
      await props.close();
      store.close();
    },
  };
}

/** POSTs tickets straight to the simulator with ky, as the baseline of targets 1, 3 and 4. */
interface RawClient {
  /** One create POST of the body the connector would send, with a valid token; its time. */
  post(request: CreateTicketRequest): Promise<number>;
}

export async function rawClient(sim: RunningSimulator): Promise<RawClient> {
  const tokenAnswer = await ky
    .post(`${sim.url}${TOKEN_PATH}`, {
      headers: {
        Authorization: basicCredentials(DEMO_CREDENTIALS.clientId, DEMO_CREDENTIALS.clientSecret),
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
      retry: 0,
      timeout: false,
    })
    .json<{ access_token: string }>();
  const token = tokenAnswer.access_token;
  let seq = 0;
  return {
    async post(request) {
      const body = JSON.stringify(toTroubleTicket(request, DEMO_CREDENTIALS.userId));
      const start = performance.now();
      const response = await ky(`${sim.url}${TROUBLE_TICKET_PATH}`, {
        method: 'POST',
        headers: createHeaders(token, `raw-${++seq}`),
        body,
        throwHttpErrors: false,
        retry: 0,
        timeout: false,
        redirect: 'manual',
      });
      await response.text();
      const ms = performance.now() - start;
      if (response.status !== 201) throw new Error(`raw POST answered ${response.status}`);
      return ms;
    },
  };
}

/** One small line appended and fdatasync'd, as JournalTable does; its time. */
export async function fsyncWriter(
  dir: string,
): Promise<{ write(): Promise<number>; close(): Promise<void> }> {
  const handle = await fsp.open(path.join(dir, 'fsync-probe.jsonl'), 'a');
  let seq = 0;
  return {
    async write() {
      const start = performance.now();
      await handle.appendFile(`{"k":"probe-${++seq}","v":{"n":${seq}}}\n`, 'utf8');
      await handle.datasync();
      return performance.now() - start;
    },
    close: () => handle.close(),
  };
}

// ---- targets 1 and 2 ------------------------------------------------------------------------

/** Sizes of the connector overhead benchmark. */
export interface OverheadOptions {
  /** Tickets measured (default 200). */
  tickets?: number;
  /** Latency the simulator adds to every request, in ms (default 50). */
  latencyMs?: number;
  /** Untimed tickets and raw POSTs first (JIT, connections, token), default 10. */
  warmup?: number;
}

/** Targets 1 and 2. */
export interface OverheadResult {
  tickets: number;
  latencyMs: number;
  /** Median of createTicket call to Created on disk (the tickets:changed event). */
  ticketMedianMs: number;
  /** Median of one raw POST of the same body with ky. */
  rawPostMedianMs: number;
  /** Target 1: ticketMedianMs / rawPostMedianMs. */
  ratio: number;
  /** Median time until createTicket answered "Pending" (request durable). */
  enqueueMedianMs: number;
  /** Tickets that waited for a token request, of all measured. */
  tokenWaits: number;
  /** Target 2: the share of the tickets after the first that waited for a token. */
  tokenWaitShareAfterFirst: number;
  /** Token requests sent during the measured tickets. */
  tokenRequests: number;
}

/** Target 1 (connector overhead) and target 2 (token off the hot path). */
export async function benchConnectorOverhead(
  options: OverheadOptions = {},
): Promise<OverheadResult> {
  const count = options.tickets ?? 200;
  const latencyMs = options.latencyMs ?? 50;
  const warmup = options.warmup ?? 10;
  const dir = await mkdtemp(path.join(tmpdir(), 'oceane-bench-overhead-'));
  const sim = await startSimulator({ port: 0 });
  const bench = await openBenchConnector(dir, sim);
  try {
    const raw = await rawClient(sim);
    for (let i = 0; i < warmup; i++) {
      await raw.post(benchRequest());
      await bench.createAndSettle(benchRequest());
    }
    sim.setLatency(latencyMs);
    const ticketMs: number[] = [];
    const enqueueMs: number[] = [];
    const rawMs: number[] = [];
    const waited: boolean[] = [];
    const tokensBefore = bench.connector.stats().tokenRequests;
    for (let i = 0; i < count; i++) {
      // Alternate the order so that neither side always runs on a just-warmed connection.
      if (i % 2 === 0) rawMs.push(await raw.post(benchRequest()));
      const before = bench.connector.stats().ticketsThatWaitedForToken;
      const t = await bench.createAndSettle(benchRequest());
      ticketMs.push(t.totalMs);
      enqueueMs.push(t.enqueueMs);
      waited.push(bench.connector.stats().ticketsThatWaitedForToken > before);
      if (i % 2 === 1) rawMs.push(await raw.post(benchRequest()));
    }
    const ticketMedianMs = median(ticketMs);
    const rawPostMedianMs = median(rawMs);
    const afterFirst = waited.slice(1);
    return {
      tickets: count,
      latencyMs,
      ticketMedianMs: round(ticketMedianMs),
      rawPostMedianMs: round(rawPostMedianMs),
      ratio: round(ticketMedianMs / rawPostMedianMs),
      enqueueMedianMs: round(median(enqueueMs)),
      tokenWaits: waited.filter(Boolean).length,
      tokenWaitShareAfterFirst:
        afterFirst.length === 0 ? 0 : round(afterFirst.filter(Boolean).length / afterFirst.length),
      tokenRequests: bench.connector.stats().tokenRequests - tokensBefore,
    };
  } finally {
    await bench.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

// ---- targets 3 and 4 ------------------------------------------------------------------------

/** Sizes of the store cost benchmark. */
export interface StoreCostOptions {
  /** Tickets measured per table size (default 200). */
  tickets?: number;
  /** Rows stored in the small folder (default 1,000). */
  smallRows?: number;
  /** Rows stored in the large folder (default 100,000). */
  largeRows?: number;
  /** Untimed rounds first (default 20). */
  warmup?: number;
}

/** Targets 3 and 4. */
export interface StoreCostResult {
  tickets: number;
  smallRows: number;
  largeRows: number;
  /** Median whole create (zero added latency) with the small table. */
  createSmallMedianMs: number;
  /** Median whole create (zero added latency) with the large table. */
  createLargeMedianMs: number;
  /** Median raw POST of the same body. */
  rawPostMedianMs: number;
  /** Local cost per ticket: create median minus raw POST median. */
  localSmallMs: number;
  localLargeMs: number;
  /** Target 3: localLargeMs / localSmallMs. */
  flatRatio: number;
  /** Median of one small append + fdatasync in the same folder. */
  fsyncMedianMs: number;
  /** Target 4: localLargeMs / fsyncMedianMs. */
  diskRatio: number;
}

async function prefilledConnector(
  dir: string,
  sim: RunningSimulator,
  rows: number,
): Promise<BenchConnector> {
  // Settings first (count limit raised), so that opening on the full table prunes nothing.
  await (await openBenchConnector(dir, sim)).close();
  await writePrefill(
    makePrefillData({ created: rows, pending: 0, baseUrl: sim.url }),
    path.join(dir, 'data'),
  );
  const bench = await openBenchConnector(dir, sim);
  const stored = bench.connector.listTickets().length;
  if (stored !== rows) throw new Error(`expected ${rows} stored rows, the connector has ${stored}`);
  return bench;
}

/** Target 3 (store cost stays flat) and target 4 (store cost near the disk's limit). */
export async function benchStoreCost(options: StoreCostOptions = {}): Promise<StoreCostResult> {
  const count = options.tickets ?? 200;
  const smallRows = options.smallRows ?? 1000;
  const largeRows = options.largeRows ?? 100_000;
  const warmup = options.warmup ?? 20;
  const root = await mkdtemp(path.join(tmpdir(), 'oceane-bench-store-'));
  const sim = await startSimulator({ port: 0 });
  const small = await prefilledConnector(path.join(root, 'small'), sim, smallRows);
  const large = await prefilledConnector(path.join(root, 'large'), sim, largeRows);
  const disk = await fsyncWriter(root);
  try {
    const raw = await rawClient(sim);
    collectGarbage();
    const smallMs: number[] = [];
    const largeMs: number[] = [];
    const rawMs: number[] = [];
    const fsyncMs: number[] = [];
    for (let i = -warmup; i < count; i++) {
      // Rotate the order of the four measurements from round to round.
      const steps = [
        async () => rawMs.push(await raw.post(benchRequest())),
        async () => fsyncMs.push(await disk.write()),
        async () => smallMs.push((await small.createAndSettle(benchRequest())).totalMs),
        async () => largeMs.push((await large.createAndSettle(benchRequest())).totalMs),
      ];
      const shift = ((i % 4) + 4) % 4;
      for (let s = 0; s < steps.length; s++) await steps[(s + shift) % steps.length]!();
      if (i < 0) {
        smallMs.length = largeMs.length = rawMs.length = fsyncMs.length = 0;
      }
    }
    const rawMedian = median(rawMs);
    const createSmall = median(smallMs);
    const createLarge = median(largeMs);
    const localSmall = createSmall - rawMedian;
    const localLarge = createLarge - rawMedian;
    const fsyncMedian = median(fsyncMs);
    return {
      tickets: count,
      smallRows,
      largeRows,
      createSmallMedianMs: round(createSmall),
      createLargeMedianMs: round(createLarge),
      rawPostMedianMs: round(rawMedian),
      localSmallMs: round(localSmall),
      localLargeMs: round(localLarge),
      flatRatio: round(localLarge / localSmall),
      fsyncMedianMs: round(fsyncMedian),
      diskRatio: round(localLarge / fsyncMedian),
    };
  } finally {
    await disk.close();
    await small.close();
    await large.close();
    await sim.close();
    await rm(root, { recursive: true, force: true });
  }
}

// ---- target 5 -------------------------------------------------------------------------------

/** Sizes of the start-up benchmark. */
export interface StartupOptions {
  /** Created tickets stored (default 100,000). */
  tickets?: number;
  /** Pending requests stored, each a Pending row plus a queue entry (default 1,000). */
  pending?: number;
  /** Timed opens (default 7); each on a fresh copy of the same files. */
  runs?: number;
}

/** Target 5. */
export interface StartupResult {
  tickets: number;
  pending: number;
  runs: number;
  /** Median of OceaneConnector.open (stores loaded, reconciled, pruned, queue resumed). */
  openMedianMs: number;
  /** Median of reading and parsing the same rows as one JSON file. */
  jsonMedianMs: number;
  /** Target 5: openMedianMs / jsonMedianMs. */
  ratio: number;
  /** Size of the database opened, in bytes. */
  journalBytes: number;
  /** Size of the one JSON file, in bytes. */
  jsonBytes: number;
}

/** Target 5 (start-up). */
export async function benchStartup(options: StartupOptions = {}): Promise<StartupResult> {
  const tickets = options.tickets ?? 100_000;
  const pending = options.pending ?? 1000;
  const runs = options.runs ?? 7;
  const root = await mkdtemp(path.join(tmpdir(), 'oceane-bench-startup-'));
  // Requests resumed at open wait in the simulator, so that the timed open does only its own work.
  const sim = await startSimulator({ port: 0, latencyMs: 60_000 });
  try {
    const template = path.join(root, 'template');
    const configured = await openBenchConnector(template, sim);
    await configured.close();
    const data = makePrefillData({ created: tickets, pending, baseUrl: sim.url });
    await writePrefill(data, path.join(template, 'data'), path.join(root, 'unused-properties'));
    const jsonFile = path.join(root, 'same-data.json');
    await fsp.writeFile(jsonFile, JSON.stringify({ tickets: data.tickets, queue: data.queue }));
    const journalBytes = (await fsp.stat(path.join(template, 'data', DATABASE_FILE))).size;
    const jsonBytes = (await fsp.stat(jsonFile)).size;
    const openMs: number[] = [];
    const jsonMs: number[] = [];
    const props = await openSqlAlarmPropertyStore(path.join(root, 'properties'));
    const parseJson = async (): Promise<void> => {
      collectGarbage();
      const start = performance.now();
      const parsed = JSON.parse(await fsp.readFile(jsonFile, 'utf8')) as { tickets: unknown[] };
      jsonMs.push(performance.now() - start);
      if (parsed.tickets.length !== tickets + pending) throw new Error('baseline lost rows');
    };
    try {
      // One untimed open first (JIT, page cache), then timed opens with the baseline around.
      for (let run = -1; run < runs; run++) {
        const dir = path.join(root, `run-${run + 1}`);
        await copyFolder(template, dir);
        await copyFolder(path.join(template, 'data'), path.join(dir, 'data'));
        if (run % 2 === 0) await parseJson();
        collectGarbage();
        const start = performance.now();
        const connector = await OceaneConnector.open({
          dataDir: path.join(dir, 'data'),
          settingsStore: new ConfSettingsStore(dir),
          secretStore: createMemorySecretStore(DEMO_CREDENTIALS.clientSecret),
          alarmProperties: props,
          requestTimeoutMs: 120_000,
          closeWaitMs: 0,
        });
        const elapsed = performance.now() - start;
        const stored = connector.listTickets().length;
        const queued = connector.getQueueStatus().pending.length;
        await connector.close();
        if (stored !== tickets + pending || queued !== pending) {
          throw new Error(`open found ${stored} rows and ${queued} queued requests`);
        }
        if (run >= 0) openMs.push(elapsed);
        if (run % 2 !== 0 && run >= 0) await parseJson();
        await rm(dir, { recursive: true, force: true });
      }
    } finally {
      await props.close();
    }
    const openMedian = median(openMs);
    const jsonMedian = median(jsonMs);
    return {
      tickets,
      pending,
      runs,
      openMedianMs: round(openMedian),
      jsonMedianMs: round(jsonMedian),
      ratio: round(openMedian / jsonMedian),
      journalBytes,
      jsonBytes,
    };
  } finally {
    await sim.close();
    await rm(root, { recursive: true, force: true });
  }
}
