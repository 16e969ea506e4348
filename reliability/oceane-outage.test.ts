/**
 * Oceane unreachable for a while (issue 5): the simulator is stopped, then started again on
 * the same port with its ledger file. Requests wait in the durable queue and go through when
 * it returns, within their retry budget; a ticket created just before the outage is adopted,
 * not created again. A fake clock moves the retry delays, so the story is deterministic.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../electron/connector/index.js';
import {
  countRequests,
  drainWithClock,
  startRig,
  ticketRequest,
  type Rig,
} from '../electron/connector/test-support.js';
import { startSimulator, type RunningSimulator } from '../electron/oceane-simulator/index.js';

let rig: Rig | undefined;
let revived: RunningSimulator | undefined;
let folder: string | undefined;
afterEach(async () => {
  await revived?.close();
  await rig?.dispose();
  if (folder) await rm(folder, { recursive: true, force: true });
  rig = revived = folder = undefined;
});

/** A rig whose simulator keeps its ledger in a file, so that it can come back. */
async function outageRig(
  retryCount: number,
): Promise<{ rig: Rig; clock: FakeClock; ledgerFile: string }> {
  folder = await mkdtemp(path.join(tmpdir(), 'oceane-outage-'));
  const ledgerFile = path.join(folder, 'ledger.json');
  const clock = new FakeClock();
  rig = await startRig({ clock, retryCount, timeoutMs: 300, simulator: { ledgerFile } });
  return { rig, clock, ledgerFile };
}

/** Delay of the next attempt of the only queued request, in ms from now. */
function nextDelay(r: Rig, clock: FakeClock): number {
  const next = r.connector.getQueueStatus().pending[0]?.nextAttemptAt;
  if (!next) throw new Error('nothing is waiting');
  return Date.parse(next) - clock.now();
}

describe('Oceane unreachable for a while', () => {
  it('keeps the requests queued and sends them when Oceane is back, within the budget', async () => {
    const { rig: r, clock, ledgerFile } = await outageRig(3);
    const before = ticketRequest();
    await r.connector.findExistingTicket(before);
    await r.connector.createTicket(before);
    await r.connector.whenIdle();
    expect(r.sim.ledger()).toHaveLength(1);

    const port = r.sim.port;
    await r.sim.close();
    const first = ticketRequest();
    const second = ticketRequest();
    expect((await r.connector.createTicket(first)).ok).toBe(true);
    expect((await r.connector.createTicket(second)).ok).toBe(true);

    // Attempts 1 and 2 find the door closed; each waits its delay (750 ms, then 1500 ms).
    await r.connector.whenQuiet();
    expect(r.connector.getQueueStatus().pending.map((p) => p.attempts)).toEqual([1, 1]);
    expect(r.connector.getQueueStatus().pending[0]?.lastError).toMatch(/Connection refused/);
    expect(nextDelay(r, clock)).toBe(750);
    await clock.advanceAsync(750);
    await r.connector.whenQuiet();
    expect(r.connector.getQueueStatus().pending.map((p) => p.attempts)).toEqual([2, 2]);
    expect(r.connector.listTickets().map((t) => t.status)).toEqual([
      'Created',
      'Pending',
      'Pending',
    ]);

    revived = await startSimulator({ port, ledgerFile });
    expect(revived.ledger()).toHaveLength(1);
    expect(nextDelay(r, clock)).toBe(1500);
    await clock.advanceAsync(1500);
    await r.connector.whenIdle();

    expect(r.connector.listTickets().map((t) => t.status)).toEqual([
      'Created',
      'Created',
      'Created',
    ]);
    expect(r.connector.listFailedRequests()).toEqual([]);
    const ledger = revived.ledger();
    expect(ledger.map((t) => t.externalIdentifier[0]?.id)).toEqual([
      `123/${before.alarmId}`,
      `123/${first.alarmId}`,
      `123/${second.alarmId}`,
    ]);
    // The revived Oceane does not know the old token: the first call is refused, the token
    // renewed once and the call sent again (no retry spent). Each request is looked up, then
    // created once.
    expect(countRequests(revived, 'token')).toBe(1);
    expect(countRequests(revived, 'find')).toBe(3);
    expect(countRequests(revived, 'create')).toBe(2);
    for (const request of [first, second]) {
      const id = ledger.find((t) => t.externalIdentifier[0]?.id === `123/${request.alarmId}`)?.id;
      expect(r.props.get('123', request.alarmId)['Oceane Ticket ID']).toBe(id);
    }
  });

  it('adopts the ticket whose answer was lost just before the outage', async () => {
    const { rig: r, clock, ledgerFile } = await outageRig(3);
    const request = ticketRequest();
    await r.connector.findExistingTicket(request);
    r.sim.inject('create', { kind: 'ambiguous', mode: 'drop' });
    await r.connector.createTicket(request);
    await r.connector.whenQuiet();
    expect(r.sim.ledger()).toHaveLength(1);
    const port = r.sim.port;
    await r.sim.close();

    // The look-up before resending cannot reach Oceane either.
    await clock.advanceAsync(nextDelay(r, clock));
    await r.connector.whenQuiet();
    expect(r.connector.getQueueStatus().pending[0]).toMatchObject({ attempts: 2 });

    revived = await startSimulator({ port, ledgerFile });
    await clock.advanceAsync(nextDelay(r, clock));
    await r.connector.whenIdle();
    expect(revived.ledger()).toHaveLength(1);
    expect(countRequests(revived, 'create')).toBe(0);
    expect(r.connector.listTickets()[0]).toMatchObject({
      status: 'Created',
      ticketId: revived.ledger()[0]?.id,
    });
  });

  it('fails with the cause named when Oceane stays away beyond the budget; Retry then creates one', async () => {
    const { rig: r, ledgerFile } = await outageRig(1);
    const port = r.sim.port;
    await r.connector.authenticate();
    await r.sim.close();
    const request = ticketRequest();
    await r.connector.createTicket(request);
    // The existing-ticket check cannot reach Oceane: the look-ups' own budget runs out.
    await drainWithClock(r);
    const row = r.connector.listTickets()[0];
    expect(row?.status).toBe('Failed');
    expect(r.connector.listFailedRequests()[0]).toMatchObject({
      httpErrorCode: null,
      appErrorCode: '',
      errorMessage: `Connection refused by 127.0.0.1:${port}`,
      failedCall: 'look-up',
    });

    revived = await startSimulator({ port, ledgerFile });
    expect((await r.connector.retryTicket(row?.instance ?? '')).ok).toBe(true);
    await r.connector.whenIdle();
    expect(r.connector.listTickets()[0]).toMatchObject({ status: 'Created' });
    expect(revived.ledger()).toHaveLength(1);
  });
});
