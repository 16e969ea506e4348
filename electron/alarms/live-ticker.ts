/**
 * The mock DataMiner's live generator timer: fires at most every `MIN_LIVE_PERIOD_MS` and
 * hands over how many changes are due, so a rate of 200 changes a second is a few timers, not
 * two hundred. Kept apart from mock-dataminer.ts so that file holds the alarms alone.
 */
import type { Clock } from '../connector/ports.js';

/** The live generator never fires more often than this (ms); it applies several changes. */
const MIN_LIVE_PERIOD_MS = 100;

/** Calls `onTick(n)` with the changes due, `changesPerSecond` per second on the clock. */
export class LiveTicker {
  private timer: unknown = null;
  private carry = 0;

  constructor(
    private readonly clock: Clock,
    private readonly changesPerSecond: number,
    private readonly onTick: (count: number) => void,
  ) {}

  /** Starts firing (no-op when the rate is 0 or it already runs). */
  start(): void {
    if (this.changesPerSecond <= 0 || this.timer !== null) return;
    const period = Math.max(1000 / this.changesPerSecond, MIN_LIVE_PERIOD_MS);
    const fire = (): void => {
      this.carry += (this.changesPerSecond * period) / 1000;
      const n = Math.floor(this.carry + 1e-9);
      this.carry -= n;
      this.timer = this.clock.setTimeout(fire, period);
      if (n > 0) this.onTick(n);
    };
    this.timer = this.clock.setTimeout(fire, period);
  }

  /** Stops firing. */
  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
