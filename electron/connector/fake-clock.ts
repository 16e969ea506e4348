/**
 * A Clock that only moves when a test says so. Timers run in time order when `advance` passes
 * their due time; `advanceAsync` also lets the promises they start settle in between.
 */
import type { Clock } from './ports.js';

interface Timer {
  id: number;
  due: number;
  fn: () => void;
}

/** A hand-driven clock for tests. */
export class FakeClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(startMs = Date.parse('2025-01-01T00:00:00Z')) {
    this.current = startMs;
  }

  /** Current time in ms. */
  now(): number {
    return this.current;
  }

  /** Schedules `fn` after `ms` of fake time. */
  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, due: this.current + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id;
  }

  /** Cancels a timer. */
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Due times of the timers still waiting, in ms from now, soonest first. */
  pendingDelays(): number[] {
    return this.timers.map((t) => t.due - this.current).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, running every timer that falls due, in order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (let next = this.takeDue(target); next; next = this.takeDue(target)) next.fn();
    this.current = target;
  }

  /** Like advance, but yields to pending I/O and promises after each timer. */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.current + ms;
    for (let next = this.takeDue(target); next; next = this.takeDue(target)) {
      next.fn();
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.current = target;
  }

  /** Removes the earliest timer due by `target` and moves the time to it; undefined if none. */
  private takeDue(target: number): { fn: () => void } | undefined {
    const next = this.timers
      .filter((t) => t.due <= target)
      .sort((a, b) => a.due - b.due || a.id - b.id)[0];
    if (!next) return undefined;
    this.timers = this.timers.filter((t) => t !== next);
    this.current = Math.max(this.current, next.due);
    return next;
  }

  /** Moves the time without running timers (a wall-clock jump). */
  set(ms: number): void {
    this.current = ms;
  }
}
