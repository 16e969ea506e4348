/**
 * The disk fails after a ticket request went to Oceane (review F1): the outcome cannot be
 * saved, yet Oceane must not get a second ticket, the queue must not spin, and the operator
 * hears of it once. The journals are broken for real: their paths become links to /dev/full
 * (every write ends in ENOSPC), and the descriptors they already hold are swapped for
 * /dev/full too, as if the disk had filled up under them. Linux only, like /dev/full.
 */
import { closeSync, openSync, readdirSync, readlinkSync } from 'node:fs';
import { rename, rm, symlink } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Notice } from '../../shared/domain.js';
import { DATA_FILES } from './connector.js';
import { FakeClock } from './fake-clock.js';
import { countRequests, startRig, ticketRequest, type Rig } from './test-support.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

/** Descriptors of this process open on `file`. */
function descriptorsOf(file: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${name}`) === file) found.push(Number(name));
    } catch {
      // Closed meanwhile (the listing's own descriptor, for one).
    }
  }
  return found;
}

/** Makes every later write to `file` fail with ENOSPC; returns the function that undoes it. */
async function fillDiskUnder(file: string): Promise<() => Promise<void>> {
  await rename(file, `${file}.kept`);
  await symlink('/dev/full', file);
  for (const fd of descriptorsOf(`${file}.kept`)) {
    // Same number, now /dev/full: the owner's next write fails as on a full disk.
    closeSync(fd);
    const replacement = openSync('/dev/full', 'w');
    if (replacement !== fd) {
      closeSync(replacement);
      throw new Error(`could not swap descriptor ${fd} for /dev/full`);
    }
  }
  return async () => {
    await rm(file);
    await rename(`${file}.kept`, file);
  };
}

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
    const restore: (() => Promise<void>)[] = [];
    for (const name of [DATA_FILES.tickets, DATA_FILES.queue]) {
      restore.push(await fillDiskUnder(path.join(rig.dataDir, name)));
    }

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
    for (const undo of restore) await undo();
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
