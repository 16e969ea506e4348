/**
 * Writing a created ticket onto its alarm (the seed's "Ticket ID" and "Ticket URL" alarm
 * properties), once its Created row is saved, with the request's removal from the queue: the
 * alarm's earlier ticket status goes (issue 13).
 *
 * When the properties live in the connector's own database (the app's built-in DataMiner, the
 * bench's store), they and the removal go in one unsynced transaction: a crash or a power cut
 * keeps both or neither (the queue line left makes the next start write the properties
 * again), and they cost one commit instead of two. The services of one process share one
 * connection per file (sqlite-database.ts), so the port's own write joins the transaction;
 * what the port wrote is read back inside it (the one read of the alarm's properties
 * there: it also finds an earlier ticket's status, then cleared by a second write in the same
 * transaction), and a port that did not write there and then (nothing joined) rolls it back
 * and takes the path below instead.
 *
 * In another file, the properties are written (synced), then the queue line is removed.
 */
import * as path from 'node:path';
import {
  PROPERTY_TICKET_ID,
  PROPERTY_TICKET_STATUS,
  PROPERTY_TICKET_URL,
  type AlarmProperties,
} from '../../shared/domain.js';
import type { ConnectorCore } from './connector-core.js';
import type { AlarmPropertyPort } from './ports.js';

/** One alarm of a ticket. */
export interface TicketAlarm {
  dmaId: string;
  alarmId: string;
}

/** The transaction was rolled back because the port's write did not join it. */
class NotJoined extends Error {}

/** The properties that record the ticket on one alarm (its earlier ticket status cleared). */
function ticketProperties(
  properties: AlarmPropertyPort,
  alarm: TicketAlarm,
  ticketId: string,
  url: string,
): AlarmProperties {
  const earlier = properties.get(alarm.dmaId, alarm.alarmId);
  return {
    [PROPERTY_TICKET_ID]: ticketId,
    [PROPERTY_TICKET_URL]: url,
    ...(earlier[PROPERTY_TICKET_STATUS] ? { [PROPERTY_TICKET_STATUS]: '' } : {}),
  };
}

/**
 * Writes the ticket's ID and URL onto each alarm, in order, then runs `write` (the removal
 * from the queue, a synchronous transaction): together when the properties are in the
 * connector's own database (see the header). Rejects, nothing of `write` saved, when a write
 * fails.
 */
export async function writeTicketProperties(
  core: ConnectorCore,
  alarms: readonly TicketAlarm[],
  ticketId: string,
  url: string,
  write: () => void,
): Promise<void> {
  const properties = core.alarmProperties;
  const database = core.tables.database;
  const file = properties.storeFile;
  const ownDatabase = file !== undefined && path.resolve(file) === database.file;
  if (ownDatabase) {
    const writes: Promise<void>[] = [];
    try {
      database.transaction(false, () => {
        for (const alarm of alarms) {
          const { dmaId, alarmId } = alarm;
          const ticket = { [PROPERTY_TICKET_ID]: ticketId, [PROPERTY_TICKET_URL]: url };
          writes.push(properties.set(dmaId, alarmId, ticket, { synced: false }));
          // Read back once: whether the port wrote in this transaction, and whether the
          // alarm's earlier ticket status is still there to clear (rare: a second ticket).
          const now = properties.get(dmaId, alarmId);
          if (now[PROPERTY_TICKET_ID] !== ticketId || now[PROPERTY_TICKET_URL] !== url)
            throw new NotJoined('the alarm properties were not written in the transaction');
          if (now[PROPERTY_TICKET_STATUS]) {
            writes.push(
              properties.set(dmaId, alarmId, { [PROPERTY_TICKET_STATUS]: '' }, { synced: false }),
            );
            if (properties.get(dmaId, alarmId)[PROPERTY_TICKET_STATUS])
              throw new NotJoined('the ticket status was not cleared in the transaction');
          }
        }
        write();
      });
      // Written and committed: what the port does after its write (events) is its own.
      await Promise.allSettled(writes);
      return;
    } catch (error) {
      await Promise.allSettled(writes);
      if (!(error instanceof NotJoined)) throw error;
    }
  }
  const synced = !ownDatabase;
  for (const alarm of alarms) {
    const wanted = ticketProperties(properties, alarm, ticketId, url);
    await properties.set(alarm.dmaId, alarm.alarmId, wanted, { synced });
  }
  write();
}
