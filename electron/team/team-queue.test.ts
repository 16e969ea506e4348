import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alarmKeyString } from '../../shared/domain.js';
import { newRequestState } from '../connector/ticket-request-machine.js';
import { pendingRow, type QueueEntry } from '../connector/ticket-rows.js';
import { upsertKeyed } from './postgres-keyed.js';
import { PostgresStore } from './postgres-store.js';
import { TEAM_CHANNEL, TeamQueue } from './team-queue.js';
import { startTestPostgres, type TestPostgres } from './test-postgres.js';
import { teamRequest } from './team-test-support.js';

let server: TestPostgres;
let databases = 0;
const stores: PostgresStore[] = [];
beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await server?.stop();
});

/** Two consoles (A and B) on a fresh database; `leaseMs` for both. */
async function team(leaseMs = 60_000): Promise<[TeamQueue, TeamQueue, PostgresStore]> {
  const url = await server.createDatabase(`team_${++databases}`);
  const a = await PostgresStore.connect({ connectionString: url });
  const b = await PostgresStore.connect({ connectionString: url });
  stores.push(a, b);
  return [new TeamQueue(a, 'A', leaseMs), new TeamQueue(b, 'B', leaseMs), a];
}

const request = teamRequest;

function ask(queue: TeamQueue, alarmId: string, instance = `${queue.consoleName}-${alarmId}`) {
  const req = request(alarmId);
  const entry: QueueEntry = {
    instance,
    request: req,
    enqueuedAt: new Date().toISOString(),
    state: newRequestState(true),
  };
  return {
    entry,
    result: queue.enqueue(pendingRow(instance, req, entry.enqueuedAt), entry, [
      alarmKeyString(req),
    ]),
  };
}

describe('one ticket per alarm across consoles', () => {
  it('refuses the second request for an alarm and names the console that asked first', async () => {
    const [a, b] = await team();
    expect(await ask(a, '1').result).toEqual({ ok: true });
    const second = await ask(b, '1').result;
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.holder).toMatchObject({ alarmKey: '7/1', requestKey: 'A-1', console: 'A' });
    expect(Date.parse(second.holder.claimedAt)).not.toBeNaN();
    // Nothing of the refused request was written.
    expect((await b.tickets()).map((t) => t.instance)).toEqual(['A-1']);
    expect((await b.pending()).map((e) => e.instance)).toEqual(['A-1']);
  }, 30_000);

  it('lets exactly one of many simultaneous requests for an alarm through', async () => {
    const [a, b] = await team();
    const results = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) => ask(i % 2 ? a : b, '9', `r${i}`).result),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await a.tickets()).toHaveLength(1);
  }, 30_000);

  it('refuses a group request whole when one of its alarms is claimed', async () => {
    const [a, b] = await team();
    await ask(a, '2').result;
    const req = request('3');
    const entry: QueueEntry = {
      instance: 'group',
      request: req,
      enqueuedAt: 'now',
      state: newRequestState(true),
    };
    const result = await b.enqueue(pendingRow('group', req, 'now'), entry, ['7/3', '7/2', '7/4']);
    expect(result).toMatchObject({ ok: false, holder: { alarmKey: '7/2', console: 'A' } });
    expect(await b.holderOf(['7/3'])).toBeNull();
    expect(await b.holderOf(['7/4'])).toBeNull();
  }, 30_000);

  it('keeps the claim of a Created ticket and releases that of a request failed finally', async () => {
    const [a, b] = await team();
    const created = ask(a, '5');
    await created.result;
    const failed = ask(a, '6');
    await failed.result;
    const row5 = { ...pendingRow('A-5', request('5'), 'now'), status: 'Created' as const };
    await a.settleCreated(created.entry, { ...row5, ticketId: 'T5', ticketUrl: 'https://x/T5' });
    const row6 = { ...pendingRow('A-6', request('6'), 'now'), status: 'Failed' as const };
    await a.settleFailed(failed.entry, row6, {
      instance: 'f6',
      ticketInstance: 'A-6',
      httpErrorCode: 400,
      appErrorCode: '',
      errorMessage: 'Bad request',
      errorDescription: '',
      failedAt: 'now',
    });
    expect(await b.pending()).toEqual([]);
    expect((await ask(b, '5').result).ok).toBe(false);
    expect(await ask(b, '6').result).toEqual({ ok: true });
    expect((await b.alarmProperties()).get('7/5')).toEqual({
      'Oceane Ticket ID': 'T5',
      'Oceane Ticket URL': 'https://x/T5',
    });
    expect((await b.failedRequests()).map((f) => f.ticketInstance)).toEqual(['A-6']);
  }, 30_000);
});

describe('a ticket recorded', () => {
  it("keeps the alarm's other properties, sets its ticket's, and announces the change", async () => {
    const [a, b, store] = await team();
    const heard: string[] = [];
    await new Promise<void>((resolve) =>
      store.listen(
        TEAM_CHANNEL,
        (p) => heard.push(p),
        (up) => up && resolve(),
      ),
    );
    await store.run(
      upsertKeyed(store.builder, 'alarm_properties', '7/8', {
        Owner: 'NOC',
        'Oceane Ticket ID': 'OLD',
      }),
    );
    const asked = ask(a, '8');
    await asked.result;
    await b.settleCreated(asked.entry, {
      ...pendingRow('A-8', request('8'), 'now'),
      status: 'Created',
      ticketId: 'T8',
      ticketUrl: 'https://x/T8',
    });
    expect((await a.alarmProperties()).get('7/8')).toEqual({
      Owner: 'NOC',
      'Oceane Ticket ID': 'T8',
      'Oceane Ticket URL': 'https://x/T8',
    });
    expect((await a.tickets()).map((t) => [t.instance, t.status, t.ticketId])).toEqual([
      ['A-8', 'Created', 'T8'],
    ]);
    expect(await a.pending()).toEqual([]);
    expect(await a.holderOf(['7/8'])).toMatchObject({ requestKey: 'A-8' });
    while (!heard.includes('tickets')) await new Promise((r) => setTimeout(r, 20));
    expect(heard).toEqual(['queued', 'tickets']);
  }, 30_000);
});

describe('one queue leased by the team', () => {
  it('gives each request to one console at a time, oldest first', async () => {
    const [a, b] = await team();
    await ask(a, '1').result;
    await ask(b, '2').result;
    const [first, second, third] = await Promise.all([a.lease(), b.lease(), a.lease()]);
    const leased = [first, second, third].filter((l) => l !== null);
    expect(leased.map((l) => l.entry.instance).sort()).toEqual(['A-1', 'B-2']);
    expect(leased.every((l) => !l.takenOver)).toBe(true);
    const status = await b.status();
    expect(status.locked).toBe(true);
    expect(status.lockedBy).toMatch(/^(A|B) \(request A-1\)$/);
    expect(status.pending.map((p) => p.instance)).toEqual(['A-1', 'B-2']);
  }, 30_000);

  it('hands the request of a console whose lease ran out to another, said taken over', async () => {
    const [a, b] = await team(1_500);
    const { entry, result } = ask(a, '1');
    await result;
    expect((await a.lease())?.entry.instance).toBe(entry.instance);
    expect(await b.lease()).toBeNull(); // held
    let taken = await b.lease();
    while (taken === null) {
      await new Promise((r) => setTimeout(r, 100));
      taken = await b.lease();
    }
    expect(taken).toMatchObject({ takenOver: true, previousOwner: 'A' });
    // A lost it: its writes are refused, B's are not.
    expect(await a.persist(entry)).toBe(false);
    expect(await a.renew(entry.instance)).toBe(false);
    expect(await b.persist(taken.entry)).toBe(true);
    expect(await b.renew(entry.instance)).toBe(true);
  }, 30_000);

  it('refuses a final failure of a console whose lease ran out while another holds the request', async () => {
    const [a, b] = await team(1_000);
    const { entry, result } = ask(a, '4');
    await result;
    expect((await a.lease())?.entry.instance).toBe(entry.instance);
    let taken = await b.lease();
    while (taken === null) {
      await new Promise((r) => setTimeout(r, 100));
      taken = await b.lease();
    }
    const failedRow = {
      ...pendingRow(entry.instance, request('4'), 'now'),
      status: 'Failed' as const,
    };
    const failure = {
      instance: 'f4',
      ticketInstance: entry.instance,
      httpErrorCode: 400,
      appErrorCode: '',
      errorMessage: 'Bad request',
      errorDescription: '',
      failedAt: 'now',
    };
    // B may be sending the create now: A's failure is not final, nothing of it is written.
    expect(await a.settleFailed(entry, failedRow, failure)).toBe(false);
    expect((await b.pending()).map((e) => e.instance)).toEqual([entry.instance]);
    expect((await b.tickets()).map((t) => t.status)).toEqual(['Pending']);
    expect(await b.failedRequests()).toEqual([]);
    expect((await ask(b, '4', 'again').result).ok).toBe(false); // the claim holds
    // B's create succeeded: a late failure of A does not turn the Created row Failed.
    const created = {
      ...failedRow,
      status: 'Created' as const,
      ticketId: 'T4',
      ticketUrl: 'https://x/T4',
    };
    await b.settleCreated(taken.entry, created);
    expect(await a.settleFailed(entry, failedRow, failure)).toBe(false);
    expect((await b.tickets()).map((t) => t.status)).toEqual(['Created']);
    expect((await ask(b, '4', 'again').result).ok).toBe(false);
  }, 30_000);

  it('keeps a released request until its wait is over, then any console takes it', async () => {
    const [a, b] = await team();
    const { entry, result } = ask(a, '1');
    await result;
    await a.lease();
    await a.release(entry, 1_500);
    expect(await b.lease()).toBeNull();
    let taken = await b.lease();
    while (taken === null) {
      await new Promise((r) => setTimeout(r, 100));
      taken = await b.lease();
    }
    // Released cleanly: not a take-over.
    expect(taken).toMatchObject({ takenOver: false, previousOwner: null });
  }, 30_000);

  it('announces each change to the consoles listening', async () => {
    const [a, , store] = await team();
    const heard: string[] = [];
    await new Promise<void>((resolve) =>
      store.listen(
        TEAM_CHANNEL,
        (p) => heard.push(p),
        (up) => up && resolve(),
      ),
    );
    await ask(a, '1').result;
    while (heard.length === 0) await new Promise((r) => setTimeout(r, 20));
    expect(heard).toEqual(['queued']);
  }, 30_000);
});
