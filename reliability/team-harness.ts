/**
 * The team test of issue 14: several consoles (child processes, team-console-process.ts), one
 * PostgreSQL (embedded, started here on a free port), the Oceane simulator holding each create
 * for a random 0 to 3 s. Operators' requests go to random consoles; a share of them collide
 * (two consoles asked for the same alarm at the same moment). Consoles are killed with SIGKILL
 * at random and started again; PostgreSQL itself is restarted once mid-run. Consoles are also
 * frozen (SIGSTOP, then SIGCONT after more than a lease) right between the mark "may have been
 * sent" and the HTTP call of a create or a note: the send fence (team-fence.ts) must keep
 * them from sending what another console took over. A request is
 * acknowledged when a console answered `queued` or `known`; one asked of a console that died
 * before answering, or refused (the database unreachable), is asked again later.
 *
 * At the end, the team's tables read from PostgreSQL and Oceane's ledger are checked as the
 * crash test checks a single console (crash-verifier.ts): one ticket per acknowledged alarm,
 * its Created row and alarm properties naming it, nothing left queued. Notes are added to the
 * team's tickets from random consoles meanwhile (issue 14's ticket life): every note a console
 * acknowledged must reach Oceane, and each be sent once (change-verifier.ts, and no second PATCH
 * of a note id that reached Oceane: the simulator keeps a note once by id, a real Oceane may not).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { alarmKeyString } from '../shared/domain.js';
import { mulberry32, type Random } from '../electron/alarms/prng.js';
import { DEMO_CREDENTIALS, startSimulator } from '../electron/oceane-simulator/index.js';
import { PostgresStore } from '../electron/team/postgres-store.js';
import { TeamQueue } from '../electron/team/team-queue.js';
import { startTestPostgres } from '../electron/team/test-postgres.js';
import { CRASH_DMA_ID, SECRET_ENV, crashGroupOthers } from './crash-protocol.js';
import { verifyCrashRun, type CrashVerdict } from './crash-verifier.js';
import { changeLine, verifyChanges } from './change-verifier.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = path.join(ROOT, 'reliability', 'team-console-process.ts');

/** How a team run is set up. */
export interface TeamRunOptions {
  consoles: number;
  requests: number;
  /** Share of the requests asked by two consoles at the same moment. */
  collisions: number;
  /** At least this many SIGKILLs. */
  kills: number;
  /** Restart PostgreSQL once, when half of the requests are acknowledged. */
  restartPostgres: boolean;
  seed?: number;
  /** The longest hold of a create by the simulator (ms); default 3000. */
  maxHoldMs?: number;
  /** Freezes asked for, between the mark and the send (default 0). */
  freezes?: number;
  log?: (line: string) => void;
}

/** What a team run found. */
export interface TeamRunReport extends CrashVerdict {
  consoles: number;
  kills: number;
  requested: number;
  /** Requests answered `known` (the other console of a collision, or a request asked again). */
  known: number;
  /** Requests refused (the database unreachable), asked again later. */
  refused: number;
  /** Requests asked by two consoles at the same moment. */
  collisions: number;
  postgresRestarts: number;
  /** Consoles frozen between the mark and the send for longer than a lease. */
  freezes: number;
  /** Of those, how many had their send refused by the fence once thawed. */
  fenced: number;
  durationMs: number;
}

interface Console {
  name: string;
  child: ChildProcess | null;
  ready: boolean;
  /** Alarm -> when it was asked of this child (not answered yet). */
  asked: Map<string, number>;
}

interface FailedMark {
  state: { failed: boolean };
}

const between = (random: Random, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The final line: `consoles: 3, kills: 52, tickets: 300, duplicates: 0, lost: 0`. */
export function teamLine(report: TeamRunReport): string {
  return `consoles: ${report.consoles}, kills: ${report.kills}, tickets: ${report.tickets}, duplicates: ${report.duplicates}, lost: ${report.lost}`;
}

/** Runs the team test and returns its verdict. */
export async function runTeamTest(options: TeamRunOptions): Promise<TeamRunReport> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const random = mulberry32(options.seed ?? 1);
  const server = await startTestPostgres();
  const url = await server.createDatabase('team');
  const sim = await startSimulator({ port: 0, latencyMs: 15 });
  // Each create is held 0 to maxHold ms before Oceane commits it (look-ups are not).
  const maxHold = options.maxHoldMs ?? 3_000;
  for (let i = 0; i < options.requests * 4; i++)
    sim.inject('create', { kind: 'delay', ms: between(random, 0, maxHold) });

  const acked = new Set<string>();
  /** Note id -> the alarm key of its ticket, once a console said it is queued. */
  const notes = new Map<string, string>();
  let known = 0;
  let refused = 0;
  let collisions = 0;
  let kills = 0;
  let postgresRestarts = 0;
  let freezes = 0;
  let fenced = 0;
  // The consoles' leases: at least twice the call time-out (team-console.ts).
  const leaseMs = Math.max(3_000, 2 * (maxHold + 1_000));
  let restarting = false;
  const toAsk: string[] = [];
  const crashes: string[] = [];
  let stopKilling = false;
  let finished = false;
  const consoles: Console[] = [];
  /** A frozen child -> the sends its fence had refused when it froze. */
  const frozenAt = new Map<ChildProcess, number>();
  /** The children frozen now: not killed, so that each is thawed and its fence tested. */
  const frozenNow = new Set<ChildProcess>();

  const startConsole = (c: Console): void => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        CHILD,
        '--postgres',
        url,
        '--oceane',
        sim.url,
        '--name',
        c.name,
        '--timeout-ms',
        String(maxHold + 1_000),
        '--lease-ms',
        '3000',
      ],
      {
        cwd: ROOT,
        env: { ...process.env, [SECRET_ENV]: DEMO_CREDENTIALS.clientSecret },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    // What the previous child was asked and did not answer is asked again of another console.
    for (const alarm of c.asked.keys()) if (!acked.has(alarm)) toAsk.push(alarm);
    c.asked.clear();
    c.child = child;
    c.ready = false;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + String(chunk)).slice(-2000)));
    child.stdin?.on('error', () => undefined);
    child.on('exit', (code, signal) => {
      if (c.child !== child) return;
      c.child = null;
      c.ready = false;
      // What it was asked and did not answer is asked again of another console.
      for (const alarm of c.asked.keys()) if (!acked.has(alarm)) toAsk.push(alarm);
      c.asked.clear();
      if (signal === 'SIGKILL' || finished) return;
      // Not killed by the harness: a crash of the console, which the run reports.
      crashes.push(`${c.name} exited by itself (${code ?? signal}): ${stderr.trim()}`);
      log(crashes[crashes.length - 1] ?? '');
      startConsole(c);
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [kind, alarm = '', noteId = ''] = line.trim().split(' ');
      if (kind === 'ready') c.ready = true;
      if (kind === 'frozen') {
        freezes++;
        frozenAt.set(child, Number(alarm));
        frozenNow.add(child);
        log(`${c.name} frozen between the mark and the send`);
        // Thawed after more than a lease: another console may have taken its work over.
        setTimeout(
          () => {
            frozenNow.delete(child);
            if (c.child === child && !finished) child.kill('SIGCONT');
          },
          leaseMs + between(random, 1_000, 2_000),
        );
      }
      if (kind === 'thawed' && Number(alarm) > (frozenAt.get(child) ?? Number(alarm))) fenced++;
      if (kind === 'note')
        notes.set(noteId, alarmKeyString({ dmaId: CRASH_DMA_ID, alarmId: alarm }));
      if (kind !== 'queued' && kind !== 'known' && kind !== 'refused') return;
      c.asked.delete(alarm);
      if (kind === 'refused') {
        refused++;
        toAsk.push(alarm);
      } else acked.add(alarm);
      if (kind === 'known') known++;
    });
  };

  const ask = (c: Console, alarm: string): void => {
    c.asked.set(alarm, Date.now());
    c.child?.stdin?.write(`ask ${alarm}\n`);
  };
  const live = (): Console[] => consoles.filter((c) => c.child && c.ready);

  for (let i = 1; i <= options.consoles; i++) {
    const c: Console = { name: `console-${i}`, child: null, ready: false, asked: new Map() };
    consoles.push(c);
    startConsole(c);
  }
  const admin = await PostgresStore.connect({ connectionString: url });
  const team = new TeamQueue(admin, 'harness', 1);

  // The operators: a request every few hundred ms, a share of them asked by two consoles.
  let next = 1;
  let collideDraw: boolean | null = null;
  const operators = (async () => {
    while (!finished && (next <= options.requests || acked.size < options.requests)) {
      await sleep(between(random, 20, 120));
      const ready = live();
      if (ready.length === 0) continue;
      const again = toAsk.shift();
      if (again !== undefined) {
        if (!acked.has(again)) ask(ready[between(random, 0, ready.length - 1)]!, again);
        continue;
      }
      if (next > options.requests) continue;
      // The requests are paced by the kills (a tenth ahead), so that kills land on work.
      const allowed = options.requests * (0.1 + kills / options.kills);
      if (next > allowed) continue;
      // A colliding request waits until two consoles are up to ask at the same moment.
      const collide = (collideDraw ??= random() < options.collisions);
      if (collide && ready.length < 2) continue;
      collideDraw = null;
      const alarm = String(next++);
      const first = ready[between(random, 0, ready.length - 1)]!;
      ask(first, alarm);
      if (collide) {
        collisions++;
        const others = ready.filter((c) => c !== first);
        ask(others[between(random, 0, others.length - 1)]!, alarm);
      }
    }
  })();

  // Operators add notes to Created tickets from random consoles (a fifth as many as requests).
  const noteTakers = (async () => {
    let asked = 0;
    while (!stopKilling && asked < Math.ceil(options.requests / 5)) {
      await sleep(between(random, 200, 1_200));
      const ready = live();
      const created = (await team.tickets().catch(() => [])).filter((r) => r.status === 'Created');
      const row = created[between(random, 0, created.length - 1)];
      if (ready.length === 0 || !row?.ticketId) continue;
      asked++;
      ready[between(random, 0, ready.length - 1)]!.child?.stdin?.write(
        `note ${row.alarmId} ${row.ticketId}\n`,
      );
    }
  })();

  // The killer: SIGKILLs of random consoles, each started again moments later.
  const killer = (async () => {
    while (!stopKilling) {
      await sleep(between(random, 300, 2_500));
      // Only consoles that are up: a console killed while starting would never work.
      const targets = live().filter((c) => c.child && !frozenNow.has(c.child));
      const target = targets[between(random, 0, targets.length - 1)];
      if (!target || stopKilling) continue;
      target.child?.kill('SIGKILL');
      kills++;
      await sleep(between(random, 50, 400));
      startConsole(target);
      // The next kill once it is up again: the team is never all down for long.
      const upBy = Date.now() + 15_000;
      while (!target.ready && Date.now() < upBy && !stopKilling) await sleep(50);
    }
  })();

  // The freezer: now and then a console is told to freeze at its next send.
  const freezer = (async () => {
    for (let asked = 0; asked < (options.freezes ?? 0) && !stopKilling; asked++) {
      await sleep(between(random, 3_000, 8_000));
      const targets = live().filter((c) => c.child && !frozenNow.has(c.child));
      targets[between(random, 0, targets.length - 1)]?.child?.stdin?.write('freeze\n');
    }
  })();

  const deadline = Date.now() + Math.max(240_000, options.requests * 3_000);
  let progressAt = Date.now();
  try {
    for (;;) {
      if (Date.now() > deadline) throw new Error('the team run did not end in time');
      await sleep(250);
      if (Date.now() - progressAt > 10_000) {
        progressAt = Date.now();
        const queued = await team.pending().catch(() => null);
        const leases = await team.leases().catch(() => null);
        log(
          `progress: ${acked.size} acknowledged, ${next - 1} asked, ${toAsk.length} to ask again, ` +
            `${kills} kills, consoles up ${live().length}, queued ${queued?.length ?? '?'}, ` +
            `leases ${leases?.map((l) => l.console).join(' ') ?? '?'}, tickets in Oceane ${sim.ledger().length}`,
        );
      }
      if (options.restartPostgres && postgresRestarts === 0 && !restarting) {
        if (acked.size >= options.requests / 2) {
          restarting = true;
          log(`restarting PostgreSQL (${acked.size} requests acknowledged, ${kills} kills)`);
          await server.restart();
          postgresRestarts++;
        }
      }
      // Kills go on while requests are being asked, and until enough were made.
      if (kills >= options.kills && acked.size >= options.requests) stopKilling = true;
      if (!stopKilling || acked.size < options.requests) continue;
      const pending = await team.pending().catch(() => null);
      const changes = await admin
        .raw<{ data: string }>('SELECT data FROM change_queue')
        .catch(() => null);
      // Notes given up (failed) stay for the history: they are counted as lost below.
      const sending = changes?.filter((c) => !(JSON.parse(c.data) as FailedMark).state.failed);
      if (pending !== null && pending.length === 0 && sending?.length === 0) break;
    }
    await operators;
    await killer;
    await noteTakers;
    await freezer;
    log(`freezes between the mark and the send: ${freezes}, sends refused by the fence: ${fenced}`);
    const ledger = sim.ledger();
    const noteVerdict = verifyChanges({ notes, resolutions: new Set(), ledger });
    // A second PATCH of a note id after one reached Oceane (401s, refused, did not).
    for (const id of notes.keys()) {
      const sent = sim
        .requests()
        .filter((r) => r.method === 'PATCH' && r.requestId === id && r.status !== 401);
      if (sent.length > 1) {
        noteVerdict.duplicateNotes += sent.length - 1;
        noteVerdict.problems.push(`note ${id}: sent ${sent.length} times`);
      }
    }
    log(`${changeLine(noteVerdict)}, notes acknowledged by a console: ${notes.size}`);
    const key = (alarmId: string): string => alarmKeyString({ dmaId: CRASH_DMA_ID, alarmId });
    const verdict = verifyCrashRun({
      requested: [...acked].map(key),
      // Group requests (issue 11): one ticket lists every alarm, each carries its ID and URL.
      groupOf: (k) =>
        crashGroupOthers(Number(k.slice(k.indexOf('/') + 1))).map((id) => key(String(id))),
      ledger,
      tickets: await team.tickets(),
      properties: await team.alarmProperties(),
      pending: (await team.pending()).length,
      ticketUrl: (id) => `${sim.url}/ticket/${encodeURIComponent(id)}`,
    });
    return {
      ...verdict,
      duplicates: verdict.duplicates + noteVerdict.duplicateNotes,
      lost: verdict.lost + noteVerdict.lostChanges,
      problems: [...crashes, ...verdict.problems, ...noteVerdict.problems],
      consoles: options.consoles,
      kills,
      requested: acked.size,
      known,
      refused,
      collisions,
      postgresRestarts,
      freezes,
      fenced,
      durationMs: performance.now() - started,
    };
  } finally {
    stopKilling = true;
    finished = true;
    for (const c of consoles) {
      const child = c.child;
      c.child = null;
      child?.kill('SIGKILL');
    }
    await admin.close();
    await sim.close();
    await server.stop();
  }
}
