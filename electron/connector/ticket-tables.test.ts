/**
 * The alarm's open requests as a new request's checks read them (one query for the Tickets
 * table and the queue): a Pending or Created row counts, the newest first; a Failed row does
 * not; the queue answers with the alarm's own request, or a group request that names it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CreateTicketRequest, TicketRow } from '../../shared/domain.js';
import { newRequestState } from './ticket-request-state.js';
import { TicketTables, pendingRow, type QueueEntry } from './ticket-tables.js';

function request(alarmId: string, others: string[] = []): CreateTicketRequest {
  return {
    dmaId: '7',
    elementId: '1',
    alarmId,
    elementName: 'RTR',
    alarmValue: 'down',
    rootTime: '2025-03-01T10:00:00Z',
    priority: 'High',
    urgency: 'Medium',
    technicalImpact: 'Major',
    ...(others.length > 0
      ? {
          otherAlarms: others.map((id) => ({
            dmaId: '7',
            elementId: '1',
            alarmId: id,
            elementName: 'RTR',
          })),
        }
      : {}),
  };
}

describe('TicketTables.alarmRequests', () => {
  let dir: string;
  let tables: TicketTables;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ticket-tables-'));
    tables = TicketTables.open(dir);
  });
  afterEach(async () => {
    await tables.close();
    await rm(dir, { recursive: true, force: true });
  });

  const row = (instance: string, alarmId: string, status: TicketRow['status']): TicketRow => ({
    ...pendingRow(instance, request(alarmId), '2025-03-01T10:00:00.000Z'),
    status,
  });
  const queued = (instance: string, req: CreateTicketRequest): QueueEntry => ({
    instance,
    request: req,
    enqueuedAt: '2025-03-01T10:00:00.000Z',
    state: newRequestState(false),
  });

  it('finds nothing for an alarm without rows', () => {
    const found = tables.alarmRequests('7/1');
    expect([found.active, found.queued()]).toEqual([null, null]);
  });

  it('takes the newest Pending or Created row and leaves Failed rows out', () => {
    const rows = [row('a', '1', 'Created'), row('b', '1', 'Failed'), row('c', '2', 'Failed')];
    tables.write(
      [tables.tickets.change(rows.map((value) => ({ key: value.instance, value })))],
      false,
    );
    expect(tables.alarmRequests('7/1').active).toBe('a');
    expect(tables.alarmRequests('7/2').active).toBeNull();
    tables.write([tables.tickets.change([{ key: 'd', value: row('d', '1', 'Pending') }])], false);
    expect(tables.alarmRequests('7/1').active).toBe('d');
  });

  it("answers with the alarm's queued request, or the group request that names it", () => {
    tables.write(
      [
        tables.queue.change([
          { key: 'q1', value: queued('q1', request('1')) },
          { key: 'g', value: queued('g', request('2', ['3'])) },
        ]),
      ],
      false,
    );
    expect(tables.alarmRequests('7/1').queued()).toBe('q1');
    expect(tables.alarmRequests('7/1').active).toBeNull();
    expect(tables.alarmRequests('7/2').queued()).toBe('g');
    expect(tables.alarmRequests('7/3').queued()).toBe('g');
    expect(tables.alarmRequests('7/4').queued()).toBeNull();
  });
});
