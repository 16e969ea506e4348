/**
 * Benchmark `sync-poll` (issue 13): the cost of one poll cycle of the ticket follow-up (7.1,
 * through the connector's poll loop: the call, the look-ups of the changed tickets, the one
 * transaction, the rows and alarms told) with 10,000 followed tickets of which 10 changed,
 * divided by the same with 100 followed tickets of which 10 changed. The cost must depend on
 * what changed, not on what is followed: target at most 1.5. The simulator holds the same 10
 * tickets in both cases; the other followed tickets are Created rows of the store.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { TicketRow } from '../shared/domain.js';
import { ConfSettingsStore } from '../electron/connector/conf-settings-store.js';
import { createMemorySecretStore } from '../electron/connector/memory-secret-store.js';
import { OceaneConnector } from '../electron/connector/connector.js';
import { openSqlAlarmPropertyStore } from '../electron/connector/sql-alarm-property-store.js';
import { simulatorSettings, ticketRequest } from '../electron/connector/test-support.js';
import { pendingRow } from '../electron/connector/ticket-rows.js';
import { TicketTables } from '../electron/connector/ticket-tables.js';
import { startSimulator } from '../electron/oceane-simulator/index.js';
import { fillStore } from './store-fill.js';
import { median } from './stats.js';

/** What the benchmark measured. */
export interface SyncPollResult {
  ratio: number;
  largeMedianMs: number;
  smallMedianMs: number;
  largeFollowed: number;
  smallFollowed: number;
  changedPerPoll: number;
  polls: number;
}

const CHANGED = 10;

/** The median time of one poll with `followed` tickets, `CHANGED` of them changing each time. */
async function measure(followed: number, polls: number): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), 'oceane-sync-poll-'));
  const dataDir = path.join(dir, 'data');
  const sim = await startSimulator({ port: 0 });
  try {
    const createdAt = new Date().toISOString();
    const filler = function* (): Generator<TicketRow> {
      for (let i = 0; i < followed - CHANGED; i++) {
        const request = ticketRequest({ dmaId: '700' });
        yield {
          ...pendingRow(`fill-${i}`, request, createdAt),
          status: 'Created',
          ticketId: `TT-FILL-${i}`,
          ticketUrl: `${sim.url}/ticket/TT-FILL-${i}`,
        };
      }
    };
    fillStore(dataDir, { tickets: filler() });
    // Every filler row is followed, as a created ticket is (one transaction).
    const tables = TicketTables.open(dataDir);
    tables.database.transaction(false, () => {
      for (let i = 0; i < followed - CHANGED; i++) tables.life.follow(`TT-FILL-${i}`, createdAt);
    });
    await tables.close();
    const props = await openSqlAlarmPropertyStore(dir);
    const connector = await OceaneConnector.open({
      dataDir,
      settingsStore: new ConfSettingsStore(dir),
      secretStore: createMemorySecretStore(),
      alarmProperties: props,
      requestTimeoutMs: 5000,
    });
    try {
      const set = await connector.updateSettings(simulatorSettings(sim.url, 1));
      if (!set.ok) throw new Error(set.error.message);
      await connector.life.polls.close();
      for (let i = 0; i < CHANGED; i++) await connector.createTicket(ticketRequest());
      await connector.whenIdle();
      const ids = connector
        .listTickets()
        .filter((r) => r.status === 'Created' && !r.ticketId.startsWith('TT-FILL'))
        .map((r) => r.ticketId);
      if (ids.length !== CHANGED) throw new Error(`expected ${CHANGED} tickets, got ${ids.length}`);
      await connector.life.polls.pollNow(); // the first states, and the token
      const times: number[] = [];
      for (let p = 0; p < polls; p++) {
        for (const id of ids)
          sim.setStatus(id, p % 2 === 0 ? 'inProgress' : 'pending', `poll ${p}`);
        const t0 = performance.now();
        await connector.life.polls.pollNow();
        times.push(performance.now() - t0);
      }
      const rows = connector.listTickets().filter((r) => ids.includes(r.ticketId));
      if (rows.some((r) => r.oceaneStatus !== ((polls - 1) % 2 === 0 ? 'inProgress' : 'pending'))) {
        throw new Error('a poll did not apply the changes');
      }
      return median(times);
    } finally {
      await connector.close();
      await props.close();
    }
  } finally {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs the benchmark: 100 followed, then 10,000 followed (smaller in the unit test). */
export async function benchSyncPoll(
  options: { small?: number; large?: number; polls?: number } = {},
): Promise<SyncPollResult> {
  const smallFollowed = options.small ?? 100;
  const largeFollowed = options.large ?? 10_000;
  const polls = options.polls ?? 15;
  const smallMedianMs = await measure(smallFollowed, polls);
  const largeMedianMs = await measure(largeFollowed, polls);
  return {
    ratio: largeMedianMs / smallMedianMs,
    largeMedianMs,
    smallMedianMs,
    largeFollowed,
    smallFollowed,
    changedPerPoll: CHANGED,
    polls,
  };
}
