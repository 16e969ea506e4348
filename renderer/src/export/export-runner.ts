/**
 * Runs an export for a view: the windows of rows are read from main here, on the UI thread
 * (an IPC call each, cheap), and formatted in the export worker, so that a large table never
 * freezes the UI. Where the worker cannot start, the rows are formatted here in slices (the
 * export still works, with short pauses).
 */
import type { TablePageQuery } from '../../../shared/table-page.js';
import { callMain } from '../api.js';
import { exportColumnsOf, type ExportTable } from './export-columns.js';
import type { ExportWorkerReply, ExportWorkerRequest } from './export-worker-core.js';
import { EXPORT_MIME, type ExportFormat } from './export-format.js';
import {
  buildExport,
  slicedSink,
  type ExportProgress,
  type ExportSink,
  type Outcome,
} from './table-export.js';

const WORKER_STOPPED = 'the export worker stopped';

/** Starts an export worker; its sink once it runs, or null when it cannot start. */
function startWorkerSink(
  table: ExportTable,
  format: ExportFormat,
): Promise<ExportSink<Blob> | null> {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./export-worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return Promise.resolve(null);
  }
  const post = (message: ExportWorkerRequest): void => worker.postMessage(message);
  let failure: string | null = null;
  let finishing: { resolve: (file: Blob) => void; reject: (error: Error) => void } | null = null;
  const fail = (message: string): void => {
    failure ??= message;
    worker.terminate();
    finishing?.reject(new Error(failure));
  };
  const sink: ExportSink<Blob> = {
    add(rows) {
      if (failure !== null) return Promise.reject(new Error(failure));
      post({ kind: 'rows', rows });
      return Promise.resolve();
    },
    finish() {
      return new Promise<Blob>((resolve, reject) => {
        if (failure !== null) return reject(new Error(failure));
        finishing = { resolve, reject };
        post({ kind: 'finish' });
      });
    },
    cancel: () => worker.terminate(),
  };
  return new Promise((resolve) => {
    let running = false;
    worker.onmessage = (event: MessageEvent<ExportWorkerReply>) => {
      const reply = event.data;
      if (reply.kind === 'ready') {
        running = true;
        post({ kind: 'start', table, format });
        resolve(sink);
      } else if (reply.kind === 'done') {
        worker.terminate();
        finishing?.resolve(reply.file);
      } else fail(reply.message);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (running) fail(event.message || WORKER_STOPPED);
      else {
        worker.terminate();
        resolve(null);
      }
    };
  });
}

/** A sink formatting on the UI thread in slices, answering a Blob like the worker. */
function slicedBlobSink(table: ExportTable, format: ExportFormat): ExportSink<Blob> {
  const sink = slicedSink(exportColumnsOf(table), format);
  return {
    ...sink,
    finish: async () => new Blob(await sink.finish(), { type: EXPORT_MIME[format] }),
  };
}

/** Exports every row of `query` as `format`: the file, or why there is none in a sentence. */
export async function runExport(
  query: Omit<TablePageQuery, 'offset' | 'limit'>,
  format: ExportFormat,
  onProgress: (progress: ExportProgress) => void,
): Promise<Outcome<Blob>> {
  const sink = (await startWorkerSink(query.table, format)) ?? slicedBlobSink(query.table, format);
  return buildExport({
    query,
    sink,
    page: (q) => callMain((api) => api.tablePage(q)),
    onProgress,
  });
}
