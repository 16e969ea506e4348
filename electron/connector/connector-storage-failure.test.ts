/**
 * The disk fails after a ticket request went to Oceane (review F1): the outcome cannot be
 * saved, yet Oceane must not get a second ticket, the queue must not spin, and the operator
 * hears of it once. Every write to the tickets and the queue fails inside SQLite (triggers
 * made from a second connection, store-faults.ts), rolled back as a full disk's would be.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Notice } from '../../shared/domain.js';
import { failWrites } from '../storage/store-faults.js';
import { FakeClock } from './fake-clock.js';
import { countRequests, startRig, ticketRequest, type Rig } from './test-support.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

/** Resolves once `check` holds, polling between turns of the event loop. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('storage fails after the request was sent', () => {
  it('tickets and queue unwritable once Oceane created the ticket: one ticket, a bounded number of requests, one notice, adopted once the disk is back', async () => {
    const clock = new FakeClock(Date.now());
    rig = await startRig({ clock, retryCount: 3 });
    const notices: Notice[] = [];
    rig.connector.on('notice', (n) => notices.push(n));
    const request = ticketRequest();
    // The Create Ticket dialog asks first: Oceane has none, so the create goes out at once.
    expect(await rig.connector.findExistingTicket(request)).toBeNull();
    // Oceane creates the ticket, then holds its answer back while the disk fills up.
    rig.sim.inject('create', { kind: 'ambiguous', mode: 'delay', ms: 300 });
    const queued = await rig.connector.createTicket(request);
    expect(queued.ok).toBe(true);
    const sim = rig.sim;
    await until(() => sim.ledger().length === 1);
    const fault = failWrites(rig.dataDir, ['tickets', 'queue']);

    // The answer arrives; nothing can be saved. The queue must come to rest (a bug would keep
    // it sending: stop looking once Oceane has seen far more requests than any retry needs).
    const connector = rig.connector;
    let quiet = false;
    void connector.whenQuiet().then(() => (quiet = true));
    await until(() => quiet || countRequests(sim, 'create') + countRequests(sim, 'find') > 20);

    expect(sim.ledger()).toHaveLength(1);
    expect(countRequests(sim, 'create')).toBe(1);
    expect(countRequests(sim, 'find')).toBeLessThanOrEqual(2);
    expect(quiet).toBe(true);
    // Events leave in batches, once per turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    expect(notices.filter((n) => n.title === 'Storage problem')).toHaveLength(1);
    // The request is still there, waiting, with its attempt counted.
    const [pending] = connector.getQueueStatus().pending;
    expect(pending).toMatchObject({ attempts: 1 });
    expect(pending?.nextAttemptAt).not.toBeNull();

    // Still broken when the pause ends: one more try, no new ticket, no second notice.
    await clock.advanceAsync(10 * 60_000);
    await connector.whenQuiet();
    expect(sim.ledger()).toHaveLength(1);
    expect(countRequests(sim, 'create')).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(notices.filter((n) => n.title === 'Storage problem')).toHaveLength(1);

    // The disk is back: the ticket Oceane created is recorded, never a second one.
    fault.restore();
    for (let i = 0; i < 10 && connector.getQueueStatus().pending.length > 0; i++) {
      await clock.advanceAsync(10 * 60_000);
      await connector.whenQuiet();
    }
    expect(connector.getQueueStatus().pending).toEqual([]);
    expect(sim.ledger()).toHaveLength(1);
    expect(countRequests(sim, 'create')).toBe(1);
    const ticketId = sim.ledger()[0]?.id;
    expect(connector.listTickets()).toEqual([
      expect.objectContaining({ alarmId: request.alarmId, status: 'Created', ticketId }),
    ]);
    expect(rig.props.get(request.dmaId, request.alarmId)['Oceane Ticket ID']).toBe(ticketId);
    const reopened = await rig.reopen();
    await reopened.whenIdle();
    expect(reopened.listTickets()).toEqual([
      expect.objectContaining({ status: 'Created', ticketId }),
    ]);
    expect(sim.ledger()).toHaveLength(1);
  });
});
