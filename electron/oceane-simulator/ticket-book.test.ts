/**
 * The ticket book's index by lastUpdate (what makes a poll cost what changed): after any
 * sequence of creates, status changes and notes, at any clock, `changedAfter` answers exactly
 * what a scan of every ticket would.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { profileBody } from './test-support.js';
import { TicketBook } from './ticket-book.js';
import { validateTicketBody } from './ticket-validation.js';
import { TICKET_LIFECYCLE_STATUSES, type TroubleTicketBody } from './types.js';

const checked = validateTicketBody(profileBody());
if (!checked.ok) throw new Error('the profile body must be valid');
const body: TroubleTicketBody = checked.value;

const operation = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), tick: fc.integer({ min: 0, max: 3 }) }),
  fc.record({
    kind: fc.constant('status' as const),
    tick: fc.integer({ min: 0, max: 3 }),
    pick: fc.nat(),
    status: fc.constantFrom(...TICKET_LIFECYCLE_STATUSES),
  }),
  fc.record({
    kind: fc.constant('note' as const),
    tick: fc.integer({ min: 0, max: 3 }),
    pick: fc.nat(),
    note: fc.constantFrom('a', 'b', 'c'),
  }),
);

describe('the index by lastUpdate', () => {
  it('answers what a scan of every ticket answers, after any changes', () => {
    fc.assert(
      fc.property(
        fc.array(operation, { maxLength: 60 }),
        fc.integer({ min: -1, max: 40 }),
        (ops, at) => {
          const start = Date.parse('2025-03-01T10:00:00Z');
          let clock = start;
          const book = new TicketBook([], () => clock, undefined);
          for (const op of ops) {
            clock += op.tick;
            if (op.kind === 'create') {
              book.create(structuredClone(body), (id) => `/t/${id}`);
              continue;
            }
            const ticket = book.tickets[op.pick % Math.max(1, book.tickets.length)];
            if (!ticket) continue;
            if (op.kind === 'status') book.changeStatus(ticket, { status: op.status });
            else book.addNote(ticket, { '@type': 'Note', id: op.note, text: op.note });
          }
          const moment = start + at;
          const scan = book.tickets
            .filter((t) => Date.parse(t.lastUpdate) > moment)
            .sort(
              (a, b) =>
                Date.parse(a.lastUpdate) - Date.parse(b.lastUpdate) || (a.id < b.id ? -1 : 1),
            );
          expect(book.changedAfter(moment).map((t) => t.id)).toEqual(scan.map((t) => t.id));
        },
      ),
      { numRuns: 300 },
    );
  });
});
