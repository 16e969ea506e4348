/**
 * The export worker (a module Web Worker, bundled by Vite as a file of its own and loaded from
 * the app's origin, which the Content-Security-Policy's script-src 'self' allows): formats
 * exports off the UI thread. The work is in export-worker-core.ts.
 */
import {
  createExportWorkerCore,
  type ExportWorkerReply,
  type ExportWorkerRequest,
} from './export-worker-core.js';

/** The part of the worker's global scope used here (the renderer's types are the window's). */
const scope = globalThis as unknown as {
  postMessage(message: ExportWorkerReply): void;
  onmessage: ((event: MessageEvent<ExportWorkerRequest>) => void) | null;
};

const handle = createExportWorkerCore((message) => scope.postMessage(message));
scope.onmessage = (event) => handle(event.data);
scope.postMessage({ kind: 'ready' });
