/**
 * When a ticket is created, its Created row is saved first, then the alarm properties, written
 * synced to disk unless they live in the connector's own database: there they go in the one
 * transaction that removes the request from the queue, so a crash or a power cut keeps both or
 * neither (a request still queued with its Created row gets its properties written again).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  PROPERTY_TICKET_ID,
  PROPERTY_TICKET_STATUS,
  PROPERTY_TICKET_URL,
} from '../../shared/domain.js';
import { failWrites } from '../storage/store-faults.js';
import { FakeClock } from './fake-clock.js';
import type { AlarmPropertyPort } from './ports.js';
import {
  openSqlAlarmPropertyStore,
  type ClosableAlarmPropertyPort,
} from './sql-alarm-property-store.js';
import { startRig, ticketRequest, type Rig } from './test-support.js';

/** Resolves once `check` holds, polling between turns of the event loop. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

let rig: Rig | undefined;
let store: ClosableAlarmPropertyPort | undefined;
afterEach(async () => {
  await store?.close();
  await rig?.dispose();
  rig = store = undefined;
});

describe('the alarm properties of a Created ticket', () => {
  it.each([
    ["in the connector's own database: written unsynced", 'data', false],
    ['in another database: written synced', 'elsewhere', true],
  ] as const)('%s', async (_name, folder, synced) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'oceane-connector-'));
    const props = await openSqlAlarmPropertyStore(path.join(dir, folder));
    store = props;
    const asked: (boolean | undefined)[] = [];
    const port: AlarmPropertyPort = {
      get: (dmaId, alarmId) => props.get(dmaId, alarmId),
      set: (dmaId, alarmId, properties, options) => {
        asked.push(options?.synced);
        return props.set(dmaId, alarmId, properties, options);
      },
      storeFile: props.storeFile,
    };
    rig = await startRig({ dir, connector: { alarmProperties: port } });
    const request = ticketRequest();
    expect(await rig.connector.createTicket(request)).toMatchObject({ ok: true });
    await rig.connector.whenIdle();
    expect(asked).toEqual([synced]);
    const ticketId = rig.sim.ledger()[0]?.id;
    expect(ticketId).toBeDefined();
    expect(props.get(request.dmaId, request.alarmId)[PROPERTY_TICKET_ID]).toBe(ticketId);
    expect(rig.connector.listTickets()).toEqual([
      expect.objectContaining({ status: 'Created', ticketId }),
    ]);
    expect(rig.connector.getQueueStatus().pending).toEqual([]);
  });

  it("in the connector's own database: not written while the Created row cannot be (they come after it)", async () => {
    const clock = new FakeClock(Date.now());
    const dir = await mkdtemp(path.join(tmpdir(), 'oceane-connector-'));
    const props = await openSqlAlarmPropertyStore(path.join(dir, 'data'));
    store = props;
    rig = await startRig({ dir, clock, connector: { alarmProperties: props } });
    const request = ticketRequest();
    expect(await rig.connector.findExistingTicket(request)).toBeNull();
    // Oceane creates the ticket and holds its answer while the Tickets table becomes unwritable.
    rig.sim.inject('create', { kind: 'ambiguous', mode: 'delay', ms: 300 });
    expect(await rig.connector.createTicket(request)).toMatchObject({ ok: true });
    const sim = rig.sim;
    await until(() => sim.ledger().length === 1);
    const fault = failWrites(rig.dataDir, ['tickets']);
    let quiet = false;
    void rig.connector.whenQuiet().then(() => (quiet = true));
    await until(() => quiet);
    // The Created row was refused: the properties, written after it, were not.
    expect(props.get(request.dmaId, request.alarmId)).toEqual({});
    expect(rig.connector.listTickets()).toEqual([expect.objectContaining({ status: 'Pending' })]);
    fault.restore();
    await clock.advanceAsync(10 * 60_000);
    await rig.connector.whenIdle();
    const ticketId = sim.ledger()[0]?.id;
    expect(props.get(request.dmaId, request.alarmId)[PROPERTY_TICKET_ID]).toBe(ticketId);
    expect(rig.connector.listTickets()).toEqual([
      expect.objectContaining({ status: 'Created', ticketId }),
    ]);
  });

  it('in the same file, a port that did not write at once: written again, before the request leaves the queue', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'oceane-connector-'));
    const props = await openSqlAlarmPropertyStore(path.join(dir, 'data'));
    store = props;
    let calls = 0;
    const port: AlarmPropertyPort = {
      get: (dmaId, alarmId) => props.get(dmaId, alarmId),
      // Its first write is lost (a port that writes elsewhere or later): nothing joins.
      set: async (dmaId, alarmId, properties, options) => {
        if (calls++ === 0) return;
        await props.set(dmaId, alarmId, properties, options);
      },
      storeFile: props.storeFile,
    };
    rig = await startRig({ dir, connector: { alarmProperties: port } });
    const request = ticketRequest();
    // The alarm's property each time the queue was seen empty once the request had settled.
    let settled = false;
    const seenWhenDequeued: (string | undefined)[] = [];
    rig.connector.on('tickets:changed', (change) => {
      if (change.upserted.some((row) => row.status === 'Created')) settled = true;
    });
    rig.connector.on('queue:changed', (status) => {
      if (settled && status.pending.length === 0)
        seenWhenDequeued.push(props.get(request.dmaId, request.alarmId)[PROPERTY_TICKET_ID]);
    });
    expect(await rig.connector.createTicket(request)).toMatchObject({ ok: true });
    await rig.connector.whenIdle();
    await new Promise((resolve) => setImmediate(resolve));
    const ticketId = rig.sim.ledger()[0]?.id;
    expect(calls).toBe(2);
    expect(seenWhenDequeued.length).toBeGreaterThan(0);
    expect(new Set(seenWhenDequeued)).toEqual(new Set([ticketId]));
    expect(rig.connector.listTickets()).toEqual([
      expect.objectContaining({ status: 'Created', ticketId }),
    ]);
  });
  it.each([
    ["an earlier ticket's status is cleared in the same transaction", false],
    [
      'a port that did not clear it at once: written again, before the request leaves the queue',
      true,
    ],
  ] as const)("in the connector's own database, %s", async (_name, loseClear) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'oceane-connector-'));
    const props = await openSqlAlarmPropertyStore(path.join(dir, 'data'));
    store = props;
    const request = ticketRequest();
    // The alarm's earlier ticket, closed in Oceane: the alarm may have a new one.
    await props.set(request.dmaId, request.alarmId, {
      [PROPERTY_TICKET_ID]: 'OLD-1',
      [PROPERTY_TICKET_URL]: 'https://oceane.example/OLD-1',
      [PROPERTY_TICKET_STATUS]: 'closed',
      Other: 'kept',
    });
    const asked: [string[], boolean | undefined][] = [];
    let lost = false;
    const port: AlarmPropertyPort = {
      get: (dmaId, alarmId) => props.get(dmaId, alarmId),
      set: async (dmaId, alarmId, properties, options) => {
        asked.push([Object.keys(properties), options?.synced]);
        if (loseClear && !lost && PROPERTY_TICKET_STATUS in properties) {
          lost = true;
          return;
        }
        await props.set(dmaId, alarmId, properties, options);
      },
      storeFile: props.storeFile,
    };
    rig = await startRig({ dir, connector: { alarmProperties: port } });
    expect(await rig.connector.createTicket(request)).toMatchObject({ ok: true });
    await rig.connector.whenIdle();
    const ticketId = rig.sim.ledger()[0]?.id;
    expect(props.get(request.dmaId, request.alarmId)).toEqual({
      [PROPERTY_TICKET_ID]: ticketId,
      [PROPERTY_TICKET_URL]: rig.connector.listTickets()[0]?.ticketUrl,
      [PROPERTY_TICKET_STATUS]: '',
      Other: 'kept',
    });
    const ticket = [PROPERTY_TICKET_ID, PROPERTY_TICKET_URL];
    const clear = [PROPERTY_TICKET_STATUS];
    expect(asked).toEqual(
      loseClear
        ? [
            [ticket, false],
            [clear, false],
            [[...ticket, ...clear], false],
          ]
        : [
            [ticket, false],
            [clear, false],
          ],
    );
    expect(rig.connector.listTickets()).toEqual([
      expect.objectContaining({ status: 'Created', ticketId }),
    ]);
  });
});
