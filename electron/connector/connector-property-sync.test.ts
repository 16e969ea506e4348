/**
 * When a ticket is created, the alarm properties are written synced to disk unless they live
 * in the connector's own database: there the one write-ahead log orders them before the
 * request leaves the queue, so a power cut that loses them keeps the request queued too (it
 * is looked up again and writes them again), and the fsync is saved.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROPERTY_TICKET_ID } from '../../shared/domain.js';
import type { AlarmPropertyPort } from './ports.js';
import {
  openSqlAlarmPropertyStore,
  type ClosableAlarmPropertyPort,
} from './sql-alarm-property-store.js';
import { startRig, ticketRequest, type Rig } from './test-support.js';

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
});
