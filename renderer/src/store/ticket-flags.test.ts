import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TicketRow, TicketStatus } from '../../../shared/domain.js';
import { AlarmTicketFlags, type AlarmTicketFlag } from './ticket-flags.js';

function row(
  instance: string,
  alarmKey: string,
  status: TicketStatus,
  createdAt = '2026-01-01T10:00:00.000Z',
): TicketRow {
  const [dmaId = '', alarmId = ''] = alarmKey.split('/');
  return {
    instance,
    ticketId: status === 'Created' ? `TT-${instance}` : '',
    alarmId,
    dmaId,
    elementId: '7',
    elementName: 'NE-PAR-1',
    createdAt,
    priority: 'High',
    urgency: 'Medium',
    technicalImpact: 'Major',
    clientImpact: '',
    rootCause: 'Down',
    rootTime: '',
    description: '',
    status,
    ticketUrl: '',
  };
}

describe('AlarmTicketFlags', () => {
  it('flags an alarm pending while it has a Pending row, then clears it when Created', () => {
    const flags = new AlarmTicketFlags();

    expect(flags.apply({ upserted: [row('a', '101/1', 'Pending')], removed: [] })).toBe(true);
    expect(flags.flagOf('101/1')).toBe('pending');

    expect(flags.apply({ upserted: [row('a', '101/1', 'Created')], removed: [] })).toBe(true);
    expect(flags.flagOf('101/1')).toBeNull();
  });

  it('flags an alarm failed when its latest row is Failed, and pending again on Retry', () => {
    const flags = new AlarmTicketFlags();
    flags.apply({ upserted: [row('a', '101/1', 'Failed')], removed: [] });
    expect(flags.flagOf('101/1')).toBe('failed');

    flags.apply({ upserted: [row('a', '101/1', 'Pending')], removed: [] });
    expect(flags.flagOf('101/1')).toBe('pending');
  });

  it('does not flag an alarm failed when a later request for it was created', () => {
    const flags = new AlarmTicketFlags();
    flags.replaceAll([
      row('old', '101/1', 'Failed', '2026-01-01T10:00:00.000Z'),
      row('new', '101/1', 'Created', '2026-01-01T11:00:00.000Z'),
    ]);
    expect(flags.flagOf('101/1')).toBeNull();

    // Retention prunes the later row: the older failure is the latest again.
    flags.apply({ upserted: [], removed: ['new'] });
    expect(flags.flagOf('101/1')).toBe('failed');
  });

  it('reports no change and keeps its version for a batch that changes no flag', () => {
    const flags = new AlarmTicketFlags();
    flags.apply({ upserted: [row('a', '101/1', 'Created')], removed: [] });
    const version = flags.version;

    expect(flags.apply({ upserted: [row('b', '101/2', 'Created')], removed: [] })).toBe(false);
    expect(flags.version).toBe(version);
  });

  it('shows a request queued here as pending until its row arrives', () => {
    const flags = new AlarmTicketFlags();
    flags.apply({
      upserted: [row('old', '101/1', 'Failed', '2026-01-01T09:00:00.000Z')],
      removed: [],
    });

    expect(flags.markQueued('101/1', 'new')).toBe(true);
    expect(flags.flagOf('101/1')).toBe('pending');

    // An unrelated row of the same alarm changes nothing: the request's own row is awaited.
    flags.apply({
      upserted: [row('old', '101/1', 'Failed', '2026-01-01T09:00:00.000Z')],
      removed: [],
    });
    expect(flags.flagOf('101/1')).toBe('pending');

    flags.apply({
      upserted: [row('new', '101/1', 'Created', '2026-01-01T10:00:00.000Z')],
      removed: [],
    });
    expect(flags.flagOf('101/1')).toBeNull();
  });

  it('ignores a queued mark for a request whose row already arrived', () => {
    const flags = new AlarmTicketFlags();
    flags.apply({ upserted: [row('a', '101/1', 'Created')], removed: [] });

    expect(flags.markQueued('101/1', 'a')).toBe(false);
    expect(flags.flagOf('101/1')).toBeNull();
  });

  it('replaces every row at once, saying whether a flag changed', () => {
    const flags = new AlarmTicketFlags();
    expect(flags.replaceAll([row('a', '101/1', 'Failed'), row('b', '101/2', 'Pending')])).toBe(
      true,
    );
    expect(flags.version).toBe(1);
    expect(flags.replaceAll([row('b', '101/2', 'Pending'), row('a', '101/1', 'Failed')])).toBe(
      false,
    );
    expect(flags.version).toBe(1);
    // Same number of flags, one of them different.
    expect(flags.replaceAll([row('a', '101/1', 'Pending'), row('b', '101/2', 'Pending')])).toBe(
      true,
    );
    expect(flags.flagOf('101/1')).toBe('pending');
    // A flag gone and nothing else changed.
    expect(flags.replaceAll([row('b', '101/2', 'Pending')])).toBe(true);
    expect(flags.flagOf('101/1')).toBeNull();
    expect(flags.version).toBe(3);
  });

  it('takes the greater Instance as the later request when two were created at once', () => {
    const at = '2026-01-01T10:00:00.000Z';
    for (const rows of [
      [row('a', '101/1', 'Created', at), row('b', '101/1', 'Failed', at)],
      [row('b', '101/1', 'Failed', at), row('a', '101/1', 'Created', at)],
    ]) {
      const flags = new AlarmTicketFlags();
      flags.replaceAll(rows);
      expect(flags.flagOf('101/1')).toBe('failed');
    }
  });

  it('agrees with a full recount after any sequence of batches, and says when a flag changed', () => {
    const alarmKeys = ['101/1', '101/2', '102/1'];
    const instances = ['i1', 'i2', 'i3', 'i4', 'i5'];
    const statuses: TicketStatus[] = ['Pending', 'Created', 'Failed'];
    const rowArb = fc
      .record({
        instance: fc.constantFrom(...instances),
        alarmKey: fc.constantFrom(...alarmKeys),
        status: fc.constantFrom(...statuses),
        minute: fc.integer({ min: 0, max: 3 }),
      })
      .map((r) => row(r.instance, r.alarmKey, r.status, `2026-01-01T10:0${r.minute}:00.000Z`));
    const opArb = fc.oneof(
      fc.record({
        kind: fc.constant('batch' as const),
        upserted: fc.array(rowArb, { maxLength: 4 }),
        removed: fc.array(fc.constantFrom(...instances), { maxLength: 2 }),
      }),
      fc.record({
        kind: fc.constant('queued' as const),
        alarmKey: fc.constantFrom(...alarmKeys),
        instance: fc.constantFrom(...instances, 'q1', 'q2'),
      }),
      fc.record({
        kind: fc.constant('reload' as const),
      }),
    );

    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), (ops) => {
        const flags = new AlarmTicketFlags();
        // The model: the whole table, and the marks of requests queued here.
        const table = new Map<string, TicketRow>();
        const queued = new Map<string, string>();
        for (const op of ops) {
          const before = alarmKeys.map((key) => flags.flagOf(key));
          const version = flags.version;
          let changed: boolean;
          if (op.kind === 'batch') {
            for (const i of op.removed) table.delete(i);
            for (const r of op.upserted) {
              table.set(r.instance, r);
              const key = `${r.dmaId}/${r.alarmId}`;
              if (queued.get(key) === r.instance) queued.delete(key);
            }
            changed = flags.apply(op);
          } else if (op.kind === 'queued') {
            if (!table.has(op.instance)) queued.set(op.alarmKey, op.instance);
            changed = flags.markQueued(op.alarmKey, op.instance);
          } else {
            for (const [key, instance] of queued) {
              const r = table.get(instance);
              if (r && `${r.dmaId}/${r.alarmId}` === key) queued.delete(key);
            }
            changed = flags.replaceAll(table.values());
          }
          for (const key of alarmKeys) {
            expect(flags.flagOf(key)).toBe(recount(table.values(), queued, key));
          }
          // It says whether a flag changed, and its version grows exactly then.
          const moved = alarmKeys.some((key, i) => flags.flagOf(key) !== before[i]);
          expect(changed).toBe(moved);
          expect(flags.version).toBe(moved ? version + 1 : version);
        }
      }),
    );
  });
});

/** The flag of one alarm computed from scratch over the whole table. */
function recount(
  rows: Iterable<TicketRow>,
  queued: ReadonlyMap<string, string>,
  alarmKey: string,
): AlarmTicketFlag {
  const mine = Array.from(rows).filter((r) => `${r.dmaId}/${r.alarmId}` === alarmKey);
  if (queued.has(alarmKey) || mine.some((r) => r.status === 'Pending')) return 'pending';
  const latest = mine.sort((a, b) =>
    a.createdAt === b.createdAt
      ? b.instance.localeCompare(a.instance)
      : b.createdAt.localeCompare(a.createdAt),
  )[0];
  return latest?.status === 'Failed' ? 'failed' : null;
}
