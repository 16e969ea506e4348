/**
 * The team's windows (PostgreSQL) and the single console's (SQLite) come from one query
 * (connector/ticket-pages.ts windowQueries): on the same rows they give the same windows,
 * whatever the sort, filter (no pattern syntax), status and offset.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FailedRequestRow, TicketRow } from '../../shared/domain.js';
import {
  FAILED_SORT_COLUMNS,
  TICKET_SORT_COLUMNS,
  firstFailedPage,
  firstTicketPage,
  type FailedPageQuery,
  type TicketPageQuery,
} from '../../shared/table-page.js';
import { FAILED_SPEC, TICKETS_SPEC, pendingRow } from '../connector/ticket-rows.js';
import { TicketTables } from '../connector/ticket-tables.js';
import { upsertKeyed } from './postgres-keyed.js';
import { PostgresStore } from './postgres-store.js';
import { teamFailedPage, teamTicketPage } from './team-pages.js';
import { startTestPostgres, type TestPostgres } from './test-postgres.js';

let server: TestPostgres;
let store: PostgresStore;
let tables: TicketTables;
let dir = '';
beforeAll(async () => {
  server = await startTestPostgres();
  // A database that sorts text as many do (ICU's en-US: case and punctuation second), not
  // byte by byte as SQLite does: the windows must not depend on it.
  const admin = await server.connect();
  try {
    await admin.query(
      "CREATE DATABASE pages LOCALE_PROVIDER icu ICU_LOCALE 'en-US' TEMPLATE template0",
    );
  } finally {
    await admin.end();
  }
  const url = new URL(server.url);
  url.pathname = '/pages';
  store = await PostgresStore.connect({ connectionString: url.toString() });
  dir = await mkdtemp(path.join(tmpdir(), 'oceane-team-pages-'));
  tables = TicketTables.open(dir);
  const tickets = Array.from({ length: 14 }, (_, i) => ticket(i));
  const failures = Array.from({ length: 9 }, (_, i) => failure(i));
  await tables.tickets.commit(tickets.map((t) => ({ key: t.instance, value: t })));
  await tables.failed.commit(failures.map((f) => ({ key: f.instance, value: f })));
  for (const t of tickets) {
    await store.run(
      upsertKeyed(store.builder, 'tickets', t.instance, t, TICKETS_SPEC.columns?.(t)),
    );
  }
  for (const f of failures) {
    const columns = FAILED_SPEC.columns?.(f);
    await store.run(upsertKeyed(store.builder, 'failed_requests', f.instance, f, columns));
  }
}, 60_000);
afterAll(async () => {
  await tables?.close();
  await store?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const STATUSES = ['Created', 'Pending', 'Failed'] as const;

function ticket(i: number): TicketRow {
  const row = pendingRow(
    `inst-${String(i).padStart(3, '0')}`,
    {
      dmaId: '10',
      elementId: '1',
      alarmId: String(500 + (i % 7)),
      elementName: ['Paris-Core', 'Lyon_Edge', '100%-Site', 'paris-core', 'lyon-a'][i % 5] ?? '',
      priority: i % 2 === 0 ? 'High' : 'Low',
      urgency: 'Low',
      technicalImpact: 'Minor',
    },
    new Date(Date.UTC(2026, 0, 1, 0, i % 4)).toISOString(),
  );
  const status = STATUSES[i % 3] ?? 'Created';
  return { ...row, status, ticketId: status === 'Created' ? `OCE-${i % 6}` : '' };
}

function failure(i: number): FailedRequestRow {
  const code = [503, null, 400, null][i % 4] ?? null;
  return {
    instance: `f-${i}`,
    ticketInstance: `t-${i}`,
    httpErrorCode: code,
    appErrorCode: code === null ? '' : `E${i % 2}`,
    errorMessage: i % 2 === 0 ? 'Oceane did not answer' : 'Bad request',
    errorDescription: '',
    failedAt: new Date(Date.UTC(2026, 0, 1, 0, i % 3)).toISOString(),
  };
}

const FILTERS = ['', 'paris', 'LYON_', '%', '_e', 'oce-1'];

describe("the team's windows and the single console's", () => {
  it('give the same Tickets windows on the same rows', async () => {
    const queries: TicketPageQuery[] = [];
    for (const column of TICKET_SORT_COLUMNS) {
      for (const direction of ['asc', 'desc'] as const) {
        for (const filter of FILTERS) {
          queries.push({ ...firstTicketPage(4), sort: { column, direction }, filter });
        }
      }
    }
    queries.push({ ...firstTicketPage(3), statuses: ['Created', 'Failed'], offset: 2 });
    queries.push({ ...firstTicketPage(50), statuses: ['Pending'], filter: 'core' });
    for (const query of queries) {
      const single = tables.pageTickets(query);
      const team = await teamTicketPage(store, query, 0);
      const what = JSON.stringify(query);
      expect(
        team.rows.map((r) => r.instance),
        what,
      ).toEqual(single.rows.map((r) => r.instance));
      expect(team.total, what).toBe(single.total);
    }
    // The filters are taken as text: '%' finds the one element with it, not every row.
    const percent = await teamTicketPage(store, { ...firstTicketPage(50), filter: '%' }, 0);
    expect(new Set(percent.rows.map((r) => r.elementName))).toEqual(new Set(['100%-Site']));
  }, 30_000);

  it('give the same Failed Ticket Requests windows, empty error codes included', async () => {
    for (const column of FAILED_SORT_COLUMNS) {
      for (const direction of ['asc', 'desc'] as const) {
        for (const offset of [0, 3]) {
          const query: FailedPageQuery = {
            ...firstFailedPage(4),
            sort: { column, direction },
            offset,
          };
          const single = tables.pageFailed(query);
          const team = await teamFailedPage(store, query, 0);
          const what = JSON.stringify(query);
          expect(
            team.rows.map((r) => r.instance),
            what,
          ).toEqual(single.rows.map((r) => r.instance));
          expect(team.total, what).toBe(single.total);
        }
      }
    }
  }, 30_000);
});
