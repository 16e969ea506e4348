/**
 * How outcomes are recorded (review F9, F10, F11): a Failed ticket always has its Failed
 * Ticket Requests row, a Retry-After holds across a restart and beyond the backoff cap, and
 * an answer that says "created" is never reported as a refusal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Notice, OceaneError } from '../../shared/domain.js';
import { DEMO_CREDENTIALS } from '../oceane-simulator/index.js';
import { failWrites } from '../storage/store-faults.js';
import { failureSentence } from './connector.js';
import { FakeClock } from './fake-clock.js';
import { countRequests, startRig, ticketRequest, type Rig } from './test-support.js';

const rigs: Rig[] = [];
afterEach(async () => {
  while (rigs.length) await rigs.pop()?.dispose();
});

async function rig(options: Parameters<typeof startRig>[0] = {}): Promise<Rig> {
  const r = await startRig(options);
  rigs.push(r);
  return r;
}

function noticesOf(r: Rig): Notice[] {
  const notices: Notice[] = [];
  r.connector.on('notice', (n) => notices.push(n));
  return notices;
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('a Failed ticket keeps its Failed Ticket Requests row (F9)', () => {
  it('the failed row cannot be saved: the ticket stays Pending, and is Failed with its row once the disk is back', async () => {
    const clock = new FakeClock(Date.now());
    const r = await rig({ clock, retryCount: 0 });
    const fault = failWrites(r.dataDir, ['failed_requests']);
    r.sim.inject('create', { kind: 'status', status: 400, code: 24 }, Infinity);
    await r.connector.createTicket(ticketRequest());
    await r.connector.whenQuiet();
    expect(r.connector.listTickets().map((t) => t.status)).toEqual(['Pending']);
    expect(r.connector.listFailedRequests()).toEqual([]);

    // Restarted meanwhile, with the disk back.
    fault.restore();
    const reopened = await r.reopen();
    for (let i = 0; i < 5 && reopened.getQueueStatus().pending.length > 0; i++) {
      await clock.advanceAsync(10 * 60_000);
      await reopened.whenQuiet();
    }
    const [ticket] = reopened.listTickets();
    expect(ticket?.status).toBe('Failed');
    expect(reopened.listFailedRequests()).toEqual([
      expect.objectContaining({ ticketInstance: ticket?.instance }),
    ]);
    expect(r.sim.ledger()).toHaveLength(0);
  });
});

describe('Retry-After (F10)', () => {
  it('holds across a restart', async () => {
    const clock = new FakeClock(Date.now());
    const r = await rig({ clock, retryCount: 1 });
    r.sim.inject('create', { kind: 'status', status: 429, retryAfter: '600' });
    await r.connector.createTicket(ticketRequest());
    await r.connector.whenQuiet();
    const reopened = await r.reopen();
    await reopened.whenQuiet();
    expect(countRequests(r.sim, 'create')).toBe(1);
    expect(reopened.getQueueStatus().pending).toHaveLength(1);
    await clock.advanceAsync(600_000);
    await reopened.whenIdle();
    expect(countRequests(r.sim, 'create')).toBe(2);
    expect(reopened.listTickets()[0]?.status).toBe('Created');
  });

  it('is honoured beyond the ten-minute cap of the backoff', async () => {
    const clock = new FakeClock(Date.now());
    const r = await rig({ clock, retryCount: 1 });
    r.sim.inject('create', { kind: 'status', status: 503, retryAfter: '1200' });
    await r.connector.createTicket(ticketRequest());
    await r.connector.whenQuiet();
    const [pending] = r.connector.getQueueStatus().pending;
    expect(Date.parse(pending?.nextAttemptAt ?? '') - clock.now()).toBe(1_200_000);
    await clock.advanceAsync(1_199_000);
    expect(countRequests(r.sim, 'create')).toBe(1);
    await clock.advanceAsync(1_000);
    await r.connector.whenIdle();
    expect(r.connector.listTickets()[0]?.status).toBe('Created');
  });

  it('beyond a day: Failed at once, with a sentence that says so', async () => {
    const clock = new FakeClock(Date.now());
    const r = await rig({ clock, retryCount: 3 });
    const notices = noticesOf(r);
    r.sim.inject('create', { kind: 'status', status: 503, retryAfter: String(3 * 86_400) });
    await r.connector.createTicket(ticketRequest());
    await r.connector.whenIdle();
    expect(r.connector.listTickets()[0]?.status).toBe('Failed');
    await turn();
    expect(notices.at(-1)?.message).toMatch(
      /^Oceane asked to wait 3 days before the ticket for PAR-CORE-RTR-01 is sent again \(Retry-After\), more than a day/,
    );
  });
});

describe('an answer that says "created" (F11)', () => {
  it('a 201 whose body cannot be used: the alarm is looked up and its ticket adopted', async () => {
    const r = await rig({ retryCount: 0 });
    const request = ticketRequest();
    expect(await r.connector.findExistingTicket(request)).toBeNull();
    // The ticket exists in Oceane (another console made it), and our create gets garbage.
    const other = await rig();
    await other.connector.updateSettings({
      api: { baseUrl: r.sim.url },
      clientSecret: DEMO_CREDENTIALS.clientSecret,
    });
    await other.connector.createTicket(request);
    await other.connector.whenIdle();
    const ticketId = r.sim.ledger()[0]?.id;
    r.sim.inject('create', {
      kind: 'raw',
      status: 201,
      contentType: 'application/json',
      body: '{"id": 12',
    });
    await r.connector.createTicket(request);
    await r.connector.whenIdle();
    expect(r.connector.listTickets()).toEqual([
      expect.objectContaining({ status: 'Created', ticketId }),
    ]);
    expect(r.connector.listFailedRequests()).toEqual([]);
  });

  it('not found by the look-up: Failed, with a sentence saying it probably exists and Retry finds it', async () => {
    const r = await rig({ retryCount: 0 });
    const notices = noticesOf(r);
    r.sim.inject('create', { kind: 'raw', status: 201, contentType: 'text/html', body: '<p>' });
    await r.connector.createTicket(ticketRequest());
    await r.connector.whenIdle();
    await turn();
    const message = notices.at(-1)?.message ?? '';
    expect(message).toMatch(/^Oceane answered that the ticket for PAR-CORE-RTR-01 was created/);
    expect(message).toContain('Retry looks the alarm up in Oceane');
    expect(message).not.toMatch(/refused/);
  });

  it('says who failed: a refusal, Oceane failing, or no answer', () => {
    const error = (httpStatus: number | null): OceaneError => ({
      httpStatus,
      appCode: httpStatus === null ? '' : '5',
      message: 'Problem',
      description: '',
    });
    expect(failureSentence('R1', error(400), 1)).toBe(
      'Oceane refused the ticket for R1: Problem (400, code 5)',
    );
    expect(failureSentence('R1', error(503), 4)).toMatch(
      /^Oceane kept failing after 4 attempts while creating the ticket for R1: Problem \(503, code 5\)\. Retry looks the alarm up first/,
    );
    expect(failureSentence('R1', error(500), 1)).toMatch(/^Oceane failed while creating/);
    expect(failureSentence('R1', error(null), 2)).toBe(
      'The ticket for R1 could not be created after 2 attempts: no usable answer from Oceane (Problem)',
    );
  });
});

describe('the Base URL of a request in doubt (F8)', () => {
  it('a request sent to one server is not sent to another after the Base URL changed; Retry sends it there', async () => {
    const clock = new FakeClock(Date.now());
    const r = await rig({ clock, retryCount: 3 });
    const notices = noticesOf(r);
    const other = await rig();
    r.sim.inject('create', { kind: 'status', status: 503 });
    await r.connector.createTicket(ticketRequest());
    await r.connector.whenQuiet();
    const moved = await r.connector.updateSettings({
      api: { baseUrl: other.sim.url },
      clientSecret: DEMO_CREDENTIALS.clientSecret,
    });
    expect(moved.ok).toBe(true);
    await clock.advanceAsync(10 * 60_000);
    await r.connector.whenIdle();
    const [ticket] = r.connector.listTickets();
    expect(ticket?.status).toBe('Failed');
    expect(other.sim.requests().filter((q) => q.path.includes('troubleTicket'))).toEqual([]);
    await turn();
    expect(notices.at(-1)?.message).toMatch(
      /^The Base URL changed while the ticket for PAR-CORE-RTR-01 was in doubt: it may already exist on http:\/\/127\.0\.0\.1:\d+/,
    );
    expect((await r.connector.retryTicket(ticket?.instance ?? '')).ok).toBe(true);
    await r.connector.whenIdle();
    expect(other.sim.ledger()).toHaveLength(1);
    expect(r.connector.listTickets()[0]).toMatchObject({
      status: 'Created',
      ticketUrl: `${other.sim.url}/ticket/${other.sim.ledger()[0]?.id ?? ''}`,
    });
  });
});
