/**
 * The pure follower of section 7: what a batch of changes stores, which changes are new, the
 * cursor, the poll back-off; and the properties that make polling and events safe together:
 * the same changes twice, or cut into pages of any size, end the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLL_INTERVAL_MS,
  MAX_POLL_BACKOFF_MS,
  OCEANE_STATUSES,
  applyChanges,
  firstCursor,
  followFailureMessage,
  newFollowedTicket,
  nextCursor,
  nextPollDelayMs,
  pollIntervalMs,
  pollSince,
  type FollowedTicket,
  type TicketChange,
  type TicketHistoryEntry,
} from './ticket-follower.js';

const T0 = Date.parse('2025-03-01T10:00:00Z');
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();

function change(ticketId: string, second: number, extra: Partial<TicketChange> = {}): TicketChange {
  return {
    ticketId,
    status: 'inProgress',
    statusChangeDate: at(second),
    statusChangeReason: 'Taken by level 2',
    resolutionDate: null,
    lastUpdate: at(second),
    alarmIds: ['12/3456'],
    notes: [],
    ...extra,
  };
}

function known(...ids: string[]): Map<string, FollowedTicket> {
  return new Map(ids.map((id) => [id, newFollowedTicket(id)]));
}

describe('applying changes', () => {
  it('stores status, status change date and reason, resolution date, with a history entry', () => {
    const result = applyChanges(known('OCE-1'), [
      change('OCE-1', 10),
      change('OCE-1', 20, {
        status: 'resolved',
        statusChangeReason: 'Fixed',
        resolutionDate: at(19),
      }),
    ]);
    expect(result.unchanged).toBe(0);
    expect(result.updates).toHaveLength(1);
    const [update] = result.updates;
    expect(update!.ticket).toEqual({
      ticketId: 'OCE-1',
      status: 'resolved',
      statusChangeDate: at(20),
      statusChangeReason: 'Fixed',
      resolutionDate: at(19),
      lastUpdate: at(20),
      noteIds: [],
    });
    expect(update!.history).toEqual([
      {
        kind: 'status',
        ticketId: 'OCE-1',
        at: at(10),
        from: null,
        to: 'inProgress',
        reason: 'Taken by level 2',
      },
      {
        kind: 'status',
        ticketId: 'OCE-1',
        at: at(20),
        from: 'inProgress',
        to: 'resolved',
        reason: 'Fixed',
      },
    ]);
    expect(update!.becameFinal).toBe(false);
  });

  it('changes nothing with the same change twice, or with an older change after a newer one', () => {
    const first = applyChanges(known('OCE-1'), [change('OCE-1', 20, { status: 'held' })]);
    const after = new Map([['OCE-1', first.updates[0]!.ticket]]);
    const again = applyChanges(after, [
      change('OCE-1', 20, { status: 'held' }),
      change('OCE-1', 10, { status: 'inProgress' }),
    ]);
    expect(again).toEqual({ updates: [], unchanged: 2, notFollowed: [] });
  });

  it('adds each note once, by id, to the history', () => {
    const note = { id: 'n-1', author: 'level2', date: at(5), text: 'On site' };
    const first = applyChanges(known('OCE-1'), [change('OCE-1', 10, { notes: [note] })]);
    expect(first.updates[0]!.history.filter((h) => h.kind === 'note')).toEqual([
      {
        kind: 'note',
        ticketId: 'OCE-1',
        at: at(5),
        noteId: 'n-1',
        author: 'level2',
        text: 'On site',
      },
    ]);
    const later = applyChanges(new Map([['OCE-1', first.updates[0]!.ticket]]), [
      change('OCE-1', 30, { notes: [note, { ...note, id: 'n-2', text: 'Fixed' }] }),
    ]);
    expect(later.updates[0]!.history.map((h) => (h.kind === 'note' ? h.noteId : h.to))).toEqual([
      'n-2',
    ]);
    expect(later.updates[0]!.ticket.noteIds).toEqual(['n-1', 'n-2']);
  });

  it('says when a ticket becomes final, and names the tickets it does not follow', () => {
    const result = applyChanges(known('OCE-1'), [
      change('OCE-1', 10, { status: 'closed' }),
      change('OCE-9', 11),
      change('OCE-9', 12),
    ]);
    expect(result.updates[0]!.becameFinal).toBe(true);
    expect(result.notFollowed).toEqual(['OCE-9']);
  });
});

describe('cursor and since', () => {
  it('moves to the newest lastUpdate seen, never back, and stays when the pages were inconsistent', () => {
    const changes = [change('A', 30), change('B', 10)];
    expect(nextCursor(null, changes, true)).toBe(at(30));
    expect(nextCursor(at(40), changes, true)).toBe(at(40));
    expect(nextCursor(at(5), changes, false)).toBe(at(5));
    expect(nextCursor(at(5), [], true)).toBe(at(5));
  });

  it('asks from the cursor minus the overlap, and starts at the oldest ticket', () => {
    expect(pollSince(at(30), 5000)).toBe(at(25));
    expect(firstCursor([at(30), at(10), 'not a date'])).toBe(at(10));
    expect(firstCursor([])).toBeNull();
  });
});

describe('poll timing', () => {
  it('polls every interval (default 60 s), slower with events, backing off while Oceane is unreachable', () => {
    expect(pollIntervalMs(undefined)).toBe(DEFAULT_POLL_INTERVAL_MS);
    expect(pollIntervalMs(1)).toBe(10_000);
    expect(pollIntervalMs(30)).toBe(30_000);
    const timing = { intervalMs: 60_000, failures: 0, eventsActive: false, retryAfterMs: null };
    expect(nextPollDelayMs(timing)).toBe(60_000);
    expect(nextPollDelayMs({ ...timing, eventsActive: true })).toBe(300_000);
    expect([1, 2, 3, 4, 50].map((failures) => nextPollDelayMs({ ...timing, failures }))).toEqual([
      120_000,
      240_000,
      480_000,
      MAX_POLL_BACKOFF_MS,
      MAX_POLL_BACKOFF_MS,
    ]);
    expect(nextPollDelayMs({ ...timing, failures: 1, retryAfterMs: 900_000 })).toBe(900_000);
  });

  it('says what happened and what happens next, in words', () => {
    const text = followFailureMessage(3, 'Connection refused by 127.0.0.1:8787', 480_000);
    expect(text).toBe(
      'Oceane could not be asked for ticket changes (3 polls in a row: Connection refused by 127.0.0.1:8787). ' +
        'The console keeps the statuses it has and asks again in 8 min; if this lasts, check the Base URL and the network in Settings → API Settings.',
    );
    expect(text).not.toMatch(/<[a-z]/i);
  });
});

/** Random changes to a few tickets, some repeated, with close or equal time stamps. */
const changesArbitrary = fc.array(
  fc.record({
    ticket: fc.constantFrom('OCE-1', 'OCE-2', 'OCE-3', 'OCE-X'),
    second: fc.integer({ min: 0, max: 20 }),
    status: fc.constantFrom(...OCEANE_STATUSES),
    reason: fc.constantFrom('a', 'b', null),
    notes: fc.subarray(['n1', 'n2', 'n3']),
  }),
  { maxLength: 40 },
);

function toChanges(items: RandomChange[]): TicketChange[] {
  return items.map((i) =>
    change(i.ticket, i.second, {
      status: i.status,
      statusChangeReason: i.reason,
      notes: i.notes.map((id) => ({ id, author: null, date: null, text: id })),
    }),
  );
}

type RandomChange = {
  ticket: string;
  second: number;
  status: (typeof OCEANE_STATUSES)[number];
  reason: string | null;
  notes: string[];
};

/** Applies batches in turn, carrying the tickets over: the final tickets and each history. */
function run(
  start: Map<string, FollowedTicket>,
  batches: TicketChange[][],
): { tickets: Map<string, FollowedTicket>; history: TicketHistoryEntry[] } {
  const tickets = new Map(start);
  const history: TicketHistoryEntry[] = [];
  for (const batch of batches) {
    for (const update of applyChanges(tickets, batch).updates) {
      tickets.set(update.ticket.ticketId, update.ticket);
      history.push(...update.history);
    }
  }
  // A history is per ticket: entries of different tickets have no order between them.
  history.sort((a, b) => (a.ticketId < b.ticketId ? -1 : a.ticketId > b.ticketId ? 1 : 0));
  return { tickets, history };
}

function pages<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

describe('properties', () => {
  it('the same changes twice end as once; pages of any size end as one batch', () => {
    fc.assert(
      fc.property(changesArbitrary, fc.integer({ min: 1, max: 10 }), (items, size) => {
        const changes = toChanges(items);
        const start = known('OCE-1', 'OCE-2', 'OCE-3');
        const once = run(start, [changes]);
        const twice = run(start, [changes, changes]);
        expect(twice).toEqual(once);
        expect(run(start, pages(changes, size))).toEqual(once);
        // A second pass over the end state changes nothing at all.
        expect(applyChanges(once.tickets, changes).updates).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('changes in time order end in the state of the newest change, whatever the page size', () => {
    fc.assert(
      fc.property(changesArbitrary, fc.integer({ min: 1, max: 10 }), (items, size) => {
        const ordered = toChanges(
          items.map((i, n) => ({ ...i, second: n })), // strictly increasing per ticket
        );
        const end = run(known('OCE-1', 'OCE-2', 'OCE-3'), pages(ordered, size));
        for (const id of ['OCE-1', 'OCE-2', 'OCE-3']) {
          const last = ordered.filter((c) => c.ticketId === id).at(-1);
          expect(end.tickets.get(id)!.status).toBe(last?.status ?? null);
        }
      }),
      { numRuns: 200 },
    );
  });
});
