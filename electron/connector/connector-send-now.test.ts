import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CreateTicketRequest } from '../../shared/domain.js';
import { SqliteDatabase } from '../storage/sqlite-database.js';
import { readStoredRows } from '../storage/store-faults.js';
import { FakeClock } from './fake-clock.js';
import type { QueueEntry } from './ticket-tables.js';
import { countRequests, startRig, ticketRequest, type Rig } from './test-support.js';

let rig: Rig | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await rig?.dispose();
  rig = undefined;
});

const TIMEOUT_MS = 2000;

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

/** The queue line of `instance` as stored in the database file. */
function storedLine(r: Rig, instance: string): QueueEntry | undefined {
  return readStoredRows<QueueEntry>(r.dataDir, 'queue').find((e) => e.instance === instance);
}

/** A rig whose token is at hand (one ticket created first). */
async function warmRig(clock?: FakeClock): Promise<Rig> {
  const r = await startRig({ timeoutMs: TIMEOUT_MS, ...(clock ? { clock } : {}) });
  expect((await ask(r, ticketRequest())).ok).toBe(true);
  await r.connector.whenIdle();
  return r;
}

/** As the Create Ticket dialog does: Oceane is asked for the alarm's ticket, then the request. */
async function ask(r: Rig, request: CreateTicketRequest) {
  expect(await r.connector.findExistingTicket(request)).toBeNull();
  return r.connector.createTicket(request);
}

describe('a request the idle queue sends at once (issue 9)', () => {
  it('is made durable and marked sent by one synced transaction, then its create leaves', async () => {
    // A fake clock: however long the disk takes to sync, the write stays within the slack.
    rig = await warmRig(new FakeClock());
    const creates = countRequests(rig.sim, 'create');
    // Every transaction of the store, counted (each still runs).
    const transaction = vi.spyOn(SqliteDatabase.prototype, 'transaction');
    // Oceane holds the create: what was written before it left can be read meanwhile.
    rig.sim.inject('create', { kind: 'delay', ms: 400 });
    const request = ticketRequest();
    expect(await rig.connector.findExistingTicket(request)).toBeNull();
    const queued = await rig.connector.createTicket(request);
    if (!queued.ok) throw new Error(queued.error.message);
    await until(() => countRequests(rig!.sim, 'create') > creates);
    // Before the create reached Oceane: one transaction, synced, and nothing else.
    expect(transaction.mock.calls.map(([durable]) => durable)).toEqual([true]);
    const line = storedLine(rig, queued.value.instance);
    expect(line?.state).toMatchObject({ phase: 'sending', createAttempts: 1, sentBefore: true });
    expect(line?.state.doubtUntil).toBe((line?.state.lastSentAt ?? NaN) + TIMEOUT_MS);
    vi.restoreAllMocks();
    await rig.connector.whenIdle();
    expect(rig.connector.listTickets().filter((t) => t.status === 'Created')).toHaveLength(2);
    expect(rig.sim.ledger()).toHaveLength(2);
  });

  it('stopped before the answer: the next start looks it up once the time-out is over, one ticket', async () => {
    rig = await warmRig();
    rig.sim.inject('create', { kind: 'ambiguous', mode: 'delay', ms: 10_000 });
    const queued = await ask(rig, ticketRequest());
    if (!queued.ok) throw new Error(queued.error.message);
    await until(() => rig!.sim.ledger().length === 2);
    const reopened = await rig.reopen();
    await reopened.whenIdle();
    expect(rig.sim.ledger()).toHaveLength(2);
    expect(countRequests(rig.sim, 'create')).toBe(2);
    // The two asks of the dialog, and the restart's look-up.
    expect(countRequests(rig.sim, 'find')).toBe(3);
    expect(reopened.listTickets().find((t) => t.instance === queued.value.instance)).toMatchObject({
      status: 'Created',
      ticketId: rig.sim.ledger()[1]?.id,
    });
  });

  it('is not sent at once while another request is in flight: stored "look up first", its send written before it leaves', async () => {
    rig = await warmRig();
    rig.sim.inject('create', { kind: 'delay', ms: 300 }, 2);
    const first = await ask(rig, ticketRequest());
    const second = await ask(rig, ticketRequest());
    if (!first.ok || !second.ok) throw new Error('refused');
    expect(storedLine(rig, second.value.instance)?.state).toMatchObject({
      phase: 'new',
      checkFirst: true,
      createAttempts: 0,
    });
    await until(() => countRequests(rig!.sim, 'create') === 3);
    expect(storedLine(rig, second.value.instance)?.state).toMatchObject({
      phase: 'sending',
      createAttempts: 1,
    });
    await rig.connector.whenIdle();
    expect(rig.sim.ledger()).toHaveLength(3);
  });

  it('is not sent at once when a waiting request became ready, even before its wake-up timer ran', async () => {
    const clock = new FakeClock();
    rig = await startRig({ clock, timeoutMs: TIMEOUT_MS });
    // A: Oceane refuses for now (429), so A waits for its retry; the queue is quiet meanwhile.
    rig.sim.inject('create', { kind: 'status', status: 429, retryAfter: '5' });
    const a = await ask(rig, ticketRequest());
    if (!a.ok) throw new Error(a.error.message);
    await rig.connector.whenQuiet();
    expect(storedLine(rig, a.value.instance)?.state.phase).toBe('waiting-for-retry');
    // Time passes beyond A's wait, its timer not run yet: A is ready and goes first.
    clock.set(clock.now() + 6000);
    const b = await ask(rig, ticketRequest());
    if (!b.ok) throw new Error(b.error.message);
    expect(storedLine(rig, b.value.instance)?.state).toMatchObject({ phase: 'new' });
    await clock.advanceAsync(0);
    await rig.connector.whenIdle();
    const tickets = rig.connector.listTickets();
    expect(tickets.map((t) => t.status)).toEqual(['Created', 'Created']);
    // A's second create reached Oceane before B's first: A holds Oceane's first ticket.
    expect(rig.sim.ledger()).toHaveLength(2);
    const [first] = rig.sim.ledger();
    expect(tickets.find((t) => t.instance === a.value.instance)?.ticketId).toBe(first?.id);
  });

  it('a synced write slower than the slack: its send time is taken again and written before the create leaves', async () => {
    const clock = new FakeClock();
    rig = await startRig({ clock, timeoutMs: TIMEOUT_MS });
    expect((await ask(rig, ticketRequest())).ok).toBe(true);
    await rig.connector.whenIdle();
    const creates = countRequests(rig.sim, 'create');
    rig.sim.inject('create', { kind: 'delay', ms: 400 });
    // The request's synced transaction takes 5 s on this clock (a disk under load).
    const transaction = Reflect.get(SqliteDatabase.prototype, 'transaction') as (
      durable: boolean,
      fn: () => unknown,
    ) => unknown;
    let slowed = false;
    vi.spyOn(SqliteDatabase.prototype, 'transaction').mockImplementation(function <T>(
      this: SqliteDatabase,
      durable: boolean,
      fn: () => T,
    ): T {
      const result = Reflect.apply(transaction, this, [durable, fn]) as T;
      if (durable && !slowed) {
        slowed = true;
        clock.set(clock.now() + 5000);
      }
      return result;
    });
    const request = ticketRequest();
    expect(await rig.connector.findExistingTicket(request)).toBeNull();
    const queued = await rig.connector.createTicket(request);
    if (!queued.ok) throw new Error(queued.error.message);
    const writtenAt = clock.now();
    await until(() => countRequests(rig!.sim, 'create') > creates);
    // What a restart would find: the send time of the create that left, not 5 s before it
    // (its look-up would come while Oceane may still be making the ticket).
    const line = storedLine(rig, queued.value.instance);
    expect(line?.state).toMatchObject({ phase: 'sending', createAttempts: 1 });
    expect(line?.state.lastSentAt).toBe(writtenAt);
    expect(line?.state.doubtUntil).toBe(writtenAt + TIMEOUT_MS);
    vi.restoreAllMocks();
    await rig.connector.whenIdle();
    expect(rig.sim.ledger()).toHaveLength(2);
    expect(countRequests(rig.sim, 'create')).toBe(creates + 1);
  });

  it('is not sent at once when Oceane was not asked moments ago: stored "look up first", looked up, then created once', async () => {
    rig = await warmRig();
    const queued = await rig.connector.createTicket(ticketRequest());
    if (!queued.ok) throw new Error(queued.error.message);
    expect(storedLine(rig, queued.value.instance)?.state).toMatchObject({
      phase: 'new',
      checkFirst: true,
    });
    await rig.connector.whenIdle();
    expect(rig.sim.ledger()).toHaveLength(2);
    expect(countRequests(rig.sim, 'find')).toBe(2);
  });
});
