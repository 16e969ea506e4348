/**
 * The export worker's work, without the worker (so that it runs under Vitest in plain Node):
 * the messages between the UI thread and the worker, and what the worker does with each. The
 * UI thread reads the windows of rows from main and posts them here; the worker formats them
 * (csv-stringify or JSON, the slow part of a large export) and answers the whole file as a
 * Blob, which the UI thread only hands to the download.
 */
import { exportColumnsOf, type ExportTable } from './export-columns.js';
import {
  EXPORT_MIME,
  createExportFormatter,
  type ExportFormat,
  type ExportFormatter,
} from './export-format.js';

/** From the UI thread to the worker, in this order: start, rows (any number), finish. */
export type ExportWorkerRequest =
  | { kind: 'start'; table: ExportTable; format: ExportFormat }
  | { kind: 'rows'; rows: readonly { instance: string }[] }
  | { kind: 'finish' };

/** From the worker: it runs (posted once, when loaded), the file, or why there is none. */
export type ExportWorkerReply =
  { kind: 'ready' } | { kind: 'done'; file: Blob } | { kind: 'failed'; message: string };

/** The worker's message handler, answering through `reply`. */
export function createExportWorkerCore(
  reply: (message: ExportWorkerReply) => void,
): (request: ExportWorkerRequest) => void {
  let formatter: ExportFormatter<{ instance: string }> | null = null;
  let format: ExportFormat = 'csv';
  let failed = false;
  return (request) => {
    if (failed) return;
    try {
      if (request.kind === 'start') {
        format = request.format;
        formatter = createExportFormatter(exportColumnsOf(request.table), format);
        return;
      }
      if (!formatter) throw new Error(`${request.kind} before start`);
      if (request.kind === 'rows') {
        formatter.add(request.rows);
        return;
      }
      const file = new Blob(formatter.finish(), { type: EXPORT_MIME[format] });
      formatter = null;
      reply({ kind: 'done', file });
    } catch (error) {
      failed = true;
      formatter = null;
      reply({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };
}
