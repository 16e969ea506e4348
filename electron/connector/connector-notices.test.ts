/**
 * The notices of a ticket name its request (issue 12): the UI keeps one notice per ticket,
 * updated from requested to created or failed, and leads from a failure to its row.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Notice } from '../../shared/domain.js';
import { startRig, ticketRequest, type Rig } from './test-support.js';

const rigs: Rig[] = [];
afterEach(async () => {
  while (rigs.length) await rigs.pop()?.dispose();
});

async function rigWithNotices(): Promise<{ r: Rig; notices: Notice[] }> {
  const r = await startRig({ retryCount: 0 });
  rigs.push(r);
  const notices: Notice[] = [];
  r.connector.on('notice', (n) => notices.push(n));
  return { r, notices };
}

describe("a ticket's notices", () => {
  it('name the request of a created ticket', async () => {
    const { r, notices } = await rigWithNotices();
    const created = await r.connector.createTicket(ticketRequest());
    await r.connector.whenIdle();
    if (!created.ok) throw new Error(created.error.message);
    expect(notices).toEqual([
      expect.objectContaining({
        level: 'success',
        title: 'Ticket created',
        ticketInstance: created.value.instance,
      }),
    ]);
  });

  it('name the request of a failed ticket, whose Failed Ticket Requests row has it too', async () => {
    const { r, notices } = await rigWithNotices();
    r.sim.inject('create', { kind: 'status', status: 400, code: 24 });
    const created = await r.connector.createTicket(ticketRequest());
    await r.connector.whenIdle();
    if (!created.ok) throw new Error(created.error.message);
    const instance = created.value.instance;
    expect(notices).toEqual([
      expect.objectContaining({ level: 'error', ticketInstance: instance }),
    ]);
    expect(r.connector.listFailedRequests()).toEqual([
      expect.objectContaining({ ticketInstance: instance }),
    ]);
  });
});
