/**
 * The "Oceane Connector" alarm (issue 12, point 4): when the health light has said "Oceane
 * cannot be reached" for longer than the console setting (default 5 minutes), the mock
 * DataMiner raises an alarm on its "Oceane Connector" element, so the failure shows where
 * operators look; it clears as soon as Oceane answers again. Driven only by the health
 * monitor's view (integration-health.ts) and the clock: no polling, no call of its own.
 */
import type { IntegrationHealth } from '../../shared/domain.js';
import type { SystemAlarmSpec } from '../alarms/system-alarm.js';
import type { Clock } from '../connector/ports.js';

/** The element of the mock DataMiner that carries the alarm (outside the generated IDs). */
export const CONNECTOR_ELEMENT = { elementId: '1', elementName: 'Oceane Connector' } as const;
/** The alarm's parameter on that element. */
export const CONNECTOR_PARAMETER = 'Oceane Reachability';
/** The severity of the alarm while Oceane is unreachable. */
export const CONNECTOR_ALARM_SEVERITY = 'Major';

/** What the alarm needs from the health light, the DataMiner and the settings. */
export interface ConnectorAlarmDeps {
  clock: Clock;
  health: {
    view(): IntegrationHealth;
    on(listener: (health: IntegrationHealth) => void): () => void;
  };
  alarms: { setSystemAlarm(spec: SystemAlarmSpec): void };
  /** How long Oceane may be unreachable before the alarm (ms), read when needed. */
  thresholdMs: () => number;
}

/** The alarm's spec at a severity, with the time Oceane stopped answering in its value. */
function specOf(severity: SystemAlarmSpec['severity'], value: string): SystemAlarmSpec {
  return { ...CONNECTOR_ELEMENT, parameter: CONNECTOR_PARAMETER, severity, value };
}

/** Watches the health light and raises or clears the connector alarm. */
export class ConnectorAlarm {
  /** When the current run of "unreachable" began (clock ms), or null while Oceane answers. */
  private since: number | null = null;
  private timer: unknown = null;
  private readonly off: () => void;

  constructor(private readonly deps: ConnectorAlarmDeps) {
    this.off = deps.health.on((health) => this.observe(health));
    this.observe(deps.health.view());
  }

  /** The threshold setting changed: the pending raise is timed again. */
  reschedule(): void {
    this.cancel();
    this.schedule();
  }

  /** Stops listening; a raised alarm stays until Oceane answers after the next start. */
  close(): void {
    this.off();
    this.cancel();
  }

  private observe(health: IntegrationHealth): void {
    if (health.reachable === false) {
      if (this.since !== null) return;
      const failedAt = health.lastError ? Date.parse(health.lastError.at) : Number.NaN;
      const now = this.deps.clock.now();
      this.since = Number.isFinite(failedAt) && failedAt <= now ? failedAt : now;
      this.schedule();
    } else if (health.reachable === true) {
      this.since = null;
      this.cancel();
      this.deps.alarms.setSystemAlarm(specOf('Normal', 'Oceane answers'));
    }
    // Unknown (no call yet, or the credentials changed): nothing is known either way, so a
    // raised alarm stays until Oceane answers and the run of failures starts over.
    else {
      this.since = null;
      this.cancel();
    }
  }

  private schedule(): void {
    if (this.since === null || this.timer !== null) return;
    const due = this.since + this.deps.thresholdMs();
    this.timer = this.deps.clock.setTimeout(
      () => {
        this.timer = null;
        if (this.since === null) return;
        if (this.deps.clock.now() < this.since + this.deps.thresholdMs()) {
          this.schedule();
          return;
        }
        const since = new Date(this.since).toISOString().replace(/\.\d{3}Z$/, 'Z');
        this.deps.alarms.setSystemAlarm(
          specOf(CONNECTOR_ALARM_SEVERITY, `Oceane unreachable since ${since}`),
        );
      },
      Math.max(0, due - this.deps.clock.now()),
    );
  }

  private cancel(): void {
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
