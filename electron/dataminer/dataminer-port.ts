/**
 * What the console's services need from a DataMiner System: the alarms, their changes and
 * life-cycle events, the operators' actions, the connector's alarm properties and the system's
 * own alarms. The built-in mock DataMiner (electron/alarms/mock-dataminer.ts) is one; a team's
 * DataMiner process reached over the network (remote-dataminer.ts) is the other.
 */
import type {
  Alarm,
  AlarmActionKind,
  AlarmActionOutcome,
  AlarmKey,
  AlarmsChanged,
} from '../../shared/domain.js';
import type { AlarmEvent } from '../alarms/alarm-events.js';
import type { SystemAlarmSpec } from '../alarms/system-alarm.js';
import type { AlarmPropertyPort } from '../connector/ports.js';
import type { LegacyImport } from '../storage/sql-table.js';

export interface DataMinerPort extends AlarmPropertyPort {
  /** Set when the properties journal of the earlier release was imported (built-in only). */
  readonly imported: LegacyImport | null;
  /** Set when a damaged state file was moved aside on open (built-in only). */
  readonly stateRecovery: string | null;
  list(): Alarm[];
  find(dmaId: string, alarmId: string): Alarm | undefined;
  act(
    keys: readonly AlarmKey[],
    action: AlarmActionKind,
    operator: string,
    comment?: string,
  ): Promise<AlarmActionOutcome>;
  setClearedVisibleMs(ms: number): void;
  setSystemAlarm(spec: SystemAlarmSpec): void;
  onChange(listener: (change: AlarmsChanged) => void): () => void;
  onEvent(listener: (event: AlarmEvent) => void): () => void;
  /** Applies live changes now (tests and benchmarks of the built-in DataMiner). */
  tick(count?: number): AlarmsChanged;
  start(): void;
  stop(): void;
  close(): Promise<void>;
}
