/**
 * The Export CSV and Export JSON buttons of a ticket table (issue 12 item 3), with the
 * export's progress; the file is formatted in the export worker (export-runner.ts), off the
 * UI thread. The file is handed over as a download of a blob: the desktop app shows
 * the operating system's save dialog for it (main accepts only these downloads, see
 * electron/platform/web-security.ts), a browser saves it.
 */
import { useState } from 'react';
import type { TablePageQuery } from '../../../shared/table-page.js';
import { runExport } from '../export/export-runner.js';
import type { ExportFormat } from '../export/export-format.js';
import { exportFileName, type ExportProgress } from '../export/table-export.js';
import { useAppStore } from '../store/store.js';

/** Saves `file` as `name` through a download of the blob. */
function saveFile(file: Blob, name: string): void {
  const url = URL.createObjectURL(file);
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

/** The export buttons of one table (its columns are those of `query.table`). */
export function ExportButtons({
  what,
  query,
}: {
  /** The table, for the file name and the messages: "tickets", "failed-ticket-requests". */
  what: string;
  query: Omit<TablePageQuery, 'offset' | 'limit'>;
}) {
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const run = async (format: ExportFormat): Promise<void> => {
    setProgress({ done: 0, total: 0 });
    let result;
    try {
      result = await runExport(query, format, setProgress);
    } finally {
      setProgress(null);
    }
    if (result.ok) saveFile(result.value, exportFileName(what, format));
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
