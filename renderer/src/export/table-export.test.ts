/**
 * The export module: CSV as RFC 4180 with a byte order mark and neutralised formulas (read
 * back with csv-parse's rules written out: quotes doubled, fields with commas, quotes or line
 * breaks quoted, CRLF records), JSON as the rows, and the paging through `tables:page` with
 * progress, rows written once, a failed page and a failed sink reported.
 */
import { describe, expect, it } from 'vitest';
import type { TicketRow } from '../../../shared/domain.js';
import {
  TABLE_PAGE_MAX_ROWS,
  firstTicketPage,
  type TablePageQuery,
  type TicketPage,
} from '../../../shared/table-page.js';
import type { ExportColumn } from './export-columns.js';
import { UTF8_BOM, csvHeader, csvLines, neutralise } from './export-format.js';
import { buildExport, exportFileName, slicedSink, type ExportProgress } from './table-export.js';

type Row = { instance: string; text: string };
const columns: ExportColumn<Row>[] = [
  { header: 'Instance', value: (r) => r.instance },
  { header: 'Text', value: (r) => r.text },
];

describe('CSV cells and lines', () => {
  it('neutralises cells a spreadsheet would read as a formula, and only those', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      expect(neutralise(`${start}SUM(A1)`)).toBe(`'${start}SUM(A1)`);
    }
    expect(neutralise('Router = down')).toBe('Router = down');
    expect(neutralise('')).toBe('');
    expect(neutralise("'quoted")).toBe("'quoted");
  });

  it('quotes fields with commas, quotes and line breaks, doubles quotes, ends records with CRLF', () => {
    const csv = csvLines(columns, [
      { instance: 'a', text: 'plain' },
      { instance: 'b', text: 'one, two' },
      { instance: 'c', text: 'say "hi"' },
      { instance: 'd', text: 'line\nbreak' },
      { instance: 'e', text: '=HYPERLINK("x")' },
      { instance: 'f', text: 'Zürich – 東京' },
    ]);
    expect(csv).toBe(
      [
        'a,plain',
        'b,"one, two"',
        'c,"say ""hi"""',
        'd,"line\nbreak"',
        `e,"'=HYPERLINK(""x"")"`,
        'f,Zürich – 東京',
        '',
      ].join('\r\n'),
    );
    expect(csvLines(columns, [])).toBe('');
    expect(csvHeader(columns)).toBe('Instance,Text\r\n');
  });

  it('names files by table, local time and format', () => {
    const name = exportFileName('tickets', 'csv', new Date(2026, 0, 2, 3, 4, 5));
    expect(name).toBe('tickets-2026-01-02-030405.csv');
  });
});

function ticket(i: number): TicketRow {
  return {
    instance: `i-${String(i).padStart(5, '0')}`,
    ticketId: `OCE-${i}`,
    alarmId: String(i),
    dmaId: '1',
    elementId: '2',
    elementName: i % 2 ? 'Odd, element' : '-Even',
    createdAt: '2026-01-01T00:00:00.000Z',
    priority: 'High',
    urgency: 'Low',
    technicalImpact: 'Minor',
    clientImpact: '',
    rootCause: '',
    rootTime: '',
    description: '',
    status: 'Created',
    ticketUrl: '',
  };
}

/** A pager over `rows` that records the windows asked for. */
function pager(rows: TicketRow[], fail?: number) {
  const asked: { offset: number; limit: number }[] = [];
  const page = (q: TablePageQuery) => {
    asked.push({ offset: q.offset, limit: q.limit });
    if (fail !== undefined && q.offset >= fail) {
      return Promise.resolve({ ok: false as const, error: { message: 'Main is gone.' } });
    }
    const value: TicketPage = {
      table: 'tickets',
      rows: rows.slice(q.offset, q.offset + q.limit),
      offset: q.offset,
      total: rows.length,
      revision: 1,
    };
    return Promise.resolve({ ok: true as const, value });
  };
  return { page, asked };
}

const ticketColumns: ExportColumn<TicketRow>[] = [
  { header: 'Ticket ID', value: (r) => r.ticketId },
  { header: 'Element Name', value: (r) => r.elementName },
];
const { table, sort, filter, statuses } = firstTicketPage();
const query = { table, sort, filter, statuses };

describe('buildExport', () => {
  it('reads every page, reports progress, and writes BOM, header and rows', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => ticket(i));
    const { page, asked } = pager(rows);
    const progress: ExportProgress[] = [];
    const result = await buildExport({
      query,
      sink: slicedSink(ticketColumns, 'csv'),
      page,
      onProgress: (p) => progress.push(p),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(asked).toEqual(
      [0, 1000, 2000].map((offset) => ({ offset, limit: TABLE_PAGE_MAX_ROWS })),
    );
    expect(progress).toEqual([
      { done: 1000, total: 2500 },
      { done: 2000, total: 2500 },
      { done: 2500, total: 2500 },
    ]);
    const text = result.value.join('');
    expect(text.startsWith(UTF8_BOM)).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines[0]).toBe('Ticket ID,Element Name');
    expect(lines[1]).toBe(`OCE-0,'-Even`);
    expect(lines[2]).toBe('OCE-1,"Odd, element"');
    expect(lines).toHaveLength(2502); // header, 2500 rows, the empty string after the last CRLF
  });

  it('writes a row that moved into the next page once', async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => ticket(i));
    const { page } = pager(rows);
    // The table grew at the top between the two pages: row 999 comes again on the second one.
    const shifted = async (q: TablePageQuery) => {
      const answer = await page(q);
      if (!answer.ok || q.offset === 0) return answer;
      const again = rows.slice(q.offset - 1, q.offset - 1 + q.limit);
      return { ok: true as const, value: { ...answer.value, rows: again } };
    };
    const result = await buildExport({
      query,
      sink: slicedSink(ticketColumns, 'json'),
      page: shifted,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const parsed = JSON.parse(result.value.join('')) as TicketRow[];
    expect(parsed.map((r) => r.instance)).toEqual(rows.map((r) => r.instance));
    expect(parsed[3]).toEqual(rows[3]);
  });

  it('writes an empty JSON array and a header-only CSV for an empty table', async () => {
    const { page } = pager([]);
    const json = await buildExport({ query, sink: slicedSink(ticketColumns, 'json'), page });
    expect(json.ok && JSON.parse(json.value.join(''))).toEqual([]);
    const csv = await buildExport({ query, sink: slicedSink(ticketColumns, 'csv'), page });
    expect(csv.ok && csv.value.join('')).toBe(`${UTF8_BOM}Ticket ID,Element Name\r\n`);
  });

  it("reports a page that could not be read, with main's sentence", async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => ticket(i));
    const { page } = pager(rows, 1000);
    let cancelled = 0;
    const sink = { ...slicedSink(ticketColumns, 'csv'), cancel: () => void cancelled++ };
    const result = await buildExport({ query, sink, page });
    expect(result).toEqual({ ok: false, error: { message: 'Main is gone.' } });
    expect(cancelled).toBe(1);
  });

  it('reports a sink that failed as a sentence saying what to do', async () => {
    const { page } = pager(Array.from({ length: 10 }, (_, i) => ticket(i)));
    const sink = {
      ...slicedSink(ticketColumns, 'csv'),
      finish: () => Promise.reject(new Error('the export worker stopped')),
    };
    const result = await buildExport({ query, sink, page });
    expect(result).toEqual({
      ok: false,
      error: {
        message:
          'The file could not be written (the export worker stopped). Try again; if it fails again, restart the app.',
      },
    });
  });
});
