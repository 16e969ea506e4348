/**
 * The crash test of issue 5. The simulator runs here (127.0.0.1, port 0, with a ledger file);
 * the connector runs in a child process (connector-process.ts) on a data folder. The harness
 * kills the child with SIGKILL at moments drawn from a seeded PRNG, starts it again on the same
 * folder, and repeats until enough kills were made and the queue is empty. Then it reads the
 * journals back from disk and checks them against Oceane's ledger (crash-verifier.ts).
 *
 * Where the kills land (each cycle draws one plan):
 * - `enqueue`: while the operator's requests are being queued, after the k-th acknowledgement;
 * - `sent`: right after the acknowledgement of the k-th request the idle queue sent at once
 *   (its send stored by its one synced write, its create on its way or held in Oceane);
 * - `settled`: the child kills itself (SIGKILL) while it announces its k-th Created row, saved
 *   before the alarm properties and the removal from the queue (ticket-attempts.ts);
 * - `boot` / `open`: while Node starts, or while the stores are opened and reconciled;
 * - `request`: when Oceane has received the k-th ticket request of this run of the child
 *   (a create or a look-up in flight), a few milliseconds later;
 * - `created`: just after Oceane created a ticket, before the app could record it; scripted
 *   faults widen this window (answers lost or held back beyond the HTTP time-out, creates
 *   held before Oceane makes them, within the time-out: see `scriptFaults`);
 * - `timed`: at a random moment after the connector is ready.
 * The plan adapts to the work left, so that the queue does not run dry before the minimum
 * number of kills.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { AlarmProperties, QueueEntryView, TicketRow } from '../shared/domain.js';
import { alarmKeyString } from '../shared/domain.js';
import { mulberry32 } from '../electron/alarms/prng.js';
import { ConfSettingsStore } from '../electron/connector/index.js';
import {
  DEMO_CREDENTIALS,
  startSimulator,
  type RunningSimulator,
} from '../electron/oceane-simulator/index.js';
import { readStoredProperties, readStoredRows } from '../electron/storage/store-faults.js';
import {
  CRASH_DMA_ID,
  SECRET_ENV,
  crashGroupOthers,
  parseChildLine,
  type ChildLine,
} from './crash-protocol.js';
import { verifyCrashRun, type CrashVerdict } from './crash-verifier.js';
import { verifyChanges, type ChangeVerdict } from './change-verifier.js';
import {
  SLOW_CREATE_MS,
  ledgerAlarms,
  nextPlan,
  scriptFaults,
  scriptSlowCreates,
  type Plan,
} from './crash-plans.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = path.join(ROOT, 'reliability', 'connector-process.ts');

/** How a crash run is set up. */
export interface CrashRunOptions {
  /** At least this many SIGKILLs. */
  kills: number;
  /** Requests for this many distinct alarms. */
  requests: number;
  /** Seed of every random choice (kill plans, offsets, faults). Default 1. */
  seed?: number;
  /** Latency the simulator adds to every answer; default 15 ms. */
  latencyMs?: number;
  /** The child's HTTP time-out; default 1000 ms (6000 ms with slowCreates). */
  timeoutMs?: number;
  /**
   * Slow creates (issue 9): the simulator holds every create 2 to 5 s, longer than a restart
   * takes, before it commits the ticket, so a request resumed after a kill may still be in the
   * making in Oceane. The child's time-out is then longer than the hold.
   */
  slowCreates?: boolean;
  /** Where the data folder and the ledger go; default a new temporary folder, removed after. */
  workDir?: string;
  /** Progress lines (one per cycle); default silent. */
  log?: (line: string) => void;
}

/** What a crash run found. */
export interface CrashRunReport extends CrashVerdict {
  /** Notes and resolutions (issue 13): counted in Oceane, duplicates, lost ones. */
  changes: Omit<ChangeVerdict, 'problems'>;
  kills: number;
  /** Kills made while Oceane had created a ticket that the app had not yet reported. */
  killsInWindow: number;
  /** Kills made while a ticket request was unanswered and younger than the time-out. */
  killsInFlight: number;
  /** Starts of the child. */
  cycles: number;
  /** Alarms whose request the app acknowledged. */
  requested: number;
  /** Kills per plan. */
  plans: Record<string, number>;
  durationMs: number;
}

/** A kill that waits for an event gives up after this long and kills anyway. */
const FALLBACK_KILL_MS = 4_000;
/**
 * The last run of the child (no kill planned) is killed after this long, and another start
 * follows: a request that waits out a long retry delay starts again at once after a restart.
 */
const FINAL_RUN_LIMIT_MS = 30_000;

function isTicketRoute(p: string): boolean {
  return p.split('?')[0]?.endsWith('/troubleTicket') ?? false;
}

interface CycleResult {
  killed: boolean;
  /** The last run was killed because it took too long. */
  stalled: boolean;
  inWindow: boolean;
  inFlight: boolean;
  lines: ChildLine[];
}

/** State shared by the cycles of one run. */
interface RunState {
  sim: RunningSimulator;
  dataDir: string;
  timeoutMs: number;
  requests: number;
  /** Alarm IDs the app acknowledged. */
  acknowledged: Set<string>;
  /** Acknowledged alarm IDs that a later start queued anew: the app had forgotten them. */
  forgotten: Set<string>;
  /** Alarm IDs the child reported Created. */
  reportedCreated: Set<string>;
  /** Note id -> alarm ID, for every note the child queued durably (issue 13). */
  notes: Map<string, string>;
  /** Alarm IDs whose resolution the child queued durably. */
  resolutions: Set<string>;
  enqueued: boolean;
  /** The longest time a start of the child took to be ready, in ms. */
  restartMs: number;
  /** Creates are held beyond a restart (the last run gets three times as long). */
  slowCreates: boolean;
  /** Starts of the child so far. */
  starts: number;
}

/** Starts the child once, kills it as planned (or lets it finish), and reports. */
async function runCycle(state: RunState, plan: Plan): Promise<CycleResult> {
  const { sim } = state;
  const args = ['--import', 'tsx', CHILD, '--data', state.dataDir, '--url', sim.url];
  args.push('--timeout-ms', String(state.timeoutMs), '--retry-count', '10');
  if (!state.enqueued) args.push('--alarms', String(state.requests));
  if (plan.kind === 'settled') args.push('--kill-when-created', String(plan.after));
  const requestsBefore = sim.requests().length;
  const ledgerBefore = sim.ledger().length;
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, [SECRET_ENV]: DEMO_CREDENTIALS.clientSecret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: ChildLine[] = [];
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve({ code, signal }));
    },
  );
  let killTimer: NodeJS.Timeout | undefined;
  let killed = false;
  let inWindow = false;
  let inFlight = false;
  let armed = false;
  let idle = false;
  const kill = (): void => {
    // A child that reported idle has finished its work: killing it now proves nothing.
    if (killed || idle || child.exitCode !== null) return;
    // What the app has not recorded yet, as Oceane sees it, at the moment of the kill.
    const oceane = ledgerAlarms(sim);
    inWindow = [...oceane].some((a) => !state.reportedCreated.has(a));
    // A ticket request without an answer yet, younger than the child's time-out.
    const since = Date.now() - state.timeoutMs;
    inFlight = sim
      .requests()
      .slice(requestsBefore)
      .some((r) => r.status === null && r.at >= since && isTicketRoute(r.path));
    killed = child.kill('SIGKILL');
  };
  const killAfter = (ms: number): void => {
    if (armed) return;
    armed = true;
    killTimer = setTimeout(kill, ms);
  };
  const fallback =
    plan.kind === 'none'
      ? undefined
      : setTimeout(
          kill,
          FALLBACK_KILL_MS +
            (plan.kind === 'boot' ? 0 : 1000) +
            (state.slowCreates ? state.restartMs : 0),
        );
  let stalled = false;
  const limit =
    plan.kind === 'none'
      ? setTimeout(
          () => {
            stalled = true;
            kill();
          },
          FINAL_RUN_LIMIT_MS * (state.slowCreates ? 3 : 1),
        )
      : undefined;
  if (plan.kind === 'boot') killAfter(plan.ms);

  let acknowledgements = 0;
  let sentAtOnce = 0;
  const reader = createInterface({ input: child.stdout });
  reader.on('line', (text) => {
    const line = parseChildLine(text);
    if (!line) return;
    lines.push(line);
    switch (line.kind) {
      case 'queued':
      case 'known':
        if (line.kind === 'queued' && state.acknowledged.has(line.alarmId)) {
          state.forgotten.add(line.alarmId);
        }
        state.acknowledged.add(line.alarmId);
        acknowledgements++;
        if (plan.kind === 'enqueue' && acknowledgements >= plan.after) kill();
        if (line.kind === 'queued' && line.sent) sentAtOnce++;
        if (plan.kind === 'sent' && sentAtOnce >= plan.after) kill();
        break;
      case 'enqueued':
        state.enqueued = true;
        break;
      case 'created':
        state.reportedCreated.add(line.alarmId);
        break;
      case 'note':
        state.notes.set(line.noteId, line.alarmId);
        break;
      case 'resolving':
        state.resolutions.add(line.alarmId);
        break;
      case 'opening':
        if (plan.kind === 'open') killAfter(plan.ms);
        break;
      case 'ready':
        state.restartMs = Math.max(state.restartMs, performance.now() - spawnedAt);
        if (plan.kind === 'timed') killAfter(plan.ms);
        break;
      case 'idle':
        idle = true;
        break;
      default:
        break;
    }
  });

  const watch =
    plan.kind === 'request' || plan.kind === 'created'
      ? setInterval(() => {
          if (armed) return;
          if (plan.kind === 'request') {
            const seen = sim
              .requests()
              .slice(requestsBefore)
              .filter((r) => isTicketRoute(r.path)).length;
            if (seen >= plan.count) killAfter(plan.ms);
          } else if (plan.kind === 'created') {
            if (sim.ledger().length - ledgerBefore >= plan.count) killAfter(plan.ms);
          }
        }, 2)
      : undefined;

  const { code, signal } = await exited;
  // The `settled` plan: the child killed itself at its k-th Created row.
  if (plan.kind === 'settled' && signal === 'SIGKILL') killed = true;
  clearTimeout(killTimer);
  clearTimeout(fallback);
  clearTimeout(limit);
  clearInterval(watch);
  reader.close();
  if (!killed && code !== 0) {
    throw new Error(`the child failed (code ${code}, signal ${signal}): ${stderr}`);
  }
  if (killed && signal !== 'SIGKILL' && code !== 0) {
    throw new Error(`the child failed before the kill (code ${code}): ${stderr}`);
  }
  // A child that finished just before the kill landed was not killed.
  const reallyKilled = killed && signal === 'SIGKILL';
  return {
    killed: reallyKilled,
    stalled: reallyKilled && stalled,
    inWindow: reallyKilled && inWindow,
    inFlight: reallyKilled && inFlight,
    lines,
  };
}

/** Reads the journals and the settings back from disk, as the next start would. */
async function readBack(dataDir: string): Promise<{
  tickets: TicketRow[];
  pending: number;
  properties: Map<string, AlarmProperties>;
  ticketUrl: (id: string) => string;
}> {
  const tickets = readStoredRows<TicketRow>(dataDir, 'tickets');
  const pending = readStoredRows<QueueEntryView>(dataDir, 'queue').length;
  const properties = readStoredProperties(dataDir);
  const settings = new ConfSettingsStore(dataDir).read() as {
    api?: { baseUrl?: string; ticketUrlTemplate?: string };
  };
  const base = settings.api?.baseUrl ?? '';
  const template = settings.api?.ticketUrlTemplate ?? '{base}/ticket/{id}';
  const result = {
    tickets,
    pending,
    properties,
    ticketUrl: (id: string) =>
      template.replace('{base}', base).replace('{id}', encodeURIComponent(id)),
  };
  return result;
}

/** Runs the crash test and returns its verdict (the caller prints and decides). */
export async function runCrashTest(options: CrashRunOptions): Promise<CrashRunReport> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const latencyMs = options.latencyMs ?? 15;
  const random = mulberry32(options.seed ?? 1);
  const patchRandom = mulberry32((options.seed ?? 1) + 13);
  const workDir = options.workDir ?? (await mkdtemp(path.join(tmpdir(), 'oceane-crash-')));
  const sim = await startSimulator({
    port: 0,
    latencyMs,
    ledgerFile: path.join(workDir, 'oceane-ledger.json'),
  });
  const state: RunState = {
    sim,
    dataDir: path.join(workDir, 'data'),
    timeoutMs: options.timeoutMs ?? (options.slowCreates ? SLOW_CREATE_MS[1] + 1_000 : 1_000),
    requests: options.requests,
    acknowledged: new Set(),
    forgotten: new Set(),
    reportedCreated: new Set(),
    notes: new Map(),
    resolutions: new Set(),
    enqueued: false,
    restartMs: 0,
    slowCreates: options.slowCreates ?? false,
    starts: 0,
  };
  const plans: Record<string, number> = {};
  let kills = 0;
  let killsInWindow = 0;
  let killsInFlight = 0;
  let cycles = 0;
  const maxCycles = 4 * options.kills + 50;
  try {
    for (;;) {
      if (cycles >= maxCycles) throw new Error(`no end after ${cycles} starts of the child`);
      const plan = nextPlan(
        random,
        state,
        options.kills - kills,
        latencyMs,
        options.slowCreates ?? false,
      );
      if (options.slowCreates) scriptSlowCreates(sim, random, state);
      else if (plan.kind === 'none') sim.clearFaults();
      else scriptFaults(sim, random, patchRandom, Math.max(50, state.timeoutMs - 200));
      cycles++;
      const result = await runCycle(state, plan);
      state.starts = cycles;
      if (result.killed) {
        kills++;
        const moment = result.stalled ? 'final run too long' : plan.kind;
        plans[moment] = (plans[moment] ?? 0) + 1;
        if (result.inWindow) killsInWindow++;
        if (result.inFlight) killsInFlight++;
      }
      log(
        `start ${cycles}: ${plan.kind}${result.killed ? ' killed' : ' finished'}` +
          `${result.inWindow ? ' (in the window)' : ''}, kills ${kills}, ` +
          `tickets in Oceane ${sim.ledger().length}`,
      );
      const finished = result.lines.some((l) => l.kind === 'idle');
      if (finished && state.enqueued && kills >= options.kills) break;
    }
    const disk = await readBack(state.dataDir);
    const key = (alarmId: string): string => alarmKeyString({ dmaId: CRASH_DMA_ID, alarmId });
    const verdict = verifyCrashRun({
      requested: [...state.acknowledged].map(key),
      forgotten: [...state.forgotten].map(key),
      groupOf: (k) =>
        crashGroupOthers(Number(k.slice(k.indexOf('/') + 1))).map((id) => key(String(id))),
      ledger: sim.ledger(),
      ...disk,
    });
    const { problems: changeProblems, ...changes } = verifyChanges({
      notes: new Map([...state.notes].map(([id, alarmId]) => [id, key(alarmId)])),
      resolutions: new Set([...state.resolutions].map(key)),
      ledger: sim.ledger(),
    });
    return {
      ...verdict,
      problems: [...verdict.problems, ...changeProblems],
      changes,
      kills,
      killsInWindow,
      killsInFlight,
      cycles,
      requested: state.acknowledged.size,
      plans,
      durationMs: performance.now() - started,
    };
  } finally {
    await sim.close();
    if (!options.workDir) await rm(workDir, { recursive: true, force: true });
  }
}
