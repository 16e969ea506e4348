/**
 * Which query each index of the Tickets table serves (issue 9: every index is a page written
 * at each ticket). The SQL is recorded from the real code (the tables, the windows, retention,
 * the ticket's life) on a real file and its plans read with EXPLAIN QUERY PLAN: an index no
 * query uses would show here, and so would a query left without its index. The plans of an
 * empty store are those of a million rows (the store keeps no statistics: no ANALYZE).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { CompiledQuery } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { TicketRow } from '../../shared/domain.js';
import { TICKET_SORT_COLUMNS } from '../../shared/table-page.js';
import { pendingRow } from '../connector/ticket-rows.js';
import { TicketTables } from '../connector/ticket-tables.js';
import { DATABASE_FILE, SqliteDatabase } from './sqlite-database.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

function created(i: number): TicketRow {
  const row = pendingRow(
    `inst-${i}`,
    {
      dmaId: '10',
      elementId: '1',
      alarmId: String(i),
      elementName: 'Paris-Core',
      priority: 'High',
      urgency: 'Low',
      technicalImpact: 'Minor',
    },
    new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
  );
  return { ...row, status: 'Created', ticketId: `OCE-${i}` };
}

/** Every distinct statement on the Tickets table that `work` runs through the store. */
async function ticketQueries(work: () => Promise<void>): Promise<CompiledQuery[]> {
  const seen = new Map<string, CompiledQuery>();
  const proto = SqliteDatabase.prototype as unknown as Record<string, unknown>;
  const methods = ['run', 'first', 'all', 'iterate'] as const;
  const originals = methods.map((m) => proto[m] as (q: CompiledQuery) => unknown);
  methods.forEach((m, i) => {
    proto[m] = function (this: SqliteDatabase, q: CompiledQuery) {
      if (/^(select|insert|update|delete) /.test(q.sql) && /"tickets"/.test(q.sql))
        seen.set(q.sql, q);
      return originals[i]!.call(this, q);
    };
  });
  try {
    await work();
  } finally {
    methods.forEach((m, i) => (proto[m] = originals[i]));
  }
  return [...seen.values()];
}

describe('the indexes of the Tickets table', () => {
  it('each serves a query of the app; retention and the oldest-first reads walk tickets_by_seq', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'oceane-indexes-'));
    dirs.push(dir);
    const queries = await ticketQueries(async () => {
      const tables = TicketTables.open(dir);
      await tables.tickets.commit([1, 2, 3].map((i) => ({ key: `inst-${i}`, value: created(i) })));
      const second = created(2);
      await tables.tickets.commit([
        { key: second.instance, value: { ...second, status: 'Failed' }, previous: second },
      ]);
      tables.activeInstance('10/1');
      tables.alarmRequests('10/1').queued();
      tables.life.ticketRows('OCE-1');
      expect([...tables.tickets.keys()]).toEqual(['inst-1', 'inst-2', 'inst-3']);
      for (const column of TICKET_SORT_COLUMNS)
        for (const statuses of [[], ['Created' as const]])
          for (const filter of ['', 'paris'])
            tables.pageTickets({
              table: 'tickets',
              sort: { column, direction: 'desc' },
              filter,
              statuses,
              offset: 0,
              limit: 50,
            });
      // Older than a day, then beyond a count of one: both retention reads, and the lives.
      const pruned = tables.prune({ durationDays: 1, countLimit: 1 }, Date.UTC(2025, 0, 1, 12));
      await pruned.written;
      expect(pruned.ticketKeys.length).toBeGreaterThan(0);
      await tables.close();
      const reopened = TicketTables.open(dir);
      expect(reopened.tickets.size).toBe(1);
      await reopened.close();
    });

    const db = new DatabaseSync(path.join(dir, DATABASE_FILE));
    const indexes = (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tickets'")
        .all() as { name: string }[]
    ).map((r) => r.name);
    const usedBy = new Map<string, string[]>(indexes.map((name) => [name, []]));
    for (const q of queries) {
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
        .all(...q.parameters.map(() => null)) as { detail: string }[];
      for (const { detail } of plan) {
        const index = / tickets USING (?:COVERING )?INDEX (\w+)/.exec(detail)?.[1];
        if (index) usedBy.get(index)?.push(q.sql);
      }
    }
    db.close();
    expect(indexes.sort()).toEqual([
      'sqlite_autoindex_tickets_1',
      'tickets_by_alarm',
      'tickets_by_known_ticket_id',
      'tickets_by_seq',
      'tickets_by_status',
      'tickets_sorted_by_created_at',
    ]);
    for (const [index, users] of usedBy) expect({ index, users }).not.toEqual({ index, users: [] });
    // Every look-up by ticket id (a ticket's rows, retention's lives) uses the ticket id index,
    // which leaves out the rows without one (migration 9): its queries say so, or they would
    // read the whole table.
    const byTicketId = queries.filter((q) =>
      /from "tickets" where "ticket_id" = |"tickets"\."ticket_id" = "followed_tickets"/.test(q.sql),
    );
    expect(byTicketId.length).toBeGreaterThanOrEqual(3);
    for (const q of byTicketId) expect(usedBy.get('tickets_by_known_ticket_id')).toContain(q.sql);
    const partial = new DatabaseSync(path.join(dir, DATABASE_FILE));
    const definition = partial
      .prepare("SELECT sql FROM sqlite_master WHERE name = 'tickets_by_known_ticket_id'")
      .get() as { sql: string };
    expect(definition.sql).toMatch(/where "ticket_id" != ''$/);
    partial.close();
    // The oldest rows beyond the count limit (after every ticket at the limit), the rows in
    // first-insertion order (listTickets) and the next seq at open: without tickets_by_seq each
    // would read and sort the whole table.
    const seqUsers = usedBy.get('tickets_by_seq')!;
    expect(seqUsers.some((s) => /order by "seq" limit \?$/.test(s))).toBe(true);
    expect(seqUsers).toContain('select "key", "data" from "tickets" order by "seq"');
    expect(seqUsers).toContain('select max("seq") as "s" from "tickets"');
  });
});
