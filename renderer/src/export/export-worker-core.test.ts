/**
 * The export worker's work in plain Node: a start, windows of rows and a finish make one file
 * (the Blob the UI thread downloads) with the table's own columns, rows written once; rows
 * before a start, or a format it cannot write, answer a failure and nothing after it.
 */
import { describe, expect, it } from 'vitest';
import type { FailedRequestRow, TicketRow } from '../../../shared/domain.js';
import { FAILED_EXPORT_COLUMNS, TICKET_EXPORT_COLUMNS } from './export-columns.js';
import {
  createExportWorkerCore,
  type ExportWorkerReply,
  type ExportWorkerRequest,
} from './export-worker-core.js';

function failed(i: number): FailedRequestRow {
  return {
    instance: `f-${i}`,
    ticketInstance: `t-${i}`,
    httpErrorCode: i % 2 ? 503 : null,
    appErrorCode: String(i),
    errorMessage: i === 1 ? '=1+1' : `Refused ${i}`,
    errorDescription: 'Line one\nline two, "quoted"',
    failedAt: `2026-01-0${i + 1}T00:00:00.000Z`,
  };
}

/** Runs `requests` through a worker core; its replies. */
function run(requests: ExportWorkerRequest[]): ExportWorkerReply[] {
  const replies: ExportWorkerReply[] = [];
  const handle = createExportWorkerCore((reply) => replies.push(reply));
  requests.forEach(handle);
  return replies;
}

/** The file's bytes as text, the byte order mark kept. */
async function textOf(reply: ExportWorkerReply | undefined): Promise<string> {
  if (reply?.kind !== 'done') throw new Error(`no file: ${JSON.stringify(reply)}`);
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await reply.file.arrayBuffer());
}

describe('the export worker', () => {
  it('writes a Failed Ticket Requests CSV with its columns, each row once, as a CSV blob', async () => {
    const rows = [0, 1, 2].map(failed);
    const replies = run([
      { kind: 'start', table: 'failed', format: 'csv' },
      { kind: 'rows', rows: rows.slice(0, 2) },
      { kind: 'rows', rows: rows.slice(1) },
      { kind: 'finish' },
    ]);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.kind === 'done' && replies[0].file.type).toBe('text/csv;charset=utf-8');
    const text = await textOf(replies[0]);
    expect(text.startsWith('\uFEFFInstance,Ticket Instance,Failed At,Element Name,')).toBe(true);
    const header = FAILED_EXPORT_COLUMNS.map((c) => c.header).join(',');
    expect(text).toBe(
      [
        `\uFEFF${header}`,
        'f-0,t-0,2026-01-01T00:00:00.000Z,,,,,,,0,create,Refused 0,"Line one\nline two, ""quoted"""',
        `f-1,t-1,2026-01-02T00:00:00.000Z,,,,,,503,1,create,'=1+1,"Line one\nline two, ""quoted"""`,
        'f-2,t-2,2026-01-03T00:00:00.000Z,,,,,,,2,create,Refused 2,"Line one\nline two, ""quoted"""',
        '',
      ].join('\r\n'),
    );
  });

  it('writes a Tickets JSON file as the rows, with the Tickets columns for CSV', async () => {
    const row = { instance: 'i-1', ticketId: 'OCE-1', status: 'Created' } as TicketRow;
    const json = run([
      { kind: 'start', table: 'tickets', format: 'json' },
      { kind: 'rows', rows: [row, row] },
      { kind: 'finish' },
    ]);
    expect(json[0]?.kind === 'done' && json[0].file.type).toBe('application/json;charset=utf-8');
    expect(JSON.parse(await textOf(json[0]))).toEqual([row]);
    const csv = run([{ kind: 'start', table: 'tickets', format: 'csv' }, { kind: 'finish' }]);
    expect(await textOf(csv[0])).toBe(
      `\uFEFF${TICKET_EXPORT_COLUMNS.map((c) => c.header).join(',')}\r\n`,
    );
  });

  it('answers a failure for rows before a start, and nothing after a failure', () => {
    const replies = run([
      { kind: 'rows', rows: [failed(0)] },
      { kind: 'start', table: 'failed', format: 'csv' },
      { kind: 'finish' },
    ]);
    expect(replies).toEqual([{ kind: 'failed', message: 'rows before start' }]);
  });

  it('answers a failure when a row cannot be written', () => {
    const cyclic: Record<string, unknown> = { instance: 'x' };
    cyclic.self = cyclic;
    const replies = run([
      { kind: 'start', table: 'tickets', format: 'json' },
      { kind: 'rows', rows: [cyclic as { instance: string }] },
      { kind: 'finish' },
    ]);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.kind).toBe('failed');
  });
});
