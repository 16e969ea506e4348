/**
 * The alarm properties ("Oceane Ticket ID", "Oceane Ticket URL"...) per `dmaId/alarmId`, in
 * the SQL store: the mock DataMiner's property table and the connector's test store are this
 * one table. Its journal of the earlier release, `alarm-properties.jsonl`, is imported once.
 */
import type { AlarmProperties } from '../../shared/domain.js';
import { isProperties } from '../alarms/mock-dataminer-options.js';
import { SqlTable } from './sql-table.js';
import { SqliteDatabase } from './sqlite-database.js';

/** The journal file of the earlier release. */
export const ALARM_PROPERTIES_FILE = 'alarm-properties.jsonl';

/** Opens the alarm properties table of the data folder's database (its own connection). */
export function openAlarmPropertiesTable(dataDir: string): SqlTable<AlarmProperties> {
  const database = SqliteDatabase.open(dataDir);
  try {
    return SqlTable.open(
      database,
      {
        table: 'alarm_properties',
        legacyFile: ALARM_PROPERTIES_FILE,
        validate: isProperties,
      },
      dataDir,
    );
  } catch (error) {
    database.close();
    throw error;
  }
}
