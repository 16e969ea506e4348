/**
 * What a request's rows keep for the detail panes (issue 12): every attempt with its time,
 * call and outcome (capped at ATTEMPTS_KEPT, carried across a Retry), and on a Failed Ticket
 * Requests row the alarm's element, IDs, parameter and severity. Real simulator, real files.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ATTEMPTS_KEPT } from '../../shared/schemas.js';
import { FakeClock } from './fake-clock.js';
import { drainWithClock, startRig, ticketRequest, type Rig } from './test-support.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

describe('attempt history and alarm facts on the rows', () => {
  it('a failed request keeps each attempt and its alarm; a Retry adds to the same history', async () => {
    const clock = new FakeClock(Date.now());
    rig = await startRig({ clock, retryCount: 1 });
    rig.sim.inject('create', { kind: 'status', status: 503, code: 5, message: 'Unavailable' }, 2);
    const request = ticketRequest({ parameter: 'Temperature', severity: 'Major' });
    const queued = await rig.connector.createTicket(request);
    expect(queued.ok).toBe(true);
    await drainWithClock(rig);

    const [ticket] = rig.connector.listTickets();
    const [failed] = rig.connector.listFailedRequests();
    expect(ticket).toMatchObject({ status: 'Failed', parameter: 'Temperature', severity: 'Major' });
    const creates = (ticket?.attempts ?? []).filter((a) => a.call === 'create');
    expect(creates).toHaveLength(2);
    expect(creates.every((a) => a.httpStatus === 503 && a.outcome.includes('Unavailable'))).toBe(
      true,
    );
    expect(creates[1]!.at >= creates[0]!.at).toBe(true);
    expect(failed).toMatchObject({
      elementName: request.elementName,
      dmaId: request.dmaId,
      alarmId: request.alarmId,
      parameter: 'Temperature',
      severity: 'Major',
      attempts: ticket?.attempts,
    });

    const retried = await rig.connector.retryTicket(ticket!.instance);
    expect(retried.ok).toBe(true);
    await drainWithClock(rig);
    const [created] = rig.connector.listTickets();
    expect(created?.status).toBe('Created');
    const history = created?.attempts ?? [];
    expect(history.slice(0, ticket!.attempts!.length)).toEqual(ticket!.attempts);
    expect(history.at(-1)?.outcome).toBe(`Created ticket ${created?.ticketId}`);
    expect(history.length).toBeLessThanOrEqual(ATTEMPTS_KEPT);
  });

  it('keeps only the last attempts of a request retried many times', async () => {
    const clock = new FakeClock(Date.now());
    rig = await startRig({ clock, retryCount: 3 });
    rig.sim.inject('create', { kind: 'status', status: 500, code: 1 }, 4 * 6);
    await rig.connector.createTicket(ticketRequest());
    await drainWithClock(rig);
    for (let i = 0; i < 5; i++) {
      const [row] = rig.connector.listTickets();
      expect(row?.status).toBe('Failed');
      expect((await rig.connector.retryTicket(row!.instance)).ok).toBe(true);
      await drainWithClock(rig);
    }
    const [row] = rig.connector.listTickets();
    expect(row?.attempts).toHaveLength(ATTEMPTS_KEPT);
    expect(rig.connector.listFailedRequests().at(-1)?.attempts).toHaveLength(ATTEMPTS_KEPT);
  });
});
