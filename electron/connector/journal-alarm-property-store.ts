/**
 * An AlarmPropertyPort kept in a JournalTable: durable, one line per change. Tests and the
 * harnesses use it where the mock DataMiner's own property store is not wired in.
 */
import * as path from 'node:path';
import { alarmKeyString, type AlarmProperties } from '../../shared/domain.js';
import { JournalTable } from '../storage/journal-table.js';
import type { AlarmPropertyPort } from './ports.js';

/** An AlarmPropertyPort that can be closed. */
export interface ClosableAlarmPropertyPort extends AlarmPropertyPort {
  /** Every alarm's properties, keyed `dmaId/alarmId`. */
  all(): Map<string, AlarmProperties>;
  close(): Promise<void>;
}

function isProperties(value: unknown): value is AlarmProperties {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

/** Opens (or creates) `alarm-properties.jsonl` in `dir`. */
export async function openJournalAlarmPropertyStore(
  dir: string,
  fileName = 'alarm-properties.jsonl',
): Promise<ClosableAlarmPropertyPort> {
  const table = await JournalTable.open<AlarmProperties>(path.join(dir, fileName), {
    validate: isProperties,
  });
  return {
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
    close: () => table.close(),
  };
}
