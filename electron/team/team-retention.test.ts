import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueuedChange } from '../connector/life-store.js';
import { silentLogger } from '../connector/ports.js';
import { newRequestState } from '../connector/ticket-request-machine.js';
import { pendingRow, type QueueEntry } from '../connector/ticket-rows.js';
import { PostgresStore } from './postgres-store.js';
import { claimKeys, TEAM_CHANNEL } from './team-claims.js';
import { TeamLifeStore } from './team-life-store.js';
import { TeamQueue } from './team-queue.js';
import { pruneTeamTables, RETENTION_LOCK, TeamRetention } from './team-retention.js';
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

const DAY_MS = 24 * 60 * 60 * 1000;
const LIMITS = { durationDays: 90, countLimit: 1000 };

/** Two consoles' stores and A's queue on a fresh database. */
async function team(): Promise<{ a: PostgresStore; b: PostgresStore; queue: TeamQueue }> {
  const url = await server.createDatabase(`retention_${++databases}`);
  const a = await PostgresStore.connect({ connectionString: url });
  const b = await PostgresStore.connect({ connectionString: url });
  stores.push(a, b);
  return { a, b, queue: new TeamQueue(a, 'A', 60_000) };
}

const request = teamRequest;

/** A request asked `daysAgo` days ago, left Pending, Created or Failed. */
async function row(
  queue: TeamQueue,
  instance: string,
  alarmId: string,
  daysAgo: number,
  end: 'Pending' | 'Created' | 'Failed',
  others: string[] = [],
): Promise<void> {
  const req = request(alarmId, others);
  const at = new Date(Date.now() - daysAgo * DAY_MS).toISOString();
  const entry: QueueEntry = {
    instance,
    request: req,
    enqueuedAt: at,
    state: newRequestState(true),
  };
  const pending = pendingRow(instance, req, at);
  expect(await queue.enqueue(pending, entry, claimKeys(pending))).toEqual({ ok: true });
  if (end === 'Created') {
    await queue.settleCreated(entry, {
      ...pending,
      status: 'Created',
      ticketId: `T-${instance}`,
      ticketUrl: `https://x/${instance}`,
    });
  } else if (end === 'Failed') {
    await queue.settleFailed(
      entry,
      { ...pending, status: 'Failed' },
      {
        instance: `f-${instance}`,
        ticketInstance: instance,
        httpErrorCode: 400,
        appErrorCode: '',
        errorMessage: 'Bad request',
        errorDescription: '',
        failedAt: at,
      },
    );
  }
}

const instances = async (queue: TeamQueue) => (await queue.tickets()).map((t) => t.instance);
const failures = async (queue: TeamQueue) =>
  (await queue.failedRequests()).map((f) => f.ticketInstance);

describe("retention of the team's tables", () => {
  it('removes rows older than the duration, never an open request, and frees their alarms', async () => {
    const { a, queue } = await team();
    await row(queue, 'old-created', '1', 100, 'Created', ['10', '11']);
    await row(queue, 'old-failed', '2', 100, 'Failed');
    await row(queue, 'old-pending', '3', 100, 'Pending');
    await row(queue, 'new-created', '4', 1, 'Created');
    await row(queue, 'new-failed', '5', 1, 'Failed');

    const pruned = await pruneTeamTables(a, LIMITS, Date.now());
    expect(pruned).toEqual({ tickets: 2, failed: 1, claims: 3, followed: 0 });
    expect(await instances(queue)).toEqual(['old-pending', 'new-created', 'new-failed']);
    expect(await failures(queue)).toEqual(['new-failed']);
    // The pruned group ticket's three alarms are free; the open request's and the new
    // ticket's stay held.
    expect(await queue.holderOf(['7/1', '7/10', '7/11'])).toBeNull();
    expect(await queue.holderOf(['7/3'])).toMatchObject({ requestKey: 'old-pending' });
    expect(await queue.holderOf(['7/4'])).toMatchObject({ requestKey: 'new-created' });
    // Nothing left to do: a second pass removes nothing.
    expect(await pruneTeamTables(a, LIMITS, Date.now())).toEqual({
      tickets: 0,
      failed: 0,
      claims: 0,
      followed: 0,
    });
  }, 30_000);

  it('keeps at most the count limit, the oldest removed first, open requests kept', async () => {
    const { a, queue } = await team();
    await row(queue, 'p0', '0', 5, 'Pending');
    await row(queue, 'f1', '1', 5, 'Failed');
    await row(queue, 'f2', '2', 5, 'Failed');
    for (let i = 3; i <= 5; i++) await row(queue, `c${i}`, `${i}`, 4, 'Created');

    const pruned = await pruneTeamTables(a, { durationDays: 90, countLimit: 3 }, Date.now());
    // Six Tickets rows: the three oldest that may go (not p0); two failures are within it.
    expect(pruned).toEqual({ tickets: 3, failed: 0, claims: 1, followed: 0 });
    expect(await instances(queue)).toEqual(['p0', 'c4', 'c5']);
    const fewer = await pruneTeamTables(a, { durationDays: 90, countLimit: 1 }, Date.now());
    expect(fewer).toEqual({ tickets: 2, failed: 1, claims: 2, followed: 0 });
    expect(await instances(queue)).toEqual(['p0']);
    expect(await failures(queue)).toEqual(['f2']);
  }, 30_000);

  it("takes a removed ticket's life with it, never a change on its way", async () => {
    const { a, queue } = await team();
    const life = new TeamLifeStore(a, 'A', 60_000);
    await row(queue, 'old-a', '1', 100, 'Created');
    await row(queue, 'old-b', '2', 100, 'Created');
    await row(queue, 'new-c', '3', 1, 'Created');
    await row(queue, 'old-e', '5', 100, 'Created');
    await row(queue, 'new-e', '6', 1, 'Created');
    // A newer row of the same ticket (found again for another request): its life stays.
    await a.raw(`UPDATE tickets SET ticket_id = 'T-old-e' WHERE key = 'new-e'`);
    const at = new Date().toISOString();
    for (const id of ['T-old-a', 'T-old-b', 'T-new-c', 'T-old-e', 'T-gone']) {
      await life.follow(id, at);
      await a.raw(
        `INSERT INTO ticket_history (key, seq, ticket_id, at, data) VALUES ($1, 1, $2, $3, '{}')`,
        [`h-${id}`, id, at],
      );
    }
    const change = (id: string, ticketId: string, failed: boolean): QueuedChange => ({
      id,
      ticketId,
      queuedAt: at,
      kind: 'note',
      note: { id, author: 'oper1', date: at, text: id },
      state: { attempts: 1, maybeSent: false, nextAt: 0, lastError: null, failed },
    });
    expect(await life.enqueue(change('finished', 'T-old-a', true))).toBe(true);
    expect(await life.enqueue(change('on-its-way', 'T-old-b', false))).toBe(true);
    const lives = async () =>
      (await a.raw<{ ticket_id: string }>('SELECT ticket_id FROM followed_tickets ORDER BY 1')).map(
        (r) => r.ticket_id,
      );
    const histories = async () =>
      (await a.raw<{ ticket_id: string }>('SELECT ticket_id FROM ticket_history ORDER BY 1')).map(
        (r) => r.ticket_id,
      );

    const pruned = await pruneTeamTables(a, LIMITS, Date.now());
    expect(pruned).toEqual({ tickets: 2, failed: 0, claims: 2, followed: 1 });
    // old-b stays while its note is on its way; T-old-e is still named by new-e.
    expect(await instances(queue)).toEqual(['old-b', 'new-c', 'new-e']);
    expect(await lives()).toEqual(['T-gone', 'T-new-c', 'T-old-b', 'T-old-e']);
    expect(await histories()).toEqual(['T-gone', 'T-new-c', 'T-old-b', 'T-old-e']);
    expect((await life.changes()).map((c) => c.id)).toEqual(['on-its-way']);

    // The note sent (settled): the row and its life go at the next pass; the sweep also
    // takes the life of a ticket no row names any more.
    await a.raw(`DELETE FROM change_queue WHERE key = 'on-its-way'`);
    const next = await pruneTeamTables(a, LIMITS, Date.now(), true);
    expect(next).toEqual({ tickets: 1, failed: 0, claims: 1, followed: 2 });
    expect(await instances(queue)).toEqual(['new-c', 'new-e']);
    expect(await lives()).toEqual(['T-new-c', 'T-old-e']);
    expect(await histories()).toEqual(['T-new-c', 'T-old-e']);
  }, 30_000);

  it('lets one console prune while another does, and tells every console', async () => {
    const { a, b, queue } = await team();
    for (let i = 1; i <= 6; i++) await row(queue, `c${i}`, `${i}`, 200, 'Created');
    const heard: string[] = [];
    await new Promise<void>((resolve) =>
      b.listen(
        TEAM_CHANNEL,
        (p) => heard.push(p),
        () => resolve(),
      ),
    );

    // While B holds the retention lock, A's pass steps aside and removes nothing.
    const aside = await b.transaction(async (tx) => {
      await tx.raw('SELECT pg_advisory_xact_lock($1)', [RETENTION_LOCK]);
      return pruneTeamTables(a, LIMITS, Date.now());
    });
    expect(aside).toBeNull();
    expect(await instances(queue)).toHaveLength(6);

    // At once: between them, every old row goes once, and nothing fails.
    const both = await Promise.all([
      pruneTeamTables(a, LIMITS, Date.now()),
      pruneTeamTables(b, LIMITS, Date.now()),
    ]);
    const removed = both.reduce((n, p) => n + (p?.tickets ?? 0), 0);
    expect(removed).toBe(6);
    expect(await instances(queue)).toEqual([]);
    await until(() => heard.includes('tickets'));
  }, 30_000);

  it('prunes at start and when asked (after each settle), with the limits of the moment', async () => {
    const { a, queue } = await team();
    await row(queue, 'c1', '1', 2, 'Created');
    await row(queue, 'c2', '2', 1, 'Created');
    let countLimit = 1;
    const retention = new TeamRetention(a, () => ({ durationDays: 90, countLimit }), silentLogger);
    retention.start();
    await retention.idle();
    expect(await instances(queue)).toEqual(['c2']);
    // The limits are read at each pass.
    countLimit = 2;
    await row(queue, 'c3', '3', 0, 'Created');
    await row(queue, 'c4', '4', 0, 'Created');
    retention.soon();
    retention.soon();
    await retention.idle();
    expect(await instances(queue)).toEqual(['c3', 'c4']);
    await retention.stop();
    retention.soon();
    await retention.idle();
    await row(queue, 'c5', '5', 0, 'Created');
    expect(await instances(queue)).toEqual(['c3', 'c4', 'c5']);
  }, 30_000);
});

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !done(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(done()).toBe(true);
}
