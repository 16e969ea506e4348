/**
 * The Export CSV and Export JSON buttons of a ticket table (issue 12 item 3), with the
 * export's progress. The file is handed over as a download of a blob: the desktop app shows
 * the operating system's save dialog for it (main accepts only these downloads, see
 * electron/platform/web-security.ts), a browser saves it.
 */
import { useState } from 'react';
import type { TablePageQuery } from '../../../shared/table-page.js';
import { callMain } from '../api.js';
import {
  buildExport,
  exportFileName,
  type ExportColumn,
  type ExportFormat,
  type ExportProgress,
} from '../export/table-export.js';
import { useAppStore } from '../store/store.js';

const MIME: Record<ExportFormat, string> = {
  csv: 'text/csv;charset=utf-8',
  json: 'application/json;charset=utf-8',
};

/** Saves `parts` as the file `name` through a download of a blob. */
function saveFile(parts: string[], name: string, format: ExportFormat): void {
  const url = URL.createObjectURL(new Blob(parts, { type: MIME[format] }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has read the blob long before; the memory goes back.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The export buttons of one table. */
export function ExportButtons<Q extends TablePageQuery, R extends { instance: string }>({
  what,
  query,
  columns,
}: {
  /** The table, for the file name and the messages: "tickets", "failed-ticket-requests". */
  what: string;
  query: Omit<Q, 'offset' | 'limit'>;
  columns: readonly ExportColumn<R>[];
}) {
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const run = async (format: ExportFormat): Promise<void> => {
    setProgress({ done: 0, total: 0 });
    let result;
    try {
      result = await buildExport<Q, R>({
        query,
        format,
        columns,
        page: (q) => callMain((api) => api.tablePage(q)),
        onProgress: setProgress,
      });
    } finally {
      setProgress(null);
    }
    if (result.ok) saveFile(result.value, exportFileName(what, format), format);
    else {
      useAppStore.getState().notify({
        level: 'error',
        title: 'Export failed',
        message: `The ${what.replace(/-/g, ' ')} could not be exported. ${result.error.message}`,
      });
    }
  };
  const busy = progress !== null;
  return (
    <div className="export-buttons" role="group" aria-label="Export">
      <button type="button" className="small" disabled={busy} onClick={() => void run('csv')}>
        Export CSV
      </button>
      <button type="button" className="small" disabled={busy} onClick={() => void run('json')}>
        Export JSON
      </button>
      {busy ? (
        <>
          <progress
            aria-label="Export progress"
            value={progress.done}
            max={Math.max(1, progress.total)}
          />
          <span role="status" className="export-status">
            {`Exporting ${progress.done.toLocaleString()} of ${progress.total.toLocaleString()} rows…`}
          </span>
        </>
      ) : null}
    </div>
  );
}
