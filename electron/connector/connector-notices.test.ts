/**
 * The notices of a ticket name its request (issue 12): the UI keeps one notice per ticket,
 * updated from requested to created or failed, and leads from a failure to its row. Then the
 * sentences of a failure and the storage pause, function by function.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Notice, OceaneError } from '../../shared/domain.js';
import {
  ConnectorNotices,
  StoragePause,
  errorText,
  failureSentence,
  settledFailureSentence,
  shortError,
  storeStartNotices,
} from './connector-notices.js';
import type { EventBatcher } from './event-batcher.js';
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

describe('the sentences of a failure', () => {
  const error = (httpStatus: number | null, appCode = '', description = ''): OceaneError => ({
    httpStatus,
    appCode,
    message: 'Msg',
    description,
  });

  it('writes an error on one line: status, message, code, each when present', () => {
    expect(shortError(error(503, '5'))).toBe('503 Msg (code 5)');
    expect(shortError(error(null))).toBe('Msg');
    expect(errorText(new Error('boom'))).toBe('boom');
    expect(errorText('plain')).toBe('plain');
  });

  it('says who failed: no answer, Oceane failing (5xx), refusing (4xx), or an odd answer', () => {
    expect(failureSentence('SW-1', error(null), 1)).toBe(
      'The ticket for SW-1 could not be created: no usable answer from Oceane (Msg)',
    );
    expect(failureSentence('SW-1', error(500, '7', 'db'), 1)).toBe(
      'Oceane failed while creating the ticket for SW-1: Msg (500, code 7): db. Retry looks the alarm up first, in case Oceane created it anyway.',
    );
    expect(failureSentence('SW-1', error(503), 3)).toMatch(
      /^Oceane kept failing after 3 attempts while creating the ticket for SW-1: Msg \(503\)\. /,
    );
    expect(failureSentence('SW-1', error(400, '24', 'x'.repeat(400)), 2)).toBe(
      `Oceane refused the ticket for SW-1 after 2 attempts: Msg (400, code 24): ${'x'.repeat(300)}`,
    );
    expect(failureSentence('SW-1', error(499), 1)).toBe(
      'Oceane refused the ticket for SW-1: Msg (499)',
    );
    expect(failureSentence('SW-1', error(302), 1)).toBe(
      'Oceane gave an answer that cannot be used for the ticket for SW-1: Msg (302)',
    );
  });

  it('says how long Oceane asked to wait, in hours or from two days in days', () => {
    const wait = (retryAfterMs: number, stage: 'create' | 'lookup' = 'create') =>
      settledFailureSentence(
        'SW-1',
        { stage, reason: 'retry-after-too-long', error: error(429), inDoubt: false, retryAfterMs },
        1,
        'https://b',
      );
    expect(wait(30 * 3_600_000)).toMatch(/wait 30 hours before the ticket for SW-1 is sent again/);
    expect(wait(47 * 3_600_000, 'lookup')).toMatch(/wait 47 hours before .* is looked up again/);
    expect(wait(48 * 3_600_000)).toMatch(/wait 2 days before/);
    expect(wait(100 * 3_600_000)).toMatch(/wait 4 days before/);
  });

  it('names the servers of a Base URL change, the old one unknown or not', () => {
    const changed = (sentTo?: string) =>
      settledFailureSentence(
        'SW-1',
        {
          stage: 'create',
          reason: 'base-url-changed',
          error: error(null),
          inDoubt: true,
          ...(sentTo ? { sentTo } : {}),
        },
        1,
        'https://b',
      );
    expect(changed('https://a')).toMatch(
      /exist on https:\/\/a, so it was not sent to https:\/\/b\. Check https:\/\/a /,
    );
    expect(changed()).toMatch(/exist on the old server, .* Check the old server /);
  });

  it('tells a spent look-up budget apart by whether a create may have gone out', () => {
    const spent = (inDoubt: boolean) =>
      settledFailureSentence(
        'SW-1',
        { stage: 'lookup', reason: 'lookups-exhausted', error: error(503, '5'), inDoubt },
        1,
        'https://b',
      );
    expect(spent(true)).toBe(
      'The look-up of the alarm in Oceane failed, so the ticket for SW-1 was not sent: 503 Msg (code 5). An earlier create may have reached Oceane: Retry looks the alarm up first.',
    );
    expect(spent(false)).toMatch(/: 503 Msg \(code 5\)\. No ticket was sent; use Retry/);
  });

  it('quotes the unreadable answer of a created ticket, else its message', () => {
    const unreadable = (description: string) =>
      settledFailureSentence(
        'SW-1',
        {
          stage: 'create',
          reason: 'created-unreadable',
          error: error(201, '', description),
          inDoubt: true,
        },
        1,
        'https://b',
      );
    expect(unreadable('not JSON')).toMatch(/could not be read \(not JSON\)/);
    expect(unreadable('')).toMatch(/could not be read \(Msg\)/);
  });

  it('uses the plain failure sentence for the other reasons', () => {
    expect(
      settledFailureSentence(
        'SW-1',
        { stage: 'create', reason: 'refused', error: error(400), inDoubt: false },
        2,
        'https://b',
      ),
    ).toBe('Oceane refused the ticket for SW-1 after 2 attempts: Msg (400)');
  });
});

describe('StoragePause', () => {
  function pause() {
    let now = 1_000;
    const clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => undefined };
    const events: Notice[] = [];
    const batcher = { notice: (n: Notice) => events.push(n) } as unknown as EventBatcher;
    const logged: string[] = [];
    const logger = {
      info: (m: string) => logged.push(`info ${m}`),
      warn: () => undefined,
      error: (m: string, d?: Record<string, unknown>) =>
        logged.push(`error ${m} ${String(d?.pauseMs)}`),
    };
    const p = new StoragePause(clock, logger, new ConnectorNotices(clock, batcher));
    return { p, events, logged, advance: (ms: number) => (now += ms) };
  }

  it('pauses 30 s, then twice as long for each further failure, at most ten minutes', () => {
    const { p, advance } = pause();
    expect(p.until).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      p.failed('Saving failed', 'i1');
      waits.push(p.until - 1_000 - i);
      advance(1);
    }
    expect(waits).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000]);
  });

  it('tells the operator once, with the clock time, and resumes when a save works', () => {
    const { p, events, logged } = pause();
    p.works();
    expect(logged).toEqual([]);
    p.failed('Saving failed', 'i1');
    p.failed('Saving failed', 'i1');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      level: 'error',
      title: 'Storage problem',
      at: new Date(1_000).toISOString(),
    });
    expect(events[0]?.message).toMatch(/^Saving failed\. Ticket requests are paused/);
    expect(logged).toEqual(['error Saving failed 30000', 'error Saving failed 60000']);
    p.works();
    expect(p.until).toBe(0);
    expect(logged.at(-1)).toBe('info Saving works again; the ticket queue resumes');
    p.failed('Saving failed', 'i2');
    expect(events).toHaveLength(2);
    expect(p.until).toBe(31_000);
  });
});

describe('what the operator hears at start about the store', () => {
  const imported = (rows: number, badLines: number) => ({
    file: 'tickets.jsonl',
    movedTo: 'tickets.jsonl.imported-1',
    rows,
    badLines,
  });

  it('says nothing when the database opened and nothing was imported', () => {
    expect(storeStartNotices(null, [])).toEqual([]);
  });

  it('warns that a damaged database was kept aside, naming both files and the cause', () => {
    expect(
      storeStartNotices(
        { file: 'oceane-console.db', movedTo: 'x.broken-1', cause: 'not a database' },
        [],
      ),
    ).toEqual([
      {
        level: 'warning',
        title: 'Database kept aside',
        message:
          'The database oceane-console.db could not be read (not a database): it was kept aside as x.broken-1 and a new one started. The tickets it held are not shown; keep the file for support.',
      },
    ]);
  });

  it('tells each import, as information when whole and as a warning with the damaged lines', () => {
    expect(
      storeStartNotices(null, [
        ['Tickets table', imported(30, 0), 'rows'],
        ['Pending ticket queue', imported(3, 1), 'requests'],
        ['Failed Ticket Requests table', imported(2, 2), 'rows'],
      ]),
    ).toEqual([
      {
        level: 'info',
        title: 'Tickets table imported',
        message:
          'Tickets table: 30 rows imported from tickets.jsonl into the database, the old file kept as tickets.jsonl.imported-1.',
      },
      {
        level: 'warning',
        title: 'Pending ticket queue imported',
        message:
          'Pending ticket queue: 3 requests imported from tickets.jsonl into the database, the old file kept as tickets.jsonl.imported-1; 1 damaged line could not be read and stay in the old file.',
      },
      {
        level: 'warning',
        title: 'Failed Ticket Requests table imported',
        message:
          'Failed Ticket Requests table: 2 rows imported from tickets.jsonl into the database, the old file kept as tickets.jsonl.imported-1; 2 damaged lines could not be read and stay in the old file.',
      },
    ]);
  });

  it('puts the kept-aside database first, then the imports', () => {
    const notices = storeStartNotices({ file: 'a.db', movedTo: 'b', cause: 'c' }, [
      ['Alarm properties', imported(1, 0), 'alarms'],
    ]);
    expect(notices.map((n) => n.title)).toEqual([
      'Database kept aside',
      'Alarm properties imported',
    ]);
  });
});
