/**
 * Every fault the Oceane simulator can script, against retry counts 0, 1 and 3 (issue 5,
 * "Faults"): the final status of the ticket, how many creates (and look-ups) Oceane saw, the
 * Failed Ticket Requests columns, and the delays between attempts, checked on a fake clock:
 * nothing is sent one millisecond before a delay is over. Each case runs on its own simulator
 * and temporary folder, so the cases run concurrently.
 */
import { STATUS_CODES } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { FailedRequestRow } from '../shared/domain.js';
import { FakeClock } from '../electron/connector/index.js';
import { LOOKUP_ATTEMPTS } from '../electron/connector/ticket-request-machine.js';
import {
  countRequests,
  startRig,
  ticketRequest,
  type Rig,
} from '../electron/connector/test-support.js';
import type {
  FaultBodyShape,
  SimulatorFault,
  SimulatorRoute,
} from '../electron/oceane-simulator/index.js';

const RETRY_COUNTS = [0, 1, 3] as const;
/** Delays before attempts 2, 3 and 4 with the rigs' jitter of 0.5 (oceane-api.md section 5). */
const BACKOFF = [750, 1500, 3000];
/** Delays between the look-ups of one budget (LOOKUP_ATTEMPTS), with the same jitter. */
const LOOKUP_BACKOFF = [750, 1500, 3000, 6000].slice(0, LOOKUP_ATTEMPTS - 1);
/** The short HTTP time-out of these tests. */
const TIMEOUT_MS = 500;

/** The Orange code the simulator sends with each status when none is scripted. */
const DEFAULT_CODES: Record<number, number> = {
  400: 24,
  401: 42,
  403: 50,
  404: 60,
  429: 53,
  500: 1,
  502: 1,
  503: 5,
  504: 1,
};
const STATUSES = [400, 401, 403, 404, 429, 500, 502, 503, 504] as const;
const SHAPES: FaultBodyShape[] = ['orange', 'tmf630', 'html', 'text', 'empty'];
/** Retried statuses (section 5). */
const RETRIED = new Set([429, 500, 502, 503, 504]);
/** A 5xx came after the request was sent: the ticket may exist, so the alarm is looked up
 * before sending again (section 5). */
const MAYBE_CREATED = new Set([500, 502, 503, 504]);

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function ticketRequestsSeen(rig: Rig): number {
  return countRequests(rig.sim, 'create') + countRequests(rig.sim, 'find');
}

/**
 * Runs the queue to the end on the fake clock and returns the delays it waited. At each wait
 * it first checks that nothing is sent one millisecond before the delay is over.
 */
async function drainRespectingDelays(
  rig: Rig,
  beforeAdvance: () => Promise<void> = async () => undefined,
): Promise<number[]> {
  const clock = rig.clock;
  if (!clock) throw new Error('a fake clock is needed');
  const delays: number[] = [];
  for (let step = 0; step < 20; step++) {
    await rig.connector.whenQuiet();
    const pending = rig.connector.getQueueStatus().pending;
    if (pending.length === 0) break;
    const next = Math.min(
      ...pending.map((p) => (p.nextAttemptAt ? Date.parse(p.nextAttemptAt) : clock.now())),
    );
    const delay = Math.max(0, next - clock.now());
    delays.push(delay);
    await beforeAdvance();
    if (delay > 0) {
      const seen = ticketRequestsSeen(rig);
      await clock.advanceAsync(delay - 1);
      await rig.connector.whenQuiet();
      expect(ticketRequestsSeen(rig), 'a request went out before its delay was over').toBe(seen);
      await clock.advanceAsync(1);
    }
  }
  await rig.connector.whenIdle();
  return delays;
}

interface Outcome {
  status: string | undefined;
  creates: number;
  finds: number;
  tokens: number;
  ledger: number;
  delays: number[];
  failed: FailedRequestRow[];
  /** The alarm's properties. */
  props: Record<string, string>;
  /** True when failedAt is the fake clock's time of the failure. */
  failedAtNow: boolean;
}

/** One ticket request against `faults` (injected in order) with `retryCount`. */
async function runCase(
  retryCount: number,
  faults: [SimulatorFault, number, SimulatorRoute?][],
  options: {
    ledgerBeforeAdvance?: number;
    dateRetryAfter?: number;
    withoutDialog?: boolean;
    timeoutMs?: number;
  } = {},
): Promise<Outcome> {
  const clock = new FakeClock();
  const rig = await startRig({ clock, retryCount, timeoutMs: options.timeoutMs ?? TIMEOUT_MS });
  try {
    for (const [fault, times, route = 'create'] of faults) {
      const scripted: SimulatorFault =
        fault.kind === 'status' && options.dateRetryAfter !== undefined
          ? { ...fault, retryAfter: new Date(clock.now() + options.dateRetryAfter).toUTCString() }
          : fault;
      rig.sim.inject(route, scripted, times);
    }
    const request = ticketRequest();
    // As the Create Ticket dialog does when it opens: Oceane says the alarm has no ticket, so
    // the first create goes out without another look-up.
    if (!options.withoutDialog) expect(await rig.connector.findExistingTicket(request)).toBeNull();
    const queued = await rig.connector.createTicket(request);
    expect(queued.ok).toBe(true);
    // Oceane finishes a late create before the connector's clock moves on.
    const settle = async (): Promise<void> => {
      const wanted = options.ledgerBeforeAdvance ?? 0;
      await until(() => rig.sim.ledger().length >= wanted, 'the late create to land');
    };
    const delays = await drainRespectingDelays(rig, settle);
    await settle();
    const failed = rig.connector.listFailedRequests();
    return {
      status: rig.connector.listTickets()[0]?.status,
      creates: countRequests(rig.sim, 'create'),
      finds: countRequests(rig.sim, 'find'),
      tokens: countRequests(rig.sim, 'token'),
      ledger: rig.sim.ledger().length,
      delays,
      failed,
      props: rig.props.get(request.dmaId, request.alarmId),
      failedAtNow: failed.every((f) => f.failedAt === new Date(clock.now()).toISOString()),
    };
  } finally {
    await rig.dispose();
  }
}

const MESSAGE = 'Scripted message';
const DESCRIPTION = 'Scripted description of what went wrong';

/** The Failed Ticket Requests columns that oceane-api.md section 4 prescribes. */
function expectedColumns(status: number, shape: FaultBodyShape): Partial<FailedRequestRow> {
  const code = String(DEFAULT_CODES[status]);
  const text = STATUS_CODES[status] ?? '';
  switch (shape) {
    case 'orange':
      return { appErrorCode: code, errorMessage: MESSAGE, errorDescription: DESCRIPTION };
    case 'tmf630':
      // TMF630: `reason` is the message, `message` the description.
      return { appErrorCode: code, errorMessage: MESSAGE, errorDescription: DESCRIPTION };
    case 'text':
      return { appErrorCode: '', errorMessage: text, errorDescription: MESSAGE };
    case 'empty':
      return { appErrorCode: '', errorMessage: text, errorDescription: '' };
    case 'html':
      return { appErrorCode: '', errorMessage: text };
  }
}

describe.concurrent('each error status and body shape, against retry counts 0, 1 and 3', () => {
  const cases = STATUSES.flatMap((status) =>
    SHAPES.flatMap((shape) => RETRY_COUNTS.map((retryCount) => ({ status, shape, retryCount }))),
  );
  it.each(cases)(
    '$status with a $shape body, retry count $retryCount',
    async ({ status, shape, retryCount }) => {
      const outcome = await runCase(retryCount, [
        [
          { kind: 'status', status, body: shape, message: MESSAGE, description: DESCRIPTION },
          Infinity,
        ],
      ]);
      const retried = RETRIED.has(status);
      const attempts = retried ? 1 + retryCount : 1;
      expect(outcome.status).toBe('Failed');
      // A 401 renews the token once and sends again; that is not a retry.
      expect(outcome.creates).toBe(status === 401 ? 2 : attempts);
      expect(outcome.tokens).toBe(status === 401 ? 2 : 1);
      // The dialog's look-up, and one before each resend of a ticket that may exist.
      expect(outcome.finds).toBe(1 + (MAYBE_CREATED.has(status) ? attempts - 1 : 0));
      expect(outcome.delays).toEqual(retried ? BACKOFF.slice(0, retryCount) : []);
      expect(outcome.ledger).toBe(0);
      expect(outcome.props).toEqual({});
      expect(outcome.failed).toHaveLength(1);
      expect(outcome.failed[0]).toMatchObject({
        httpErrorCode: status,
        ...expectedColumns(status, shape),
      });
      if (shape === 'html') {
        const description = outcome.failed[0]?.errorDescription ?? '';
        // The page of a proxy, cut to its first 200 characters.
        expect(description.length).toBeLessThanOrEqual(200);
        expect(description).toMatch(new RegExp(`^<html>\\r\\n<head><title>${status} `));
      }
      expect(outcome.failedAtNow).toBe(true);
    },
  );
});

describe.concurrent("a request queued without the dialog's look-up", () => {
  it.each(RETRY_COUNTS)(
    'is looked up before its first create; a 429 says nothing was created (retry count %i)',
    async (retryCount) => {
      const outcome = await runCase(retryCount, [[{ kind: 'status', status: 429 }, Infinity]], {
        withoutDialog: true,
      });
      expect(outcome.status).toBe('Failed');
      expect(outcome.creates).toBe(1 + retryCount);
      expect(outcome.finds).toBe(1);
      expect(outcome.delays).toEqual(BACKOFF.slice(0, retryCount));
    },
  );
});

describe.concurrent('a retried status that clears up within the budget', () => {
  const cases = [...RETRIED].flatMap((status) =>
    [1, 3].map((retryCount) => ({ status, retryCount })),
  );
  it.each(cases)(
    '$status for every attempt but the last, retry count $retryCount: Created',
    async ({ status, retryCount }) => {
      const outcome = await runCase(retryCount, [[{ kind: 'status', status }, retryCount]]);
      expect(outcome.status).toBe('Created');
      expect(outcome.creates).toBe(retryCount + 1);
      expect(outcome.finds).toBe(1 + (MAYBE_CREATED.has(status) ? retryCount : 0));
      expect(outcome.delays).toEqual(BACKOFF.slice(0, retryCount));
      expect(outcome.ledger).toBe(1);
      expect(outcome.failed).toEqual([]);
    },
  );
});

describe.concurrent('Retry-After, in seconds and as an HTTP date', () => {
  const cases = [429, 503].flatMap((status) =>
    RETRY_COUNTS.flatMap((retryCount) =>
      (['seconds', 'date'] as const).map((form) => ({ status, retryCount, form })),
    ),
  );
  it.each(cases)(
    '$status with Retry-After as $form, retry count $retryCount',
    async ({ status, retryCount, form }) => {
      const fault: SimulatorFault = { kind: 'status', status, retryAfter: '7' };
      const outcome = await runCase(
        retryCount,
        [[fault, Infinity]],
        form === 'date' ? { dateRetryAfter: 9_000 } : {},
      );
      expect(outcome.status).toBe('Failed');
      expect(outcome.creates).toBe(1 + retryCount);
      // At least the server's wish: 7 s each time; a date 9 s ahead is waited for once, after
      // which it lies in the past and the backoff applies again.
      const expected =
        form === 'seconds'
          ? BACKOFF.slice(0, retryCount).map((b) => Math.max(b, 7_000))
          : [9_000, ...BACKOFF.slice(1, retryCount)];
      expect(outcome.delays).toEqual(expected.slice(0, retryCount));
      expect(outcome.failed[0]).toMatchObject({
        httpErrorCode: status,
        appErrorCode: String(DEFAULT_CODES[status]),
      });
    },
  );
});

describe.concurrent('no answer at all', () => {
  it.each(RETRY_COUNTS)('dropped connections, retry count %i', async (retryCount) => {
    const outcome = await runCase(retryCount, [[{ kind: 'drop' }, Infinity]]);
    expect(outcome.status).toBe('Failed');
    expect(outcome.creates).toBe(1 + retryCount);
    // The request may have reached Oceane: each resend is preceded by a look-up.
    expect(outcome.finds).toBe(1 + retryCount);
    expect(outcome.delays).toEqual(BACKOFF.slice(0, retryCount));
    expect(outcome.ledger).toBe(0);
    expect(outcome.failed[0]).toMatchObject({
      httpErrorCode: null,
      appErrorCode: '',
      errorMessage: 'Connection closed before an answer',
      errorDescription: '',
    });
  });

  it.each(RETRY_COUNTS)(
    'an Oceane slower than the time-out (it creates the ticket late), retry count %i',
    async (retryCount) => {
      const outcome = await runCase(
        retryCount,
        [[{ kind: 'delay', ms: 3 * TIMEOUT_MS }, Infinity]],
        {
          ledgerBeforeAdvance: 1,
        },
      );
      // The first attempt timed out but created the ticket; the retry finds and adopts it.
      expect(outcome.creates).toBe(1);
      expect(outcome.ledger).toBe(1);
      if (retryCount === 0) {
        expect(outcome.status).toBe('Failed');
        expect(outcome.finds).toBe(1);
        expect(outcome.props).toEqual({});
        expect(outcome.failed[0]).toMatchObject({
          httpErrorCode: null,
          appErrorCode: '',
          errorMessage: `Timed out after ${TIMEOUT_MS / 1000} s`,
        });
      } else {
        expect(outcome.status).toBe('Created');
        expect(outcome.finds).toBe(2);
        expect(outcome.delays).toEqual([750]);
        expect(outcome.failed).toEqual([]);
      }
    },
  );
});

describe.concurrent('an attempt without an answer', () => {
  it('waits at least the time-out before the look-up, so a slow create is found, not resent', async () => {
    // Time-out 1 s, longer than the first backoff (750 ms): Oceane gets as long again.
    const outcome = await runCase(1, [[{ kind: 'delay', ms: 1_300 }, 1]], {
      timeoutMs: 1_000,
      ledgerBeforeAdvance: 1,
    });
    expect(outcome.delays).toEqual([1_000]);
    expect(outcome.status).toBe('Created');
    expect(outcome.creates).toBe(1);
    expect(outcome.ledger).toBe(1);
  });
});

describe.concurrent('the ambiguous create: Oceane created the ticket, the answer was lost', () => {
  const cases = RETRY_COUNTS.flatMap((retryCount) =>
    (['drop', 'delay'] as const).map((mode) => ({ retryCount, mode })),
  );
  it.each(cases)('answer lost by $mode, retry count $retryCount', async ({ retryCount, mode }) => {
    const outcome = await runCase(retryCount, [[{ kind: 'ambiguous', mode, ms: 5_000 }, Infinity]]);
    expect(outcome.creates).toBe(1);
    expect(outcome.ledger).toBe(1);
    if (retryCount === 0) {
      // No attempt left: Failed, nothing on the alarm; the Retry action would adopt it.
      expect(outcome.status).toBe('Failed');
      expect(outcome.props).toEqual({});
      expect(outcome.failed[0]).toMatchObject({
        httpErrorCode: null,
        errorMessage:
          mode === 'drop'
            ? 'Connection closed before an answer'
            : `Timed out after ${TIMEOUT_MS / 1000} s`,
      });
    } else {
      expect(outcome.status).toBe('Created');
      expect(outcome.finds).toBe(2);
      expect(outcome.delays).toEqual([750]);
      expect(Object.values(outcome.props)).toHaveLength(2);
    }
  });
});

describe.concurrent('a token revoked while requests are queued', () => {
  it.each(RETRY_COUNTS)(
    'renews the token once and creates every ticket, retry count %i',
    async (retryCount) => {
      const clock = new FakeClock();
      const rig = await startRig({ clock, retryCount, connector: { autoStart: false } });
      try {
        // The second create finds its token revoked (401 code 42).
        rig.sim.inject('create', { kind: 'delay', ms: 0 });
        rig.sim.inject('create', { kind: 'expire-token' });
        for (let i = 0; i < 3; i++)
          expect((await rig.connector.createTicket(ticketRequest())).ok).toBe(true);
        rig.connector.start();
        const delays = await drainRespectingDelays(rig);
        expect(delays).toEqual([]);
        expect(rig.connector.listTickets().map((r) => r.status)).toEqual([
          'Created',
          'Created',
          'Created',
        ]);
        expect(countRequests(rig.sim, 'create')).toBe(4);
        expect(countRequests(rig.sim, 'find')).toBe(3);
        expect(countRequests(rig.sim, 'token')).toBe(2);
        expect(rig.sim.ledger()).toHaveLength(3);
        expect(rig.connector.listFailedRequests()).toEqual([]);
      } finally {
        await rig.dispose();
      }
    },
  );
});

describe.concurrent('faults on the token route', () => {
  it.each(RETRY_COUNTS)('503 on every token request, retry count %i', async (retryCount) => {
    const outcome = await runCase(
      retryCount,
      [[{ kind: 'status', status: 503 }, Infinity, 'token']],
      {
        withoutDialog: true,
      },
    );
    // The token is needed first by the existing-ticket check: the look-ups' own budget is
    // spent, whatever the Ticket Creation Retry Count (issue 10), and no create goes out.
    expect(outcome.status).toBe('Failed');
    expect(outcome.tokens).toBe(LOOKUP_ATTEMPTS);
    expect(outcome.creates + outcome.finds).toBe(0);
    expect(outcome.delays).toEqual(LOOKUP_BACKOFF);
    expect(outcome.failed[0]).toMatchObject({
      failedCall: 'look-up',
      httpErrorCode: 503,
      appErrorCode: '5',
      errorMessage: 'Authentication failed: Service Unavailable',
    });
  });

  it.each(RETRY_COUNTS)('credentials refused (401 code 41), retry count %i', async (retryCount) => {
    const outcome = await runCase(
      retryCount,
      [
        [
          { kind: 'status', status: 401, code: 41, message: 'Invalid credentials' },
          Infinity,
          'token',
        ],
      ],
      { withoutDialog: true },
    );
    expect(outcome.status).toBe('Failed');
    expect(outcome.tokens).toBe(1);
    expect(outcome.creates + outcome.finds).toBe(0);
    expect(outcome.failed[0]).toMatchObject({
      httpErrorCode: 401,
      appErrorCode: '41',
      errorMessage: 'Authentication failed: Invalid credentials',
    });
  });

  it.each(RETRY_COUNTS)('a token issued already expired, retry count %i', async (retryCount) => {
    const outcome = await runCase(retryCount, [[{ kind: 'expire-token' }, 1, 'token']], {
      withoutDialog: true,
    });
    // Its first use is refused (401 code 42): renewed once and sent again, no retry spent.
    expect(outcome.status).toBe('Created');
    expect(outcome.tokens).toBe(2);
    expect(outcome.creates).toBe(1);
    expect(outcome.delays).toEqual([]);
  });

  it.each(RETRY_COUNTS)('token requests dropped, retry count %i', async (retryCount) => {
    const outcome = await runCase(retryCount, [[{ kind: 'drop' }, Infinity, 'token']], {
      withoutDialog: true,
    });
    expect(outcome.status).toBe('Failed');
    expect(outcome.tokens).toBe(LOOKUP_ATTEMPTS);
    expect(outcome.creates + outcome.finds).toBe(0);
    expect(outcome.failed[0]).toMatchObject({
      failedCall: 'look-up',
      httpErrorCode: null,
      errorMessage: 'Authentication failed: Connection closed before an answer',
    });
  });
});

describe.concurrent('a look-up that fails before a resend', () => {
  it.each(RETRY_COUNTS)(
    'does not use up a create attempt: looked up again, the ticket adopted, retry count %i',
    async (retryCount) => {
      // Without the dialog: the request's own first look-up goes through, the second fails.
      const outcome = await runCase(
        retryCount,
        [
          [{ kind: 'ambiguous', mode: 'drop' }, 1],
          [{ kind: 'delay', ms: 0 }, 1, 'find'],
          [{ kind: 'status', status: 503 }, 1, 'find'],
        ],
        { withoutDialog: true },
      );
      expect(outcome.creates).toBe(1);
      expect(outcome.ledger).toBe(1);
      if (retryCount === 0) {
        // The only create attempt lost its answer: failed, in doubt (Retry looks it up).
        expect(outcome.status).toBe('Failed');
        return;
      }
      // Issue 10: the failed look-up spent no create attempt (before, retry count 1 failed).
      expect(outcome.status).toBe('Created');
      // The look-up before the first create, the failed one, the one that finds the ticket.
      expect(outcome.finds).toBe(3);
      // The lost answer: the backoff (longer than the time-out); the failed look-up: its own.
      expect(outcome.delays).toEqual([750, 750]);
      expect(Object.values(outcome.props)).toHaveLength(2);
    },
  );
});
