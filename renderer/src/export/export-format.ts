/**
 * The formatting of an export file (issue 12 item 3), alone so that the export worker holds
 * only this and csv-stringify (not zod or the IPC contract).
 *
 * CSV: RFC 4180 (quoted where needed, CRLF line ends) by csv-stringify, UTF-8 with a byte
 * order mark for spreadsheet programs; a cell that a spreadsheet would read as a formula
 * (starting with =, +, -, @, a tab or a carriage return) gets a leading apostrophe (OWASP's
 * advice on CSV injection). JSON: an array of the rows as main keeps them.
 */
import { stringify } from 'csv-stringify/browser/esm/sync';
import type { ExportColumn } from './export-columns.js';

/** The byte order mark that tells spreadsheet programs the file is UTF-8. */
export const UTF8_BOM = '\uFEFF';

/** The export formats. */
export type ExportFormat = 'csv' | 'json';

/** The media type of each format's file. */
export const EXPORT_MIME: Record<ExportFormat, string> = {
  csv: 'text/csv;charset=utf-8',
  json: 'application/json;charset=utf-8',
};

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

/** Builds one export file from windows of rows. */
export interface ExportFormatter<R> {
  /** Formats `rows`; a row already written (it moved between two windows) is left out. */
  add(rows: readonly R[]): void;
  /** The file's parts, in order (BOM and header, or the JSON array around the rows). */
  finish(): string[];
}

/** A formatter of one CSV or JSON file. */
export function createExportFormatter<R extends { instance: string }>(
  columns: readonly ExportColumn<R>[],
  format: ExportFormat,
): ExportFormatter<R> {
  const seen = new Set<string>();
  const parts: string[] = format === 'csv' ? [UTF8_BOM + csvHeader(columns)] : ['['];
  let first = true;
  return {
    add(rows) {
      const fresh = rows.filter((r) => {
        if (seen.has(r.instance)) return false;
        seen.add(r.instance);
        return true;
      });
      if (fresh.length === 0) return;
      if (format === 'csv') {
        parts.push(csvLines(columns, fresh));
        return;
      }
      parts.push(
        fresh.map((row, i) => `${first && i === 0 ? '\n' : ',\n'}${JSON.stringify(row)}`).join(''),
      );
      first = false;
    },
    finish() {
      if (format === 'json') parts.push(first ? ']\n' : '\n]\n');
      return parts;
    },
  };
}
