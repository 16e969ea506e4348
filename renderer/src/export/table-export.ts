/**
 * Exports of the Tickets and Failed Ticket Requests tables (issue 12 item 3), as the view
 * filters and sorts them, to CSV and to JSON. The rows come page by page through
 * `tables:page` (never the whole table at once) and are formatted in slices of about ten
 * milliseconds, each followed by a turn of the event loop, so that the UI stays responsive
 * and shows progress.
 *
 * CSV: RFC 4180 (quoted where needed, CRLF line ends) by csv-stringify, UTF-8 with a byte
 * order mark for spreadsheet programs; a cell that a spreadsheet would read as a formula
 * (starting with =, +, -, @, a tab or a carriage return) gets a leading apostrophe (OWASP's
 * advice on CSV injection). JSON: an array of the rows as main keeps them.
 */
import { stringify } from 'csv-stringify/browser/esm/sync';
import {
  TABLE_PAGE_MAX_ROWS,
  type TablePageFor,
  type TablePageQuery,
} from '../../../shared/table-page.js';

/** A call's outcome: the value, or why it failed in a sentence. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: { message: string } };

/** The byte order mark that tells spreadsheet programs the file is UTF-8. */
export const UTF8_BOM = '\uFEFF';

/** One column of a CSV export: its header and its text. */
export interface ExportColumn<R> {
  header: string;
  value: (row: R) => string;
}

/** The export formats. */
export type ExportFormat = 'csv' | 'json';

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * RFC 4180: CRLF between records, and a field holding a line break quoted. csv-stringify
 * quotes the delimiter, quotes and its own record delimiter by itself, not a lone LF or CR.
 */
const CSV_OPTIONS = { record_delimiter: '\r\n', quoted_match: /[\r\n]/ };

/** The cell as a spreadsheet will show it: a would-be formula gets a leading apostrophe. */
export function neutralise(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** The CSV lines of `rows` (no BOM, no header), each ending in CRLF. */
export function csvLines<R>(columns: readonly ExportColumn<R>[], rows: readonly R[]): string {
  if (rows.length === 0) return '';
  return stringify(
    rows.map((row) => columns.map((c) => neutralise(c.value(row)))),
    CSV_OPTIONS,
  );
}

/** The CSV header line. */
export function csvHeader<R>(columns: readonly ExportColumn<R>[]): string {
  return stringify([columns.map((c) => neutralise(c.header))], CSV_OPTIONS);
}

/** The file name of an export: the table, the local time of the export, the format. */
export function exportFileName(what: string, format: ExportFormat, now = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp =
    `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}` +
    `-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `${what}-${stamp}.${format}`;
}

/** How far an export is: rows read of the rows matching. */
export interface ExportProgress {
  done: number;
  total: number;
}

/** Rows formatted between two turns of the event loop (about 10 ms of work for CSV). */
export const SLICE_ROWS = 100;

/**
 * Gives the event loop a turn (input, rendering) between two slices of work: a message to
 * ourselves, which (unlike a nested setTimeout) is not clamped to 4 ms.
 */
function yieldToUi(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Builds the export of every row matching `query` (sort and filter as the view has them),
 * reading pages of TABLE_PAGE_MAX_ROWS. A row that moved between two pages (the table changed
 * meanwhile) is written once. Answers the file's parts, or the failure of a page.
 */
export async function buildExport<
  Q extends TablePageQuery,
  R extends { instance: string },
>(options: {
  query: Omit<Q, 'offset' | 'limit'>;
  format: ExportFormat;
  columns: readonly ExportColumn<R>[];
  page: (query: TablePageQuery) => Promise<Outcome<TablePageFor<TablePageQuery>>>;
  onProgress?: (progress: ExportProgress) => void;
}): Promise<Outcome<string[]>> {
  const { query, format, columns, page, onProgress } = options;
  const seen = new Set<string>();
  const parts: string[] = format === 'csv' ? [UTF8_BOM + csvHeader(columns)] : ['['];
  let first = true;
  for (let offset = 0; ; offset += TABLE_PAGE_MAX_ROWS) {
    const result = await page({ ...query, offset, limit: TABLE_PAGE_MAX_ROWS } as TablePageQuery);
    if (!result.ok) return result;
    const rows = (result.value.rows as unknown as R[]).filter((r) => {
      if (seen.has(r.instance)) return false;
      seen.add(r.instance);
      return true;
    });
    for (let i = 0; i < rows.length; i += SLICE_ROWS) {
      const slice = rows.slice(i, i + SLICE_ROWS);
      if (format === 'csv') parts.push(csvLines(columns, slice));
      else {
        for (const row of slice) {
          parts.push(`${first ? '\n' : ',\n'}${JSON.stringify(row)}`);
          first = false;
        }
      }
      await yieldToUi();
    }
    const total = result.value.total;
    onProgress?.({ done: Math.min(offset + result.value.rows.length, total), total });
    if (offset + TABLE_PAGE_MAX_ROWS >= total) break;
    await yieldToUi();
  }
  if (format === 'json') parts.push(first ? ']\n' : '\n]\n');
  return { ok: true, value: parts };
}
