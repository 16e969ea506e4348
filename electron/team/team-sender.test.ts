import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alarmKeyString, type CreateTicketRequest } from '../../shared/domain.js';
import { OceaneClient } from '../connector/oceane-client.js';
import { silentLogger, systemClock } from '../connector/ports.js';
import { newRequestState, step } from '../connector/ticket-request-machine.js';
import { pendingRow, type QueueEntry } from '../connector/ticket-rows.js';
import { TokenClient } from '../connector/token-client.js';
import {
  DEMO_CREDENTIALS,
  startSimulator,
  type RunningSimulator,
} from '../oceane-simulator/index.js';
import { TeamConsole, type TeamConsoleOptions } from './team-console.js';
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

const TIMEOUT_MS = 1_000;

async function open(
  url: string,
  name: string,
  secret: string | undefined,
  leaseMs: number,
  fenceTest?: TeamConsoleOptions['fenceTest'],
): Promise<TeamConsole> {
  const options: TeamConsoleOptions = {
    postgres: { connectionString: url },
    where: 'test',
    consoleName: name,
    oceane: {
      baseUrl: sim.url,
      clientId: DEMO_CREDENTIALS.clientId,
      ...(secret === undefined ? {} : { clientSecret: secret }),
      userId: DEMO_CREDENTIALS.userId,
      ticketUrlTemplate: '{base}/ticket/{id}',
    },
    timeoutMs: TIMEOUT_MS,
    leaseMs,
    createRetryCount: 3,
    random: () => 0,
    ...(fenceTest ? { fenceTest } : {}),
  };
  const team = await TeamConsole.open(options);
  consoles.push(team);
  return team;
}

function request(alarmId: string): CreateTicketRequest {
  return {
    dmaId: '44',
    elementId: '1',
    alarmId,
    elementName: `EDGE-${alarmId}`,
    priority: 'High',
    urgency: 'High',
    technicalImpact: 'Major',
  };
}

const until = <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> =>
  readUntil(read, done, 100);

describe('the team sender', () => {
  it('creates the ticket of a request queued by a console without the secret', async () => {
    const url = await server.createDatabase(`sender_${++databases}`);
    const withoutSecret = await open(url, 'viewer', undefined, 2_000);
    const queued = await withoutSecret.createTicket(request('1'));
    expect(queued.ok).toBe(true);
    // Nobody with the secret yet: the request waits, unleased.
    expect(await withoutSecret.sender.turn()).toBe(false);
    expect(await withoutSecret.queue.leases()).toEqual([]);
    await open(url, 'sender', DEMO_CREDENTIALS.clientSecret, 2_000);
    const rows = await until(
      () => withoutSecret.queue.tickets(),
      (r) => r[0]?.status === 'Created',
    );
    expect(rows[0]?.ticketUrl).toBe(`${sim.url}/ticket/${rows[0]?.ticketId}`);
    const again = await withoutSecret.createTicket(request('1'));
    expect(again.ok).toBe(false);
    if (!again.ok) {
      expect(again.error.code).toBe('duplicate');
      expect(again.error.message).toMatch(
        /already asked for this alarm by viewer at .+ \(request /,
      );
    }
  }, 60_000);

  it('marks a ticket Oceane already held, found by the first look-up, as found, not created', async () => {
    const first = await open(
      await server.createDatabase(`sender_${++databases}`),
      'first',
      DEMO_CREDENTIALS.clientSecret,
      2_000,
    );
    expect((await first.createTicket(request('5'))).ok).toBe(true);
    const [created] = await until(
      () => first.queue.tickets(),
      (r) => r[0]?.status === 'Created',
    );
    expect(created?.origin).toBeUndefined();
    const tickets = sim.ledger().length;
    // Another team (a database of its own) asks for the same alarm: Oceane has its ticket.
    const other = await open(
      await server.createDatabase(`sender_${++databases}`),
      'other',
      DEMO_CREDENTIALS.clientSecret,
      2_000,
    );
    expect((await other.createTicket(request('5'))).ok).toBe(true);
    const [found] = await until(
      () => other.queue.tickets(),
      (r) => r[0]?.status === 'Created',
    );
    expect(found).toMatchObject({ ticketId: created?.ticketId, origin: 'found' });
    expect(sim.ledger()).toHaveLength(tickets);
  }, 60_000);

  it('looks a request up, and does not send it again, when taking it over from a console that died after sending', async () => {
    const url = await server.createDatabase(`sender_${++databases}`);
    // The console that dies: it leases the request, saves it as sent, sends it, and stops.
    const dying = await open(url, 'dying', undefined, 1_000);
    const req = request('2');
    const entry: QueueEntry = {
      instance: 'taken-over',
      request: req,
      enqueuedAt: new Date().toISOString(),
      state: newRequestState(false),
    };
    await dying.queue.enqueue(pendingRow(entry.instance, req, entry.enqueuedAt), entry, [
      alarmKeyString(req),
    ]);
    const lease = await dying.queue.lease();
    expect(lease?.entry.instance).toBe('taken-over');
    const context = {
      now: Date.now(),
      baseUrl: sim.url,
      timeoutMs: TIMEOUT_MS,
      createRetryCount: 3,
      jitter: 0,
    };
    const sending = step(entry.state, { type: 'due' }, context).state;
    expect(sending.phase).toBe('sending');
    expect(await dying.queue.persist({ ...entry, state: sending })).toBe(true);
    const tokens = new TokenClient({
      config: () => ({
        baseUrl: sim.url,
        clientId: DEMO_CREDENTIALS.clientId,
        clientSecret: DEMO_CREDENTIALS.clientSecret,
        timeoutMs: TIMEOUT_MS,
      }),
      clock: systemClock,
      logger: silentLogger,
    });
    const created = await new OceaneClient(tokens, systemClock).createTicket(
      { baseUrl: sim.url, userId: DEMO_CREDENTIALS.userId, timeoutMs: TIMEOUT_MS },
      req,
      entry.instance,
    );
    expect(created.ok).toBe(true);
    const sentAt = Date.now();

    const heir = await open(url, 'heir', DEMO_CREDENTIALS.clientSecret, 1_000);
    const rows = await until(
      () => heir.queue.tickets(),
      (r) => r[0]?.status === 'Created',
    );
    // The ticket of the dying console's create (recorded as created here: a create went out).
    expect(rows[0]?.ticketId).toBe(created.ok ? created.ticketId : 'none');
    expect(sim.ledger().filter((t) => t.externalIdentifier[0]?.id === '44/2')).toHaveLength(1);
    // The heir searched, and sent no create of its own.
    const creates = sim
      .requests()
      .filter((r) => r.method === 'POST' && r.requestId === 'taken-over');
    expect(creates).toHaveLength(1);
    const searches = sim
      .requests()
      .filter((r) => r.method === 'GET' && r.path.includes('troubleTicket') && r.at >= sentAt);
    expect(searches.length).toBeGreaterThan(0);
    expect(await heir.queue.pending()).toEqual([]);
  }, 60_000);

  it('creates the ticket of a Failed request retried from another console, once', async () => {
    const url = await server.createDatabase(`sender_${++databases}`);
    const sender = await open(url, 'sender', DEMO_CREDENTIALS.clientSecret, 2_000);
    const other = await open(url, 'other', undefined, 2_000);
    sim.inject('create', { kind: 'status', status: 400 });
    const queued = await sender.createTicket(request('3'));
    expect(queued.ok).toBe(true);
    const instance = queued.ok ? queued.value.instance : '';
    await until(
      () => other.queue.tickets(),
      (r) => r[0]?.status === 'Failed',
    );
    expect(sim.ledger().filter((t) => t.externalIdentifier[0]?.id === '44/3')).toHaveLength(0);

    expect(await other.retryTicket(instance)).toEqual({
      ok: true,
      value: { instance, status: 'Pending' },
    });
    const rows = await until(
      () => other.queue.tickets(),
      (r) => r[0]?.status === 'Created',
    );
    expect(rows.map((r) => r.instance)).toEqual([instance]);
    expect(sim.ledger().filter((t) => t.externalIdentifier[0]?.id === '44/3')).toHaveLength(1);
    const again = await sender.retryTicket(instance);
    expect(again.ok ? 'accepted' : again.error.message).toBe(
      `This request already created ticket ${rows[0]?.ticketId}`,
    );
    const gone = await sender.retryTicket('no-such-request');
    expect(gone.ok ? 'accepted' : gone.error.code).toBe('not-found');
  }, 60_000);

  it('sends no create after a stall past its lease between the mark and the send; another console sends it once', async () => {
    const url = await server.createDatabase(`sender_${++databases}`);
    // The stall: the monotonic clock jumps past the lease between the mark and the send, as
    // it does for a process frozen there (performance.now counts the frozen time).
    let skew = 0;
    let sends = 0;
    const frozen = await open(url, 'frozen', DEMO_CREDENTIALS.clientSecret, 1_000, {
      monotonic: () => performance.now() + skew,
      beforeSend: () => {
        if (sends++ === 0) skew += 60_000;
      },
    });
    const queued = await frozen.createTicket(request('7'));
    expect(queued.ok).toBe(true);
    const instance = queued.ok ? queued.value.instance : '';
    await until(
      async () => frozen.sender.fence.refusals,
      (n) => n === 1,
    );
    const posts = () =>
      sim.requests().filter((r) => r.method === 'POST' && r.requestId === instance).length;
    expect(posts()).toBe(0);
    // Left "may have been sent": the next holder looks it up before sending.
    const [left] = await frozen.queue.pending();
    expect(left?.state.sentBefore).toBe(true);
    await frozen.close();

    const heir = await open(url, 'heir', DEMO_CREDENTIALS.clientSecret, 1_000);
    const rows = await until(
      () => heir.queue.tickets(),
      (r) => r[0]?.status === 'Created',
    );
    expect(rows.map((r) => r.instance)).toEqual([instance]);
    expect(posts()).toBe(1);
    expect(sim.ledger().filter((t) => t.externalIdentifier[0]?.id === '44/7')).toHaveLength(1);
    expect(heir.sender.fence.refusals).toBe(0);
  }, 60_000);
});
