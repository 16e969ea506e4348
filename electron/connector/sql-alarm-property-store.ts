/**
 * An AlarmPropertyPort kept in the SQL store's alarm properties table: durable, one synced
 * transaction per change. Tests and the harnesses use it where the mock DataMiner's own
 * property store is not wired in.
 */
import { alarmKeyString, type AlarmProperties } from '../../shared/domain.js';
import { openAlarmPropertiesTable } from '../storage/alarm-properties-table.js';
import type { AlarmPropertyPort } from './ports.js';

/** An AlarmPropertyPort that can be closed. */
export interface ClosableAlarmPropertyPort extends AlarmPropertyPort {
  /** Every alarm's properties, keyed `dmaId/alarmId`. */
  all(): Map<string, AlarmProperties>;
  close(): Promise<void>;
}

/** Opens (or creates) the alarm properties of the data folder `dir`. */
export function openSqlAlarmPropertyStore(dir: string): Promise<ClosableAlarmPropertyPort> {
  const table = openAlarmPropertiesTable(dir);
  return Promise.resolve({
    get: (dmaId, alarmId) => ({ ...table.get(alarmKeyString({ dmaId, alarmId })) }),
    set: async (dmaId, alarmId, properties) => {
      const key = alarmKeyString({ dmaId, alarmId });
      await table.commit([{ key, value: { ...table.get(key), ...properties } }]);
    },
    all: () => {
      const result = new Map<string, AlarmProperties>();
      for (const key of table.keys()) result.set(key, { ...table.get(key) });
      return result;
    },
    close: async () => table.database.close(),
  });
}
