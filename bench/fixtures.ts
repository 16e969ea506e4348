/**
 * Fast fixtures for the benchmarks: data folders prefilled with many rows, loaded into the SQL
 * store in one transaction (store-fill.ts) instead of one commit per row.
 */
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import {
  PROPERTY_TICKET_ID,
  PROPERTY_TICKET_URL,
  type AlarmProperties,
  type CreateTicketRequest,
  type TicketRow,
} from '../shared/domain.js';
import type { QueueEntry } from '../electron/connector/index.js';
import { newRequestState } from '../electron/connector/ticket-request-machine.js';
import { fillStore } from './store-fill.js';

/** DMA ID of the prefilled rows; the benchmarks' new tickets use other DMA IDs. */
export const PREFILL_DMA = '900';

/** What a prefilled data folder holds. */
export interface PrefillSpec {
  /** Created tickets (each with its alarm properties). */
  created: number;
  /** Pending tickets, each with its queue entry. */
  pending: number;
  /** Base URL written into the ticket URLs. */
  baseUrl?: string;
  /** Creation time of the newest row (default now); older rows are 1 s apart. */
  nowMs?: number;
}

/** The rows written, for a baseline that parses the same data. */
export interface PrefillData {
  tickets: TicketRow[];
  queue: QueueEntry[];
  properties: [string, AlarmProperties][];
}

function request(i: number): CreateTicketRequest {
  return {
    dmaId: PREFILL_DMA,
    elementId: String(1 + (i % 60)),
    alarmId: String(100_000 + i),
    elementName: `PAR-CORE-RTR-${String(1 + (i % 60)).padStart(2, '0')}`,
    alarmValue: 'Link down',
    rootTime: '2025-03-01T10:00:00Z',
    priority: 'High',
    urgency: 'Medium',
    technicalImpact: 'Major',
  };
}

function row(i: number, instance: string, createdAt: string, status: TicketRow['status']) {
  const r = request(i);
  const ticketId = status === 'Created' ? `OCE-${String(i + 1).padStart(7, '0')}` : '';
  return {
    instance,
    ticketId,
    alarmId: r.alarmId,
    dmaId: r.dmaId,
    elementId: r.elementId,
    elementName: r.elementName,
    createdAt,
    priority: r.priority,
    urgency: r.urgency,
    technicalImpact: r.technicalImpact,
    clientImpact: '',
    rootCause: r.alarmValue ?? '',
    rootTime: r.rootTime ?? '',
    description: '',
    status,
    ticketUrl: '',
  } satisfies TicketRow;
}

/** Builds the rows of a prefilled data folder (oldest first). */
export function makePrefillData(spec: PrefillSpec): PrefillData {
  const total = spec.created + spec.pending;
  const now = spec.nowMs ?? Date.now();
  const baseUrl = spec.baseUrl ?? 'http://127.0.0.1:9';
  const tickets: TicketRow[] = [];
  const queue: QueueEntry[] = [];
  const properties: [string, AlarmProperties][] = [];
  for (let i = 0; i < total; i++) {
    const createdAt = new Date(now - (total - i) * 1000).toISOString();
    const instance = randomUUID();
    if (i < spec.created) {
      const t = row(i, instance, createdAt, 'Created');
      t.ticketUrl = `${baseUrl}/ticket/${t.ticketId}`;
      tickets.push(t);
      properties.push([
        `${t.dmaId}/${t.alarmId}`,
        { [PROPERTY_TICKET_ID]: t.ticketId, [PROPERTY_TICKET_URL]: t.ticketUrl },
      ]);
    } else {
      tickets.push(row(i, instance, createdAt, 'Pending'));
      queue.push({
        instance,
        request: request(i),
        enqueuedAt: createdAt,
        state: newRequestState(false),
      });
    }
  }
  return { tickets, queue, properties };
}

/** Writes `data` into the SQL store of `dataDir` (tickets, queue) and `propsDir` (properties). */
export async function writePrefill(
  data: PrefillData,
  dataDir: string,
  propsDir: string = dataDir,
): Promise<void> {
  await fsp.mkdir(dataDir, { recursive: true });
  await fsp.mkdir(propsDir, { recursive: true });
  if (propsDir === dataDir) {
    fillStore(dataDir, data);
    return;
  }
  fillStore(dataDir, { tickets: data.tickets, queue: data.queue });
  fillStore(propsDir, { properties: data.properties });
}

/** Copies every regular file of `from` into `to` (a fresh copy of a prefilled folder). */
export async function copyFolder(from: string, to: string): Promise<void> {
  await fsp.mkdir(to, { recursive: true });
  for (const entry of await fsp.readdir(from, { withFileTypes: true })) {
    if (entry.isFile()) await fsp.copyFile(path.join(from, entry.name), path.join(to, entry.name));
  }
}
