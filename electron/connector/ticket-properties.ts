/**
 * Writing a created ticket onto its alarm (the seed's "Ticket ID" and "Ticket URL" alarm
 * properties), before the Created row: the alarm's earlier ticket status goes (issue 13).
 * Synced only when the properties live in another file than the connector's own database;
 * in the same database the log keeps them before the Created row and the queue's removal.
 */
import * as path from 'node:path';
import {
  PROPERTY_TICKET_ID,
  PROPERTY_TICKET_STATUS,
  PROPERTY_TICKET_URL,
} from '../../shared/domain.js';
import type { ConnectorCore } from './connector-core.js';

/** One alarm of a ticket. */
export interface TicketAlarm {
  dmaId: string;
  alarmId: string;
}

/** Writes the ticket's ID and URL onto each alarm, in order. */
export async function writeTicketProperties(
  core: ConnectorCore,
  alarms: readonly TicketAlarm[],
  ticketId: string,
  url: string,
): Promise<void> {
  const properties = core.alarmProperties;
  const file = properties.storeFile;
  const synced = file === undefined || path.resolve(file) !== core.tables.database.file;
  for (const alarm of alarms) {
    const earlier = properties.get(alarm.dmaId, alarm.alarmId);
    await properties.set(
      alarm.dmaId,
      alarm.alarmId,
      {
        [PROPERTY_TICKET_ID]: ticketId,
        [PROPERTY_TICKET_URL]: url,
        ...(earlier[PROPERTY_TICKET_STATUS] ? { [PROPERTY_TICKET_STATUS]: '' } : {}),
      },
      { synced },
    );
  }
}
