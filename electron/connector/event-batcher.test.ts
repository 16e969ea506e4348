import { describe, expect, it } from 'vitest';
import type { QueueStatus, TicketRow, TicketsChanged } from '../../shared/domain.js';
import { EventBatcher } from './event-batcher.js';
import { silentLogger } from './ports.js';

const status: QueueStatus = { locked: false, lockedBy: null, pending: [] };

function row(instance: string, s: TicketRow['status']): TicketRow {
  return {
    instance,
    ticketId: '',
    alarmId: '1',
    dmaId: '1',
    elementId: '1',
    elementName: 'E',
    createdAt: '2025-01-01T00:00:00.000Z',
    priority: 'High',
    urgency: 'Low',
    technicalImpact: 'Major',
    clientImpact: '',
    rootCause: '',
    rootTime: '',
    description: '',
    status: s,
    ticketUrl: '',
  };
}

/** A batcher whose queue status counts how often it is built. */
function countingBatcher(): { batcher: EventBatcher; built: () => number } {
  let built = 0;
  const batcher = new EventBatcher(
    {
      queueStatus: () => (built++, status),
      settings: () => {
        throw new Error('unused');
      },
    },
    silentLogger,
  );
  return { batcher, built: () => built };
}

describe('event batching', () => {
  it('coalesces the changes of one tick into one event per channel, latest state per row', async () => {
    const { batcher, built } = countingBatcher();
    const tickets: TicketsChanged[] = [];
    const queues: QueueStatus[] = [];
    batcher.on('tickets:changed', (c) => tickets.push(c));
    batcher.on('queue:changed', (q) => queues.push(q));
    for (let i = 0; i < 1000; i++) {
      batcher.ticketUpserted(row(`r${i}`, 'Pending'));
      batcher.queueChanged();
    }
    batcher.ticketUpserted(row('r0', 'Created'));
    batcher.ticketRemoved('r1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(tickets).toHaveLength(1);
    expect(tickets[0]?.upserted).toHaveLength(999);
    expect(tickets[0]?.upserted[0]?.status).toBe('Created');
    expect(tickets[0]?.removed).toEqual(['r1']);
    expect(queues).toHaveLength(1);
    expect(built()).toBe(1);
  });

  it('flushRows sends the rows at once; the queue status and the notices still leave once, at the end of the turn', async () => {
    const { batcher, built } = countingBatcher();
    const seen: string[] = [];
    batcher.on('tickets:changed', (c) =>
      seen.push(`tickets ${c.upserted.map((r) => r.status).join(',')}`),
    );
    batcher.on('failed:changed', (c) => seen.push(`failed ${c.upserted.length}`));
    batcher.on('queue:changed', () => seen.push('queue'));
    batcher.ticketUpserted(row('a', 'Pending'));
    batcher.queueChanged();
    batcher.ticketUpserted(row('a', 'Created'));
    batcher.flushRows();
    expect(seen).toEqual(['tickets Created']);
    batcher.queueChanged();
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['tickets Created', 'queue']);
    expect(built()).toBe(1);
  });

  it('builds nothing while nobody listens, and stops after unsubscribing', async () => {
    const { batcher, built } = countingBatcher();
    batcher.queueChanged();
    const heard: QueueStatus[] = [];
    const off = batcher.on('queue:changed', (q) => heard.push(q));
    off();
    batcher.queueChanged();
    await new Promise((resolve) => setImmediate(resolve));
    expect(built()).toBe(0);
    expect(heard).toEqual([]);
  });
});
