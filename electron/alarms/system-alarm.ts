/**
 * Alarms of the mock DataMiner System's own elements, such as "Oceane Connector" (raised by
 * electron/health/connector-alarm.ts when Oceane stays unreachable). Like a real DataMiner
 * element's alarm, one per element and parameter: raised, updated with a new Alarm ID in the
 * same tree, and cleared at severity Normal. Pure: the caller says the time and hands out IDs.
 */
import type { Alarm, Severity } from '../../shared/domain.js';
import { NO_PROPERTIES } from './alarm-generator.js';

/** What the system says about one of its elements. */
export interface SystemAlarmSpec {
  /** The element's ID on the first agent (outside the generated elements' range). */
  elementId: string;
  elementName: string;
  parameter: string;
  /** Normal clears the alarm. */
  severity: Severity;
  value: string;
}

/** Whole seconds, as DataMiner shows alarm times. */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

/**
 * The alarm after `spec` at `now` (epoch ms): a new alarm when none is active, the same tree
 * with a new Alarm ID when it changed, or null when nothing changes (the same severity and
 * value, or a clear of an alarm that is not active).
 */
export function nextSystemAlarm(
  spec: SystemAlarmSpec,
  dmaId: string,
  current: Alarm | undefined,
  now: number,
  newAlarmId: () => string,
): Alarm | null {
  const time = isoSeconds(now);
  if (!current) {
    if (spec.severity === 'Normal') return null;
    return {
      dmaId,
      elementId: spec.elementId,
      alarmId: newAlarmId(),
      elementName: spec.elementName,
      parameter: spec.parameter,
      value: spec.value,
      severity: spec.severity,
      time,
      rootTime: time,
      properties: NO_PROPERTIES,
    };
  }
  if (current.severity === spec.severity && current.value === spec.value) return null;
  return {
    ...current,
    latestAlarmId: newAlarmId(),
    severity: spec.severity,
    value: spec.value,
    time,
  };
}
