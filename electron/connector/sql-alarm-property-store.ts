/**
 * An AlarmPropertyPort kept in the SQL store's alarm properties table: one transaction per
 * change, synced unless the connector asks otherwise (it does when this is its own database). Tests and the harnesses use it where the mock DataMiner's own
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
    set: async (dmaId, alarmId, properties, options) => {
      const key = alarmKeyString({ dmaId, alarmId });
      const stored = table.get(key);
      // `previous`: a stored row is updated in place (no upsert returning its seq).
      const value = { ...stored, ...properties };
      await table.commit([{ key, value, previous: stored }], {
        durable: options?.synced !== false,
      });
    },
    storeFile: table.database.file,
    all: () => {
      const result = new Map<string, AlarmProperties>();
      for (const key of table.keys()) result.set(key, { ...table.get(key) });
      return result;
    },
    close: async () => table.database.close(),
  });
}
