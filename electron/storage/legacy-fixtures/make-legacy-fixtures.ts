/**
 * Writes the `.jsonl` tables of the release before the SQL store (JournalTable, as it wrote
 * them) into `v0-journals/` and a damaged copy into `v0-damaged/`. Run once, with the journal
 * code of that release, to make the fixtures the upgrade tests import; the output is
 * committed, so this script is kept only as the record of how they were made.
 *
 *   npx tsx electron/storage/legacy-fixtures/make-legacy-fixtures.ts
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AlarmProperties, FailedRequestRow, TicketRow } from '../../../shared/domain.js';
import { pendingRow, type QueueEntry } from '../../connector/ticket-tables.js';
import { newRequestState } from '../../connector/ticket-request-machine.js';
import { JournalTable } from '../journal-table.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BASE = Date.parse('2026-11-20T08:00:00.000Z');

async function write(dir: string): Promise<void> {
  await fsp.rm(dir, { recursive: true, force: true });
  const tickets = await JournalTable.open<TicketRow>(path.join(dir, 'tickets.jsonl'));
  const failed = await JournalTable.open<FailedRequestRow>(path.join(dir, 'failed-requests.jsonl'));
  const queue = await JournalTable.open<QueueEntry>(path.join(dir, 'queue.jsonl'));
  const props = await JournalTable.open<AlarmProperties>(path.join(dir, 'alarm-properties.jsonl'));
  for (let i = 0; i < 30; i++) {
    const instance = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const createdAt = new Date(BASE + i * 60_000).toISOString();
    const request = {
      dmaId: '101',
      elementId: String(200 + (i % 5)),
      alarmId: String(5000 + i),
      elementName: `Router-${i % 5}`,
      priority: 'High',
      urgency: 'Medium',
      technicalImpact: 'Major',
      alarmValue: `Link down ${i}`,
      description: i % 3 === 0 ? `Fibre cut near site ${i}` : undefined,
    } as Parameters<typeof pendingRow>[1];
    const row = pendingRow(instance, request, createdAt);
    await tickets.commit([{ key: instance, value: row }]);
    if (i < 20) {
      const ticketId = `OCE-${1000 + i}`;
      const url = `https://oceane.invalid/ticket/${ticketId}`;
      await tickets.commit([
        { key: instance, value: { ...row, status: 'Created', ticketId, ticketUrl: url } },
      ]);
      await props.commit([
        {
          key: `101/${request.alarmId}`,
          value: { 'Oceane Ticket ID': ticketId, 'Oceane Ticket URL': url },
        },
      ]);
    } else if (i < 26) {
      const failedRow: FailedRequestRow = {
        instance: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        ticketInstance: instance,
        httpErrorCode: i % 2 === 0 ? 503 : null,
        appErrorCode: i % 2 === 0 ? 'SERVICE_UNAVAILABLE' : '',
        errorMessage: 'Oceane did not answer',
        errorDescription: 'The request timed out twice',
        failedAt: new Date(BASE + i * 60_000 + 30_000).toISOString(),
        failedCall: 'create',
      };
      await failed.commit([{ key: failedRow.instance, value: failedRow }]);
      await tickets.commit([{ key: instance, value: { ...row, status: 'Failed' } }]);
    } else {
      const entry: QueueEntry = {
        instance,
        request,
        enqueuedAt: createdAt,
        state: newRequestState(true),
      };
      await queue.commit([{ key: instance, value: entry }]);
    }
  }
  // A pruned row, as retention writes it.
  await tickets.commit([{ key: '00000000-0000-4000-8000-000000000000', delete: true }]);
  await Promise.all([tickets.close(), failed.close(), queue.close(), props.close()]);
}

const good = path.join(here, 'v0-journals');
await write(good);
const damaged = path.join(here, 'v0-damaged');
await write(damaged);
// A damaged journal: a line of garbage in the middle, and a last line cut short (a crash or
// a full disk during its write).
const file = path.join(damaged, 'tickets.jsonl');
const lines = (await fsp.readFile(file, 'utf8')).split('\n');
lines.splice(10, 1, '{"k":"broken", "v": {garbage');
await fsp.writeFile(file, lines.join('\n').replace(/\n$/, '').slice(0, -40));
console.log('fixtures written');
