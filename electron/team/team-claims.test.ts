import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRequestState } from '../connector/ticket-request-machine.js';
import { pendingRow, type QueueEntry } from '../connector/ticket-rows.js';
import { PostgresStore } from './postgres-store.js';
import { claimKeys } from './team-claims.js';
import { TeamQueue } from './team-queue.js';
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

/** Two consoles (A and B) on a fresh database. */
async function team(): Promise<[TeamQueue, TeamQueue, PostgresStore]> {
  const url = await server.createDatabase(`claims_${++databases}`);
  const a = await PostgresStore.connect({ connectionString: url });
  const b = await PostgresStore.connect({ connectionString: url });
  stores.push(a, b);
  return [new TeamQueue(a, 'A', 60_000), new TeamQueue(b, 'B', 60_000), a];
}

const request = teamRequest;

/** Queues a request of `queue`'s console for the alarm (and a group's others). */
async function ask(queue: TeamQueue, alarmId: string, instance: string, others: string[] = []) {
  const req = request(alarmId, others);
  const entry: QueueEntry = {
    instance,
    request: req,
    enqueuedAt: new Date().toISOString(),
    state: newRequestState(true),
  };
  const row = pendingRow(instance, req, entry.enqueuedAt);
  const result = await queue.enqueue(row, entry, claimKeys(row));
  return { entry, row, result };
}

async function failFinally(queue: TeamQueue, asked: Awaited<ReturnType<typeof ask>>) {
  await queue.settleFailed(
    asked.entry,
    { ...asked.row, status: 'Failed' },
    {
      instance: `f-${asked.entry.instance}`,
      ticketInstance: asked.entry.instance,
      httpErrorCode: 400,
      appErrorCode: '',
      errorMessage: 'Bad request',
      errorDescription: '',
      failedAt: new Date().toISOString(),
    },
  );
}

async function createIt(queue: TeamQueue, asked: Awaited<ReturnType<typeof ask>>, id: string) {
  await queue.settleCreated(asked.entry, {
    ...asked.row,
    status: 'Created',
    ticketId: id,
    ticketUrl: `https://x/${id}`,
  });
}

describe('the Retry of a Failed request in team mode', () => {
  it('queues it again under a new claim of the console that retried, looked up first', async () => {
    const [a, b] = await team();
    const asked = await ask(a, '1', 'r1');
    await failFinally(a, asked);
    expect(await a.holderOf(['7/1'])).toBeNull();

    const retried = await b.retryFailed('r1', 'B');
    expect(retried.ok).toBe(true);
    expect(await a.holderOf(['7/1'])).toMatchObject({ requestKey: 'r1', console: 'B' });
    expect((await a.tickets()).map((t) => [t.instance, t.status])).toEqual([['r1', 'Pending']]);
    const [entry] = await a.pending();
    expect(entry?.instance).toBe('r1');
    expect(entry?.request).toEqual(asked.entry.request);
    // The failed attempts may have created it: a look-up before any create.
    expect(entry?.state.phase).toBe('maybe-sent');
    expect((await a.lease())?.entry.instance).toBe('r1');
    // Once is enough: the row is Pending now.
    const again = await a.retryFailed('r1');
    expect(again).toMatchObject({ ok: false, reason: 'not-failed', row: { status: 'Pending' } });
    // The failure stays in the Failed Ticket Requests table.
    expect((await a.failedRequests()).map((f) => f.ticketInstance)).toEqual(['r1']);
  }, 30_000);

  it('refuses it, writing nothing, when another request holds the alarm now', async () => {
    const [a, b] = await team();
    await failFinally(a, await ask(a, '2', 'old'));
    expect((await ask(b, '2', 'new')).result).toEqual({ ok: true });
    const refused = await a.retryFailed('old');
    expect(refused).toMatchObject({
      ok: false,
      reason: 'claimed',
      holder: { alarmKey: '7/2', requestKey: 'new', console: 'B' },
    });
    const rows = await a.tickets();
    expect(rows.find((r) => r.instance === 'old')?.status).toBe('Failed');
    expect((await a.pending()).map((e) => e.instance)).toEqual(['new']);
  }, 30_000);

  it('claims every alarm of a group, and is refused whole when one of them is taken', async () => {
    const [a, b] = await team();
    await failFinally(a, await ask(a, '3', 'group', ['30', '31']));
    const single = await ask(b, '31', 'single');
    expect(single.result).toEqual({ ok: true });
    expect(await a.retryFailed('group')).toMatchObject({
      reason: 'claimed',
      holder: { alarmKey: '7/31' },
    });
    expect(await a.holderOf(['7/3', '7/30'])).toBeNull();
    // Once the single request has failed in turn, the group may be retried.
    await failFinally(b, single);
    expect((await a.retryFailed('group')).ok).toBe(true);
    expect(await b.holderOf(['7/30'])).toMatchObject({ requestKey: 'group', console: 'A' });
    expect(await b.holderOf(['7/31'])).toMatchObject({ requestKey: 'group' });
  }, 30_000);

  it("lets a group take the claim of an alarm included with its ticket, never an open request's", async () => {
    const [a, b] = await team();
    await createIt(a, await ask(a, '40', 'c40'), 'T40');
    await ask(a, '41', 'p41');
    const including = async (instance: string, alarmId: string, included: string) => {
      const req = request(alarmId, [included]);
      req.otherAlarms = req.otherAlarms?.map((o) => ({ ...o, includeTicketed: true }));
      const entry: QueueEntry = {
        instance,
        request: req,
        enqueuedAt: new Date().toISOString(),
        state: newRequestState(true),
      };
      const row = pendingRow(instance, req, entry.enqueuedAt);
      return b.enqueue(row, entry, claimKeys(row));
    };
    // Included with its Created ticket: the claim passes to the group.
    expect(await including('g42', '42', '40')).toEqual({ ok: true });
    expect(await a.holderOf(['7/40'])).toMatchObject({ requestKey: 'g42', console: 'B' });
    expect(await a.holderOf(['7/42'])).toMatchObject({ requestKey: 'g42' });
    // Included while an open request holds it: refused whole, naming that request.
    expect(await including('g43', '43', '41')).toMatchObject({
      ok: false,
      holder: { alarmKey: '7/41', requestKey: 'p41', console: 'A' },
    });
    expect(await a.holderOf(['7/43'])).toBeNull();
    expect(await a.holderOf(['7/41'])).toMatchObject({ requestKey: 'p41' });
  }, 30_000);

  it('lets exactly one of two consoles retrying at once through', async () => {
    const [a, b] = await team();
    await failFinally(a, await ask(a, '4', 'r4'));
    const both = await Promise.all([a.retryFailed('r4'), b.retryFailed('r4')]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(await a.pending()).toHaveLength(1);
  }, 30_000);

  it('says a request that is not there was not found', async () => {
    const [a] = await team();
    expect(await a.retryFailed('nothing')).toEqual({ ok: false, reason: 'not-found' });
  }, 30_000);
});

describe('releasing claims', () => {
  it("releases a Created ticket's claim when the ticket is closed, and never an open request's", async () => {
    const [a, b] = await team();
    const created = await ask(a, '5', 'c5');
    await createIt(a, created, 'T5');
    await ask(a, '6', 'p6');
    expect((await ask(b, '5', 'n5')).result.ok).toBe(false);

    expect(await b.releaseClaims('T5')).toBe(1);
    expect((await ask(b, '5', 'n5')).result).toEqual({ ok: true });
    // A Pending row has no ticket ID: nothing released by an empty or unknown one.
    expect(await b.releaseClaims('')).toBe(0);
    expect(await b.releaseClaims('T-unknown')).toBe(0);
    expect(await a.holderOf(['7/6'])).toMatchObject({ requestKey: 'p6' });
    // The ticket's row stays (it is history); releasing again finds nothing.
    expect((await a.tickets()).find((t) => t.instance === 'c5')?.status).toBe('Created');
    expect(await b.releaseClaims('T5')).toBe(0);
  }, 30_000);

  it('releases the claims of rows removed by retention, keeping queued requests', async () => {
    const [a, b, store] = await team();
    await createIt(a, await ask(a, '7', 'c7'), 'T7');
    await ask(a, '8', 'p8');
    expect(await b.pruneTickets(['c7', 'p8'])).toEqual(['c7']);
    expect((await a.tickets()).map((t) => t.instance)).toEqual(['p8']);
    expect(await a.holderOf(['7/7'])).toBeNull();
    expect(await a.holderOf(['7/8'])).toMatchObject({ requestKey: 'p8' });
    expect((await ask(b, '7', 'n7')).result).toEqual({ ok: true });

    // A row removed by other means leaves its claim behind: the next prune releases it.
    await createIt(a, await ask(a, '9', 'c9'), 'T9');
    await store.raw('DELETE FROM tickets WHERE key = $1', ['c9']);
    expect((await ask(b, '9', 'n9')).result.ok).toBe(false);
    expect(await b.pruneTickets([])).toEqual([]);
    expect((await ask(b, '9', 'n9')).result).toEqual({ ok: true });
  }, 30_000);
});
