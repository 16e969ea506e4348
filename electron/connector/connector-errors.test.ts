import { afterEach, describe, expect, it } from 'vitest';
import type { FailedRequestRow, Notice } from '../../shared/domain.js';
import type { SimulatorFault } from '../oceane-simulator/index.js';
import { FakeClock } from './fake-clock.js';
import {
  countRequests,
  drainWithClock,
  startRig,
  ticketRequest,
  type Rig,
} from './test-support.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

/** Creates one ticket against a scripted fault and returns the Failed Ticket Requests row. */
async function failOnce(
  fault: SimulatorFault,
  retryCount = 0,
  timeoutMs = 2000,
): Promise<{ failed: FailedRequestRow | undefined; creates: number; notices: Notice[] }> {
  rig = await startRig({ clock: new FakeClock(), retryCount, timeoutMs });
  const notices: Notice[] = [];
  rig.connector.on('notice', (n) => notices.push(n));
  rig.sim.inject('create', fault, Infinity);
  const result = await rig.connector.createTicket(ticketRequest());
  expect(result.ok).toBe(true);
  await drainWithClock(rig);
  const rows = rig.connector.listTickets();
  expect(rows.map((r) => r.status)).toEqual(['Failed']);
  const failed = rig.connector.listFailedRequests();
  expect(failed).toHaveLength(1);
  expect(failed[0]?.ticketInstance).toBe(rows[0]?.instance);
  expect(rig.props.get('123', rows[0]?.alarmId ?? '')).toEqual({});
  return { failed: failed[0], creates: countRequests(rig.sim, 'create'), notices };
}

describe('error mapping to the Failed Ticket Requests table (oceane-api.md section 4)', () => {
  it.each([
    [400, 24, 'Invalid body field', 'severity must be one of Critical, Major'],
    [403, 50, 'Access denied', 'The client may not create tickets'],
    [404, 60, 'Not found', 'No such resource'],
  ])(
    'maps an Orange %i (code %i) at once, without retry',
    async (status, code, message, description) => {
      const { failed, creates, notices } = await failOnce(
        { kind: 'status', status, body: 'orange', code, message, description },
        3,
      );
      expect(failed).toMatchObject({
        httpErrorCode: status,
        appErrorCode: String(code),
        errorMessage: message,
        errorDescription: description,
      });
      expect(Date.parse(failed?.failedAt ?? '')).not.toBeNaN();
      expect(creates).toBe(1);
      expect(notices.at(-1)?.message).toBe(
        `Oceane refused the ticket for PAR-CORE-RTR-01: ${message} (${status}, code ${code}): ${description}`,
      );
    },
  );

  it('maps a TMF630 body: code, reason as message, message as description', async () => {
    const { failed } = await failOnce({
      kind: 'status',
      status: 422,
      body: 'tmf630',
      code: 'TT-422',
      message: 'Unprocessable ticket',
      description: 'priority is not allowed for this ticket type',
    });
    expect(failed).toMatchObject({
      httpErrorCode: 422,
      appErrorCode: 'TT-422',
      errorMessage: 'Unprocessable ticket',
      errorDescription: 'priority is not allowed for this ticket type',
    });
  });

  it("maps a proxy's HTML page: status text and the first 200 characters of the body", async () => {
    const { failed, creates } = await failOnce({ kind: 'status', status: 502, body: 'html' }, 0);
    expect(failed).toMatchObject({
      httpErrorCode: 502,
      appErrorCode: '',
      errorMessage: 'Bad Gateway',
    });
    expect(failed?.errorDescription).toContain('<title>502 Bad Gateway</title>');
    expect(failed?.errorDescription.length).toBeLessThanOrEqual(200);
    expect(creates).toBe(1);
  });

  it('maps a plain-text and an empty body the same way', async () => {
    const text = await failOnce({
      kind: 'status',
      status: 504,
      body: 'text',
      message: 'upstream timed out',
    });
    expect(text.failed).toMatchObject({
      httpErrorCode: 504,
      appErrorCode: '',
      errorMessage: 'Gateway Timeout',
      errorDescription: 'upstream timed out',
    });
    await rig?.dispose();
    rig = undefined;
    const empty = await failOnce({ kind: 'status', status: 500, body: 'empty' });
    expect(empty.failed).toMatchObject({
      httpErrorCode: 500,
      appErrorCode: '',
      errorMessage: 'Internal Server Error',
      errorDescription: '',
    });
  });

  it('maps a dropped connection: no HTTP code, the cause named', async () => {
    const { failed } = await failOnce({ kind: 'drop' });
    expect(failed).toMatchObject({
      httpErrorCode: null,
      appErrorCode: '',
      errorMessage: 'Connection closed before an answer',
    });
  });

  it('maps a time-out: no HTTP code, "Timed out after …"', async () => {
    const { failed } = await failOnce({ kind: 'delay', ms: 3000 }, 0, 300);
    expect(failed).toMatchObject({ httpErrorCode: null, errorMessage: 'Timed out after 0.3 s' });
  });

  it('maps a refused connection: no HTTP code, "Connection refused by host:port"', async () => {
    rig = await startRig({ retryCount: 0, clock: new FakeClock() });
    await rig.connector.authenticate();
    const port = new URL(rig.sim.url).port;
    await rig.sim.close();
    await rig.connector.createTicket(ticketRequest());
    // The existing-ticket check cannot reach Oceane: its own budget of look-ups runs out.
    await drainWithClock(rig);
    expect(rig.connector.listFailedRequests()[0]).toMatchObject({
      httpErrorCode: null,
      appErrorCode: '',
      errorMessage: `Connection refused by 127.0.0.1:${port}`,
      failedCall: 'look-up',
    });
  });

  it('fails after a second 401 in a row (renewed once, not counted as a retry)', async () => {
    const { failed, creates } = await failOnce({ kind: 'expire-token' }, 0);
    expect(failed).toMatchObject({ httpErrorCode: 401, appErrorCode: '42' });
    expect(creates).toBe(2);
  });
});

describe('retries (oceane-api.md section 5)', () => {
  it.each([
    [0, 1],
    [1, 2],
    [3, 4],
  ])('with retry count %i makes %i attempts on a 503', async (retryCount, attempts) => {
    const { failed, creates } = await failOnce({ kind: 'status', status: 503 }, retryCount);
    expect(creates).toBe(attempts);
    expect(failed).toMatchObject({ httpErrorCode: 503, appErrorCode: '5' });
  });

  it('succeeds on the retry after a 503 and a retryable drop', async () => {
    rig = await startRig({ clock: new FakeClock(), retryCount: 3 });
    rig.sim.inject('create', { kind: 'status', status: 503 });
    rig.sim.inject('create', { kind: 'status', status: 429 });
    await rig.connector.createTicket(ticketRequest());
    const jumps = await drainWithClock(rig);
    expect(jumps).toEqual([750, 1500]);
    expect(rig.connector.listTickets()[0]?.status).toBe('Created');
    expect(countRequests(rig.sim, 'create')).toBe(3);
    expect(rig.sim.ledger()).toHaveLength(1);
  });

  it('honours Retry-After in seconds', async () => {
    const clock = new FakeClock();
    rig = await startRig({ clock, retryCount: 1 });
    rig.sim.inject('create', { kind: 'status', status: 429, retryAfter: '120' });
    await rig.connector.createTicket(ticketRequest());
    await rig.connector.whenQuiet();
    const next = rig.connector.getQueueStatus().pending[0]?.nextAttemptAt;
    expect(Date.parse(next ?? '') - clock.now()).toBe(120_000);
    await clock.advanceAsync(119_000);
    await rig.connector.whenQuiet();
    expect(countRequests(rig.sim, 'create')).toBe(1);
    await clock.advanceAsync(1_000);
    await rig.connector.whenIdle();
    expect(countRequests(rig.sim, 'create')).toBe(2);
    expect(rig.connector.listTickets()[0]?.status).toBe('Created');
  });

  it('honours Retry-After as an HTTP date', async () => {
    const clock = new FakeClock();
    rig = await startRig({ clock, retryCount: 1 });
    const date = new Date(clock.now() + 90_000).toUTCString();
    rig.sim.inject('create', { kind: 'status', status: 503, body: 'html', retryAfter: date });
    await rig.connector.createTicket(ticketRequest());
    const jumps = await drainWithClock(rig);
    expect(jumps).toEqual([90_000]);
    expect(countRequests(rig.sim, 'create')).toBe(2);
  });

  it('lets later requests proceed while an earlier one waits for its retry', async () => {
    const clock = new FakeClock();
    rig = await startRig({ clock, retryCount: 1 });
    rig.sim.inject('create', { kind: 'status', status: 503, retryAfter: '60' });
    const first = ticketRequest();
    const second = ticketRequest();
    await rig.connector.createTicket(first);
    await rig.connector.createTicket(second);
    await rig.connector.whenQuiet();
    const byAlarm = new Map(rig.connector.listTickets().map((r) => [r.alarmId, r.status]));
    expect(byAlarm.get(second.alarmId)).toBe('Created');
    expect(byAlarm.get(first.alarmId)).toBe('Pending');
    await drainWithClock(rig);
    expect(rig.connector.listTickets().every((r) => r.status === 'Created')).toBe(true);
  });
});

describe('exactly one ticket when the answer is lost (issue 5)', () => {
  it.each(['drop', 'delay'] as const)(
    'adopts the ticket created by an attempt whose answer was lost (%s)',
    async (mode) => {
      rig = await startRig({ clock: new FakeClock(), retryCount: 2, timeoutMs: 300 });
      rig.sim.inject('create', { kind: 'ambiguous', mode, ms: 5000 });
      const request = ticketRequest();
      await rig.connector.createTicket(request);
      await drainWithClock(rig);
      const ledger = rig.sim.ledger();
      expect(ledger).toHaveLength(1);
      expect(countRequests(rig.sim, 'create')).toBe(1);
      // One look-up before the first create (nobody asked Oceane about the alarm just before),
      // one before sending again: it finds the ticket and adopts it.
      expect(countRequests(rig.sim, 'find')).toBe(2);
      const row = rig.connector.listTickets()[0];
      expect(row).toMatchObject({ status: 'Created', ticketId: ledger[0]?.id });
      expect(rig.props.get('123', request.alarmId)['Oceane Ticket ID']).toBe(ledger[0]?.id);
    },
  );

  it('adopts on Retry after the attempts ran out', async () => {
    rig = await startRig({ clock: new FakeClock(), retryCount: 0, timeoutMs: 300 });
    rig.sim.inject('create', { kind: 'ambiguous', mode: 'drop' });
    await rig.connector.createTicket(ticketRequest());
    await drainWithClock(rig);
    const row = rig.connector.listTickets()[0];
    expect(row?.status).toBe('Failed');
    const retried = await rig.connector.retryTicket(row?.instance ?? '');
    expect(retried).toMatchObject({
      ok: true,
      value: { instance: row?.instance, status: 'Pending' },
    });
    await drainWithClock(rig);
    expect(rig.connector.listTickets()[0]).toMatchObject({
      status: 'Created',
      ticketId: rig.sim.ledger()[0]?.id,
    });
    expect(rig.sim.ledger()).toHaveLength(1);
  });
});

describe('hostile answers from Oceane (issue 5)', () => {
  it.each<[string, SimulatorFault, string]>([
    [
      'a huge body',
      {
        kind: 'raw',
        status: 201,
        contentType: 'application/json',
        body: `{"id":"${'x'.repeat(2_000_000)}"}`,
      },
      'larger than 1 MB',
    ],
    [
      'invalid JSON',
      { kind: 'raw', status: 201, contentType: 'application/json', body: '{"id": "TT-1",' },
      'not valid JSON',
    ],
    [
      'a wrong content type',
      { kind: 'raw', status: 201, contentType: 'text/html', body: '{"id":"TT-1"}' },
      'not JSON',
    ],
    [
      'a non-string id',
      { kind: 'raw', status: 201, contentType: 'application/json', body: '{"id":12345}' },
      'not a string',
    ],
    [
      'an empty id',
      { kind: 'raw', status: 201, contentType: 'application/json', body: '{"id":""}' },
      'empty',
    ],
    [
      'an id with control characters',
      { kind: 'raw', status: 201, contentType: 'application/json', body: '{"id":"TT\\u0000\\n1"}' },
      'control',
    ],
    [
      'a JSON array',
      { kind: 'raw', status: 201, contentType: 'application/json', body: '[]' },
      'not a JSON object',
    ],
  ])('fails cleanly on %s and writes nothing on the alarm', async (_name, fault, problem) => {
    const { failed } = await failOnce(fault, 3);
    expect(failed).toMatchObject({
      httpErrorCode: 201,
      errorMessage: 'Invalid answer from Oceane',
    });
    expect(failed?.errorDescription).toContain(problem);
    expect(countRequests(rig!.sim, 'create')).toBe(1);
  });

  it('encodes a scheme-like id so the ticket URL stays http(s)', async () => {
    rig = await startRig();
    rig.sim.inject('create', {
      kind: 'raw',
      status: 201,
      contentType: 'application/json',
      body: JSON.stringify({ id: 'javascript:alert(1)', href: 'javascript:alert(2)' }),
    });
    const request = ticketRequest();
    await rig.connector.createTicket(request);
    await rig.connector.whenIdle();
    const url = rig.props.get('123', request.alarmId)['Oceane Ticket URL'] ?? '';
    expect(url).toBe(`${rig.sim.url}/ticket/javascript%3Aalert(1)`);
    expect(new URL(url).protocol).toBe('http:');
  });

  it('refuses a ticket URL template that would give a javascript: URL', async () => {
    rig = await startRig();
    const result = await rig.connector.updateSettings({
      api: { ticketUrlTemplate: 'javascript:alert({id})' },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(result.ok ? {} : result.error.fields).toHaveProperty('api.ticketUrlTemplate');
    expect(rig.connector.getSettings().api.ticketUrlTemplate).toBe('{base}/ticket/{id}');
  });
});
