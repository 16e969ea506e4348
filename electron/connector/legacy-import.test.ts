/**
 * Upgrade without loss (issue 9): the first start imports the `.jsonl` tables written by the
 * release before the SQL store exactly once, keeps the old files aside and says what was
 * imported. The fixtures were written by that release's JournalTable
 * (electron/storage/legacy-fixtures/README.md).
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { TicketRow } from '../../shared/domain.js';
import { readStoredRows } from '../storage/store-faults.js';
import { startRig, type Rig } from './test-support.js';
import { TicketTables } from './ticket-tables.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, '..', 'storage', 'legacy-fixtures');
const JOURNALS = ['tickets.jsonl', 'failed-requests.jsonl', 'queue.jsonl'];

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

/** A rig folder holding the journals of `fixture`, as the earlier release left them. */
async function upgradedFolder(fixture: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'oceane-upgrade-'));
  await mkdir(path.join(dir, 'data'));
  for (const name of JOURNALS) {
    await cp(path.join(fixtures, fixture, name), path.join(dir, 'data', name));
  }
  await cp(
    path.join(fixtures, fixture, 'alarm-properties.jsonl'),
    path.join(dir, 'alarm-properties.jsonl'),
  );
  return dir;
}

describe('the first start after the upgrade', () => {
  it('imports every table once, keeps the old files aside and tells the operator', async () => {
    const dir = await upgradedFolder('v0-journals');
    rig = await startRig({ dir, connector: { autoStart: false } });
    const connector = rig.connector;
    expect(connector.notices.map((n) => [n.level, n.title])).toEqual([
      ['info', 'Tickets table imported'],
      ['info', 'Failed Ticket Requests table imported'],
      ['info', 'Pending ticket queue imported'],
    ]);
    expect(connector.notices[0]?.message).toMatch(
      /^Tickets table: 29 rows imported from .*tickets\.jsonl into the database, the old file kept as .*tickets\.jsonl\.imported-/,
    );
    const tickets = connector.listTickets();
    expect(tickets).toHaveLength(29);
    expect(tickets.filter((t) => t.status === 'Created')).toHaveLength(19);
    expect(tickets.filter((t) => t.status === 'Failed')).toHaveLength(6);
    expect(tickets.filter((t) => t.status === 'Pending')).toHaveLength(4);
    expect(connector.listFailedRequests()).toHaveLength(6);
    expect(connector.getQueueStatus().pending).toHaveLength(4);
    expect(rig.props.get('101', '5001')['Oceane Ticket ID']).toBe('OCE-1001');
    expect(rig.props.all().size).toBe(20);
    const files = await readdir(path.join(dir, 'data'));
    for (const name of JOURNALS) {
      expect(files).not.toContain(name);
      expect(files.filter((f) => f.startsWith(`${name}.imported-`))).toHaveLength(1);
    }

    const again = await rig.reopen();
    expect(again.notices).toEqual([]);
    expect(again.listTickets()).toEqual(tickets);
    expect(again.getQueueStatus().pending).toHaveLength(4);
  });

  it('a damaged journal: its readable rows are imported and the loss is told', async () => {
    const dir = await upgradedFolder('v0-damaged');
    rig = await startRig({ dir, connector: { autoStart: false } });
    const notice = rig.connector.notices.find((n) => n.title === 'Tickets table imported');
    expect(notice?.level).toBe('warning');
    expect(notice?.message).toMatch(
      /^Tickets table: 30 rows imported .*; 2 damaged lines could not be read and stay in the old file\.$/,
    );
    // The garbage line was the first write of request 5; its later Created line keeps it. The
    // cut last line was the pruning of request 0, which therefore stays.
    expect(rig.connector.listTickets()).toHaveLength(30);
    expect(rig.connector.listFailedRequests()).toHaveLength(6);
  });

  it(
    'a crash in the middle of the import: the next start imports exactly once',
    { timeout: 120_000 },
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'oceane-upgrade-crash-'));
      const dataDir = path.join(dir, 'data');
      await mkdir(dataDir);
      // A journal large enough for the import to take a while.
      const base = Date.parse('2026-01-01T00:00:00.000Z');
      const lines: string[] = [];
      const rows = 40_000;
      for (let i = 0; i < rows; i++) {
        const row: TicketRow = {
          instance: `i-${i}`,
          ticketId: `OCE-${i}`,
          alarmId: String(10_000 + i),
          dmaId: '7',
          elementId: '1',
          elementName: 'Core-1',
          createdAt: new Date(base + i * 1000).toISOString(),
          priority: 'Low',
          urgency: 'Low',
          technicalImpact: 'Minor',
          clientImpact: '',
          rootCause: 'x',
          rootTime: '',
          description: '',
          status: 'Created',
          ticketUrl: `https://oceane.invalid/ticket/OCE-${i}`,
        };
        lines.push(JSON.stringify({ k: row.instance, v: row }));
      }
      await writeFile(path.join(dataDir, 'tickets.jsonl'), lines.join('\n') + '\n');
      // Killed at growing moments after the child starts opening, until one run finishes.
      let finished = false;
      let kills = 0;
      for (let attempt = 0; attempt < 12 && !finished; attempt++) {
        finished = await openAndKill(dataDir, 30 + attempt * 200);
        if (!finished) kills++;
      }
      expect(kills).toBeGreaterThan(0);
      const tables = TicketTables.open(dataDir);
      try {
        expect(tables.tickets.size).toBe(rows);
        const keys = new Set(readStoredRows<TicketRow>(dataDir, 'tickets').map((r) => r.instance));
        expect(keys.size).toBe(rows);
        const files = await readdir(dataDir);
        expect(files).not.toContain('tickets.jsonl');
        expect(files.filter((f) => f.startsWith('tickets.jsonl.imported-'))).toHaveLength(1);
      } finally {
        await tables.close();
      }
    },
  );

  it('killed after the import was committed but before the file was renamed: not imported again', async () => {
    const dir = await upgradedFolder('v0-journals');
    const dataDir = path.join(dir, 'data');
    const tables = TicketTables.open(dataDir);
    expect(tables.imports.map(([what]) => what)).toHaveLength(3);
    // A later change, then the old file back under its name, as if the rename had not happened.
    const [first] = tables.tickets.values();
    if (!first) throw new Error('no rows');
    await tables.tickets.commit([
      { key: first.instance, value: { ...first, ticketId: 'CHANGED' } },
    ]);
    await tables.close();
    const [aside] = (await readdir(dataDir)).filter((f) => f.startsWith('tickets.jsonl.imported-'));
    await rename(path.join(dataDir, aside ?? ''), path.join(dataDir, 'tickets.jsonl'));
    const reopened = TicketTables.open(dataDir);
    try {
      expect(reopened.tickets.size).toBe(29);
      expect(reopened.tickets.get(first.instance)?.ticketId).toBe('CHANGED');
      expect(reopened.imports).toEqual([
        ['Tickets table', expect.objectContaining({ rows: 29, badLines: 0 }), 'rows'],
      ]);
    } finally {
      await reopened.close();
    }
  });
});

/** Runs a child that opens the tables; kills it `afterMs` after it starts opening. */
async function openAndKill(dataDir: string, afterMs: number): Promise<boolean> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'open-tables-process.ts'), dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (output.includes('opening') || child.exitCode !== null) {
        clearInterval(check);
        resolve();
      }
    }, 2);
  });
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  return output.includes('opened');
}
