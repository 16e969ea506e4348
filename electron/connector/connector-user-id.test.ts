/** Issue 10: the User ID is one of the seed's credentials, and no ticket goes out without it. */
import { afterEach, describe, expect, it } from 'vitest';
import { countRequests, startRig, ticketRequest, type Rig } from './test-support.js';
import { USER_ID_REQUIRED } from './ticket-preconditions.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

describe('a ticket without a User ID', () => {
  it('is refused with the sentence that leads to Settings, and nothing is queued or sent', async () => {
    rig = await startRig();
    expect((await rig.connector.updateSettings({ api: { userId: '' } })).ok).toBe(true);
    const result = await rig.connector.createTicket(ticketRequest());
    expect(result).toEqual({
      ok: false,
      error: { code: 'not-configured', message: USER_ID_REQUIRED },
    });
    rig.connector.start();
    await rig.connector.whenIdle();
    expect(rig.connector.listTickets()).toEqual([]);
    expect(countRequests(rig.sim, 'create')).toBe(0);
    // The control: with the User ID set again, the same request goes out.
    expect((await rig.connector.updateSettings({ api: { userId: 'noc.operator' } })).ok).toBe(true);
    expect((await rig.connector.createTicket(ticketRequest())).ok).toBe(true);
    await rig.connector.whenIdle();
    expect(countRequests(rig.sim, 'create')).toBe(1);
  });
});
