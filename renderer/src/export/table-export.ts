/**
 * Exports of the Tickets and Failed Ticket Requests tables (issue 12 item 3), as the view
 * filters and sorts them, to CSV and to JSON: the paging. The rows come window by window through `tables:page`
 * (never the whole table at once) and go to a sink that formats them: the worker, or, where
 * no worker can start, a formatter here that works in slices with a turn of the event loop
 * between them. The files' format is in export-format.ts.
 */
import {
  TABLE_PAGE_MAX_ROWS,
  type TablePageFor,
  type TablePageQuery,
} from '../../../shared/table-page.js';
import type { ExportColumn } from './export-columns.js';
import { createExportFormatter, type ExportFormat } from './export-format.js';

/** A call's outcome: the value, or why it failed in a sentence. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: { message: string } };

/** The file name of an export: the table, the local time of the export, the format. */
export function exportFileName(what: string, format: ExportFormat, now = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp =
    `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}` +
    `-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `${what}-${stamp}.${format}`;
}

/** Where the rows of an export go: a formatter, here or in the export worker. */
export interface ExportSink<T> {
  /** Takes a window of rows (rejects when the sink has failed). */
  add(rows: readonly { instance: string }[]): Promise<void>;
  /** The file, once every row was added. */
  finish(): Promise<T>;
  /** Drops the export (a window could not be read). */
  cancel(): void;
}

/** Rows formatted between two turns of the event loop by the sink on the UI thread. */
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
 * A sink that formats on this thread, SLICE_ROWS rows at a time with a turn of the event loop
 * between slices: the fallback where the export worker cannot start.
 */
export function slicedSink<R extends { instance: string }>(
  columns: readonly ExportColumn<R>[],
  format: ExportFormat,
): ExportSink<string[]> {
  const formatter = createExportFormatter(columns, format);
  return {
    async add(rows) {
      for (let i = 0; i < rows.length; i += SLICE_ROWS) {
        formatter.add(rows.slice(i, i + SLICE_ROWS) as unknown as R[]);
        await yieldToUi();
      }
    },
    finish: () => Promise.resolve(formatter.finish()),
    cancel: () => undefined,
  };
}

/** How far an export is: rows read of the rows matching. */
export interface ExportProgress {
  done: number;
  total: number;
}

/**
 * Builds the export of every row matching `query` (sort and filter as the view has them),
 * reading windows of TABLE_PAGE_MAX_ROWS into `sink`. Answers the sink's file, the failure of
 * a window, or the sink's failure in a sentence.
 */
export async function buildExport<T>(options: {
  query: Omit<TablePageQuery, 'offset' | 'limit'>;
  sink: ExportSink<T>;
  page: (query: TablePageQuery) => Promise<Outcome<TablePageFor<TablePageQuery>>>;
  onProgress?: (progress: ExportProgress) => void;
}): Promise<Outcome<T>> {
  const { query, sink, page, onProgress } = options;
  try {
    for (let offset = 0; ; offset += TABLE_PAGE_MAX_ROWS) {
      const result = await page({ ...query, offset, limit: TABLE_PAGE_MAX_ROWS } as TablePageQuery);
      if (!result.ok) {
        sink.cancel();
        return result;
      }
      await sink.add(result.value.rows);
      const total = result.value.total;
      onProgress?.({ done: Math.min(offset + result.value.rows.length, total), total });
      if (offset + TABLE_PAGE_MAX_ROWS >= total) break;
    }
    return { ok: true, value: await sink.finish() };
  } catch (error) {
    sink.cancel();
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: {
        message: `The file could not be written (${reason}). Try again; if it fails again, restart the app.`,
      },
    };
  }
}
