import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateTicketRequest, TicketRow } from '../../shared/domain.js';
import { OceaneClient } from '../connector/oceane-client.js';
import { OceaneLifecycleClient } from '../connector/oceane-lifecycle-client.js';
import { silentLogger, systemClock } from '../connector/ports.js';
import { TokenClient } from '../connector/token-client.js';
import {
  DEMO_CREDENTIALS,
  startSimulator,
  type RunningSimulator,
} from '../oceane-simulator/index.js';
import { TeamConsole, type TeamConsoleOptions } from './team-console.js';
import { addTeamNote, clearActionId, teamAlarmCleared, teamHistory } from './team-life-actions.js';
import { LIFE_LEASE } from './team-life-lease.js';
import { startTestPostgres, type TestPostgres } from './test-postgres.js';
import { readUntil } from './team-test-support.js';

let server: TestPostgres;
let sim: RunningSimulator;
let databases = 0;
const consoles: TeamConsole[] = [];
beforeAll(async () => {
  server = await startTestPostgres();
  sim = await startSimulator({ port: 0 });
}, 60_000);
afterAll(async () => {
  await Promise.all(consoles.map((c) => c.close()));
  await sim?.close();
  await server?.stop();
});

async function open(
  url: string,
  name: string,
  secret = true,
  fenceTest?: TeamConsoleOptions['fenceTest'],
): Promise<TeamConsole> {
  const options: TeamConsoleOptions = {
    postgres: { connectionString: url },
    where: 'test',
    consoleName: name,
    oceane: {
      baseUrl: sim.url,
      clientId: DEMO_CREDENTIALS.clientId,
      ...(secret ? { clientSecret: DEMO_CREDENTIALS.clientSecret } : {}),
      userId: DEMO_CREDENTIALS.userId,
      ticketUrlTemplate: '{base}/ticket/{id}',
    },
    timeoutMs: 500,
    leaseMs: 1_000,
    createRetryCount: 3,
    random: () => 0,
    lifePollMs: () => 150,
    ...(fenceTest ? { fenceTest } : {}),
  };
  const team = await TeamConsole.open(options);
  consoles.push(team);
  return team;
}

function request(alarmId: string): CreateTicketRequest {
  return {
    dmaId: '55',
    elementId: '1',
    alarmId,
    elementName: `LIFE-${alarmId}`,
    priority: 'High',
    urgency: 'High',
    technicalImpact: 'Major',
  };
}

const until = <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> =>
  readUntil(read, done, 50);

/** Creates the ticket of alarm `alarmId` through `team`; its Created row. */
async function created(team: TeamConsole, alarmId: string): Promise<TicketRow> {
  const queued = await team.createTicket(request(alarmId));
  expect(queued.ok).toBe(true);
  const rows = await until(
    () => team.queue.tickets(),
    (r) => r.some((row) => row.alarmId === alarmId && row.status === 'Created'),
  );
  return rows.find((row) => row.alarmId === alarmId) as TicketRow;
}

/** A console that died holding the life lease for `ms` more (the database's clock). */
async function deadHolder(team: TeamConsole, ms: number): Promise<void> {
  await team.store.raw(
    `INSERT INTO follow_state (name, data) VALUES ($1, json_build_object('holder', 'dead',
      'until', (extract(epoch from clock_timestamp()) * 1000)::bigint + $2::bigint)::text)
      ON CONFLICT (name) DO UPDATE SET data = excluded.data`,
    [LIFE_LEASE, ms],
  );
}

function patches(id: string): number {
  return sim.requests().filter((r) => r.method === 'PATCH' && r.requestId === id).length;
}

describe('the team ticket life', () => {
  it('is followed by one console at a time: statuses and history for every console, claims released when done, taken over when the holder dies', async () => {
    const url = await server.createDatabase(`life_${++databases}`);
    const a = await open(url, 'a');
    const viewer = await open(url, 'viewer', false);
    const row = await created(a, '1');
    const ticketId = row.ticketId ?? '';
    await until(
      () => viewer.life.store.get(ticketId),
      (f) => f !== undefined,
    );
    expect(a.life.holdsLease).toBe(true);
    expect(viewer.life.holdsLease).toBe(false);
    sim.setStatus(ticketId, 'inProgress', 'Taken by the field team');
    const rows = await until(
      () => viewer.queue.tickets(),
      (r) => r[0]?.oceaneStatus === 'inProgress',
    );
    expect(rows[0]?.oceaneLastUpdate).toBeTruthy();
    const history = await viewer.life.store.history(ticketId);
    expect(history.at(-1)).toMatchObject({ kind: 'status', to: 'inProgress' });
    // The alarm stays claimed while the ticket is open.
    expect((await viewer.queue.holderOf(['55/1']))?.requestKey).toBe(row.instance);

    // A dies: its lease is left to run out (nothing gives it up), and B takes over.
    await a.close();
    consoles.splice(consoles.indexOf(a), 1);
    await deadHolder(viewer, 800);
    const b = await open(url, 'b');
    sim.setStatus(ticketId, 'closed', 'Done');
    const closed = await until(
      () => viewer.queue.tickets(),
      (r) => r[0]?.oceaneStatus === 'closed',
    );
    expect(closed[0]?.ticketId).toBe(ticketId);
    expect(b.life.holdsLease).toBe(true);
    // Released right after the rows are written (in the holder's next statement).
    await until(
      () => viewer.queue.holderOf(['55/1']),
      (holder) => holder === null,
    );
    const statuses = (await viewer.life.store.history(ticketId)).flatMap((h) =>
      h.kind === 'status' ? [h.to] : [],
    );
    expect(statuses.slice(-2)).toEqual(['inProgress', 'closed']);
    // A new ticket may be asked for the alarm now.
    expect((await viewer.createTicket(request('1'))).ok).toBe(true);
  }, 60_000);

  it('sends a note once when its answer is lost, and shows it in the history of every console', async () => {
    const url = await server.createDatabase(`life_${++databases}`);
    const a = await open(url, 'a');
    const viewer = await open(url, 'viewer', false);
    const row = await created(a, '2');
    const ticketId = row.ticketId ?? '';
    await until(
      () => viewer.life.store.get(ticketId),
      (f) => f !== undefined,
    );
    // The note is applied in Oceane but its answer never comes back.
    sim.inject('patch', { kind: 'ambiguous', mode: 'drop' });
    const added = await addTeamNote(viewer.life.store, ticketId, 'Checked on site', 'oper1');
    expect(added.ok).toBe(true);
    const id = added.ok ? added.value.id : '';
    const history = await until(
      () => teamHistory(viewer.life.store, ticketId),
      (h) =>
        h.ok && h.value.entries.some((e) => e.kind === 'note' && e.id === id && e.state === 'done'),
    );
    expect(
      history.ok && history.value.entries.filter((e) => e.kind === 'note' && e.id === id),
    ).toHaveLength(1);
    expect(patches(id)).toBe(1);
    await until(
      () => viewer.life.store.changes(),
      (c) => c.length === 0,
    );
    expect(a.life.counters.checkedBeforeResend).toBeGreaterThan(0);
    const notes = sim.ledger().find((t) => t.id === ticketId)?.note ?? [];
    expect(notes.filter((n) => n.id === id)).toHaveLength(1);
    // A ticket that is not the team's gets no note.
    const unknown = await addTeamNote(viewer.life.store, 'TT-NOPE', 'x', 'oper1');
    expect(unknown.ok ? 'queued' : unknown.error.code).toBe('not-found');
  }, 60_000);

  it('queues the clear action once when two consoles see the alarm clear, and resolves the ticket once', async () => {
    const url = await server.createDatabase(`life_${++databases}`);
    const a = await open(url, 'a');
    const b = await open(url, 'b');
    const row = await created(a, '3');
    const ticketId = row.ticketId ?? '';
    await until(
      () => b.life.store.get(ticketId),
      (f) => f !== undefined,
    );
    const clearedAt = new Date().toISOString();
    const input = {
      setting: 'resolve' as const,
      userId: 'oper1',
      alarmKey: '55/3',
      clearedAt,
      ticketIdOfAlarm: ticketId,
      clearTimeOf: () => clearedAt,
    };
    const decisions = await Promise.all([
      teamAlarmCleared(a.life.store, input),
      teamAlarmCleared(b.life.store, input),
    ]);
    // One console queues the resolve; the other either decided it too and found it queued,
    // or (when the first had already committed) found the ticket acted on: nothing.
    const queued = decisions.filter((d) => d?.queued);
    expect(queued.map((d) => d?.kind)).toEqual(['resolve']);
    const other = decisions.find((d) => !d?.queued);
    expect(['resolve', 'nothing']).toContain(other?.kind);
    const rows = await until(
      () => b.queue.tickets(),
      (r) => r[0]?.oceaneStatus === 'resolved',
    );
    expect(rows[0]?.ticketId).toBe(ticketId);
    expect(patches(clearActionId(ticketId))).toBe(1);
    // Acted on: a later clear does nothing, and the alarm may get a new ticket.
    expect((await teamAlarmCleared(b.life.store, input))?.kind).toBe('nothing');
    await until(
      () => b.queue.holderOf(['55/3']),
      (holder) => holder === null,
    );
  }, 60_000);

  it('checks a note its dead holder marked as maybe sent before sending it, and sends one that never left', async () => {
    const url = await server.createDatabase(`life_${++databases}`);
    const a = await open(url, 'a');
    const row = await created(a, '4');
    const ticketId = row.ticketId ?? '';
    await until(
      () => a.life.store.get(ticketId),
      (f) => f !== undefined,
    );
    await a.close();
    consoles.splice(consoles.indexOf(a), 1);
    const viewer = await open(url, 'viewer', false);
    // What a holder killed mid-send leaves: the lease, and two notes marked as maybe sent,
    // the first of which reached Oceane.
    await deadHolder(viewer, 600);
    const left = [0, 1].map(async (n) => {
      const added = await addTeamNote(viewer.life.store, ticketId, `Note ${n}`, 'oper1');
      return added.ok ? added.value.id : '';
    });
    const ids = await Promise.all(left);
    for (const change of await viewer.life.store.changes()) {
      await viewer.store.raw('UPDATE change_queue SET data = $1 WHERE key = $2', [
        JSON.stringify({ ...change, state: { ...change.state, maybeSent: true } }),
        change.id,
      ]);
    }
    const sent = ids[0] ?? '';
    const tokens = new TokenClient({
      config: () => ({
        baseUrl: sim.url,
        clientId: DEMO_CREDENTIALS.clientId,
        clientSecret: DEMO_CREDENTIALS.clientSecret,
        timeoutMs: 1_000,
      }),
      clock: systemClock,
      logger: silentLogger,
    });
    const client = new OceaneLifecycleClient(new OceaneClient(tokens, systemClock));
    const config = { baseUrl: sim.url, userId: DEMO_CREDENTIALS.userId, timeoutMs: 1_000 };
    const note = { id: sent, author: 'oper1', date: new Date().toISOString(), text: 'Note 0' };
    expect((await client.addNote(config, ticketId, note)).ok).toBe(true);
    const heir = await open(url, 'heir');
    await until(
      () => heir.life.store.changes(),
      (c) => c.length === 0,
    );
    expect(ids.map(patches)).toEqual([1, 1]);
    expect(heir.life.counters.checkedBeforeResend).toBe(2);
    const notes = sim.ledger().find((t) => t.id === ticketId)?.note ?? [];
    expect(notes.map((n) => n.id).sort()).toEqual([...ids].sort());
  }, 60_000);

  it('takes the clear action of a ticket the holder has not followed yet, and follows it from then on', async () => {
    const url = await server.createDatabase(`life_${++databases}`);
    const a = await open(url, 'a');
    // Nobody follows (the only holder stopped its ticket life): the ticket is created unfollowed.
    await a.life.stop();
    const row = await created(a, '5');
    const ticketId = row.ticketId ?? '';
    expect(await a.life.store.get(ticketId)).toBeUndefined();
    const clearedAt = new Date().toISOString();
    const decision = await teamAlarmCleared(a.life.store, {
      setting: 'note',
      userId: 'oper1',
      alarmKey: '55/5',
      clearedAt,
      ticketIdOfAlarm: undefined,
      clearTimeOf: () => clearedAt,
    });
    expect(decision).toMatchObject({ kind: 'note', queued: true });
    expect((await a.life.store.get(ticketId))?.actedOn).toBe(true);
    a.life.start();
    await until(
      () => a.life.store.changes(),
      (c) => c.length === 0,
    );
    expect(patches(clearActionId(ticketId))).toBe(1);
    const rows = await a.queue.tickets();
    expect(rows[0]?.oceaneStatus).toBe('acknowledged');
    // Followed by the polls too: the cursor was set from the ticket's creation.
    expect((await a.life.store.pollState()).cursor).not.toBeNull();
    sim.setStatus(ticketId, 'pending', 'Waiting for the customer');
    await until(
      () => a.queue.tickets(),
      (r) => r[0]?.oceaneStatus === 'pending',
    );
  }, 60_000);

  it('sends no note after a stall past its lease between the mark and the send; another console sends it once', async () => {
    const url = await server.createDatabase(`life_${++databases}`);
    // Once armed, every send of this console stalls past its lease between the mark and the
    // send: the monotonic clock jumps as it does for a process frozen there.
    let skew = 0;
    let armed = false;
    const frozen = await open(url, 'frozen', true, {
      monotonic: () => performance.now() + skew,
      beforeSend: () => {
        if (armed) skew += 60_000;
      },
    });
    const row = await created(frozen, '7');
    const ticketId = row.ticketId ?? '';
    await until(
      () => frozen.life.store.get(ticketId),
      (f) => f !== undefined,
    );
    armed = true;
    const added = await addTeamNote(frozen.life.store, ticketId, 'Stalled', 'oper1');
    const id = added.ok ? added.value.id : '';
    await until(
      async () => frozen.life.fence.refusals,
      (n) => n > 0,
    );
    expect(patches(id)).toBe(0);
    const [left] = await frozen.life.store.changes();
    expect(left?.state.maybeSent).toBe(true);
    await frozen.close();
    consoles.splice(consoles.indexOf(frozen), 1);

    const heir = await open(url, 'heir');
    await until(
      () => heir.life.store.changes(),
      (c) => c.length === 0,
    );
    expect(patches(id)).toBe(1);
    expect(heir.life.counters.checkedBeforeResend).toBe(1);
    const notes = sim.ledger().find((t) => t.id === ticketId)?.note ?? [];
    expect(notes.filter((n) => n.id === id)).toHaveLength(1);
  }, 60_000);

  it("shows the holder's poll problem on every console with the holder's name, and its end", async () => {
    const url = await server.createDatabase(`life_${++databases}`);
    const a = await open(url, 'a');
    const viewer = await open(url, 'viewer', false);
    const heard: (string | null)[] = [];
    viewer.life.onPollProblem((sentence) => heard.push(sentence));
    const row = await created(a, '8');
    await until(
      () => viewer.life.store.get(row.ticketId ?? ''),
      (f) => f !== undefined,
    );
    // Every poll fails (the consoles of the other tests poll this simulator too) until cleared.
    sim.inject(
      'changes',
      { kind: 'status', status: 503, message: 'Down for maintenance' },
      Number.POSITIVE_INFINITY,
    );
    const [sentence] = await until(
      async () => heard.filter((h) => h !== null),
      (h) => h.length > 0,
    );
    expect(sentence).toMatch(
      /^Oceane status polls: Oceane could not be asked for ticket changes \(the last poll: Down for maintenance.+\(followed by console a\)$/,
    );
    expect(a.life.teamPollProblem).toBe(sentence);
    // The polls work again: every console hears the problem end.
    sim.clearFaults();
    await until(
      async () => heard.at(-1),
      (h) => h === null,
    );
    expect(viewer.life.teamPollProblem).toBeNull();
  }, 60_000);
});
