/**
 * The mock DataMiner's own durable memory, separate from the connector's store: what changed
 * since the seeded alarms were generated (alarms raised, updated, acknowledged, owned,
 * commented or cleared, and the seeded ones that are gone) and the agents' Alarm ID counters.
 * On a restart the same seed regenerates the same initial alarms and this file replays the
 * rest, so alarm state survives. One small JSON file, replaced atomically.
 */
import * as path from 'node:path';
import { z } from 'zod';
import type { Alarm } from '../../shared/domain.js';
import { alarmSchema } from '../../shared/schemas.js';
import { AtomicJsonFile } from './atomic-json-file.js';

/** File name of the mock DataMiner's state inside the data folder. */
export const ALARM_STATE_FILE = 'mock-dataminer-state.json';

const storedSchema = z.strictObject({
  version: z.literal(1),
  /** Identifies the generated system; a file of another seed or size is not replayed. */
  system: z.string(),
  counters: z.record(z.string(), z.number()),
  /** Alarms as they are now, without properties; `live`: raised after generation. */
  alarms: z.array(z.strictObject({ alarm: alarmSchema, live: z.boolean() })),
  /** Keys of generated alarms that are gone (cleared and expired). */
  gone: z.array(z.string()),
});

/** The stored changes, as read back. */
export type StoredAlarmState = z.infer<typeof storedSchema>;

/** Reads and writes the state file; `load` reports a damaged file instead of failing. */
export class AlarmStateStore {
  private readonly file: AtomicJsonFile;

  constructor(dataDir: string) {
    this.file = new AtomicJsonFile(path.join(dataDir, ALARM_STATE_FILE));
  }

  /** The stored state of `system`, null when there is none; `movedTo` when it was damaged. */
  async load(system: string): Promise<{ state: StoredAlarmState | null; movedTo: string | null }> {
    const read = await this.file.read();
    if (read.kind === 'missing') return { state: null, movedTo: null };
    if (read.kind === 'damaged') return { state: null, movedTo: read.movedTo };
    const parsed = storedSchema.safeParse(read.value);
    if (!parsed.success) return { state: null, movedTo: await this.file.setAside() };
    return { state: parsed.data.system === system ? parsed.data : null, movedTo: null };
  }

  /** Replaces the stored state; resolves once it is durable. */
  save(state: StoredAlarmState): Promise<void> {
    return this.file.write(state);
  }

  /** Resolves when every save asked for has finished. */
  settled(): Promise<void> {
    return this.file.settled();
  }
}

/** An alarm without its properties (they live in the properties journal). */
export function withoutProperties(alarm: Alarm): Alarm {
  return Object.keys(alarm.properties).length === 0 ? alarm : { ...alarm, properties: {} };
}
