/**
 * A created ticket is settled in two unsynced transactions (ticket-attempts.ts
 * `settleCreated`): the Created row (announced at once, the operator waits for it), then the
 * alarm properties with the removal from the queue. Each moment between them is tested: a
 * kill (the files as a SIGKILL leaves them, copied while the row is announced), then a start
 * that cannot write the properties either, and a store that refuses the properties while the
 * app runs. Either way Oceane gets one create, and the alarm ends with its ticket ID and URL.
 */
import { cpSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROPERTY_TICKET_ID, PROPERTY_TICKET_URL, type TicketRow } from '../../shared/domain.js';
import { DEMO_CREDENTIALS } from '../oceane-simulator/index.js';
import { failWrites, readStoredProperties, readStoredRows } from '../storage/store-faults.js';
import { ConfSettingsStore } from './conf-settings-store.js';
import { OceaneConnector } from './connector.js';
import { FakeClock } from './fake-clock.js';
import { createMemorySecretStore } from './memory-secret-store.js';
import {
  openSqlAlarmPropertyStore,
  type ClosableAlarmPropertyPort,
} from './sql-alarm-property-store.js';
import { countRequests, startRig, ticketRequest, type Rig } from './test-support.js';
import type { QueueEntry } from './ticket-tables.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A rig whose alarm properties live in the connector's own database (the app's, the bench's). */
async function ownDatabaseRig(
  clock?: FakeClock,
): Promise<{ rig: Rig; props: ClosableAlarmPropertyPort }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'oceane-connector-'));
  const props = await openSqlAlarmPropertyStore(path.join(dir, 'data'));
  const rig = await startRig({ dir, clock, connector: { alarmProperties: props } });
  cleanups.push(async () => {
    await rig.dispose();
    await props.close();
  });
  return { rig, props };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('a created ticket: its row, then its alarm properties', () => {
  it('killed between the two: the next start that can writes the properties and removes the request, Oceane is not asked again', async () => {
    const { rig, props } = await ownDatabaseRig();
    const copy = await mkdtemp(path.join(tmpdir(), 'oceane-connector-killed-'));
    cleanups.push(() => rm(copy, { recursive: true, force: true }));
    const request = ticketRequest();
    let copied = false;
    // The listener runs while the Created row is announced: the files then are what a kill
    // at that moment leaves on disk.
    rig.connector.on('tickets:changed', (change) => {
      if (copied || !change.upserted.some((row) => row.status === 'Created')) return;
      cpSync(rig.dir, copy, { recursive: true });
      copied = true;
    });
    expect(await rig.connector.findExistingTicket(request)).toBeNull();
    expect(await rig.connector.createTicket(request)).toMatchObject({ ok: true });
    await rig.connector.whenIdle();
    const ticketId = rig.sim.ledger()[0]?.id;
    expect(ticketId).toBeDefined();
    expect(props.get(request.dmaId, request.alarmId)[PROPERTY_TICKET_ID]).toBe(ticketId);

    // What the kill left: the Created row, the request still queued, no property yet.
    const dataDir = path.join(copy, 'data');
    expect(copied).toBe(true);
    expect(readStoredRows<TicketRow>(dataDir, 'tickets')).toEqual([
      expect.objectContaining({ status: 'Created', ticketId }),
    ]);
    expect(readStoredRows<QueueEntry>(dataDir, 'queue')).toHaveLength(1);
    expect(readStoredProperties(dataDir).size).toBe(0);

    const creates = countRequests(rig.sim, 'create');
    const finds = countRequests(rig.sim, 'find');
    const start = async (autoStart: boolean) => {
      const copyProps = await openSqlAlarmPropertyStore(dataDir);
      const connector = await OceaneConnector.open({
        dataDir,
        settingsStore: new ConfSettingsStore(copy),
        secretStore: createMemorySecretStore(DEMO_CREDENTIALS.clientSecret),
        alarmProperties: copyProps,
        requestTimeoutMs: 2000,
        closeWaitMs: 500,
        autoStart,
      });
      const close = async () => {
        await connector.close();
        await copyProps.close();
      };
      return { connector, copyProps, close };
    };

    // A first start that cannot write the properties (a full disk): the line stays.
    const fault = failWrites(dataDir, ['alarm_properties']);
    const failed = await start(false);
    await failed.close();
    expect(readStoredRows<QueueEntry>(dataDir, 'queue')).toHaveLength(1);
    expect(readStoredProperties(dataDir).size).toBe(0);
    fault.restore();

    const { connector: restarted, copyProps, close } = await start(true);
    cleanups.push(close);
    await restarted.whenIdle();
    const written = copyProps.get(request.dmaId, request.alarmId);
    expect(written[PROPERTY_TICKET_ID]).toBe(ticketId);
    expect(written[PROPERTY_TICKET_URL]).toContain(String(ticketId));
    expect(restarted.getQueueStatus().pending).toEqual([]);
    // Its ticket is followed in Oceane (issue 13).
    expect(restarted.life.history(String(ticketId)).ok).toBe(true);
    expect(restarted.listTickets()).toEqual([
      expect.objectContaining({ status: 'Created', ticketId }),
    ]);
    expect(rig.sim.ledger()).toHaveLength(1);
    expect(countRequests(rig.sim, 'create')).toBe(creates);
    expect(countRequests(rig.sim, 'find')).toBe(finds);
  });

  it('the ticket of an announced Created row is followed: a listener can add a note at once', async () => {
    const { rig } = await ownDatabaseRig();
    const request = ticketRequest();
    // The first announcement of the row (its Oceane status updates it again later).
    const noted: boolean[] = [];
    rig.connector.on('tickets:changed', (change) => {
      for (const row of change.upserted)
        if (row.status === 'Created' && noted.length === 0)
          noted.push(rig.connector.life.addNote(row.ticketId, 'At once').ok);
    });
    expect(await rig.connector.findExistingTicket(request)).toBeNull();
    expect(await rig.connector.createTicket(request)).toMatchObject({ ok: true });
    // (Not whenIdle: that also waits for the note to reach Oceane, at the next poll.)
    await until(() => noted.length > 0);
    expect(noted).toEqual([true]);
  });

  it('the properties cannot be saved: the row stays Created, the request queued, and they are written once the store works', async () => {
    const clock = new FakeClock(Date.now());
    const { rig, props } = await ownDatabaseRig(clock);
    const request = ticketRequest();
    const fault = failWrites(rig.dataDir, ['alarm_properties']);
    expect(await rig.connector.findExistingTicket(request)).toBeNull();
    expect(await rig.connector.createTicket(request)).toMatchObject({ ok: true });
    let quiet = false;
    void rig.connector.whenQuiet().then(() => (quiet = true));
    await until(() => quiet);
    const ticketId = rig.sim.ledger()[0]?.id;
    expect(ticketId).toBeDefined();
    expect(rig.connector.listTickets()).toEqual([
      expect.objectContaining({ status: 'Created', ticketId }),
    ]);
    expect(rig.connector.getQueueStatus().pending).toHaveLength(1);
    expect(props.get(request.dmaId, request.alarmId)).toEqual({});

    fault.restore();
    await clock.advanceAsync(10 * 60_000);
    await rig.connector.whenIdle();
    expect(props.get(request.dmaId, request.alarmId)[PROPERTY_TICKET_ID]).toBe(ticketId);
    expect(rig.connector.getQueueStatus().pending).toEqual([]);
    expect(rig.connector.life.history(String(ticketId)).ok).toBe(true);
    expect(rig.connector.listTickets()).toEqual([
      expect.objectContaining({ status: 'Created', ticketId }),
    ]);
    expect(rig.sim.ledger()).toHaveLength(1);
    expect(countRequests(rig.sim, 'create')).toBe(1);
  });
});
