/**
 * The crash test's kill plans and scripted faults (crash-harness.ts runs them): which moment
 * the next start of the child is killed at, adapted to the work left, and what the simulator
 * does to the creates, look-ups and changes of that start.
 */
import type { Random } from '../electron/alarms/prng.js';
import type { RunningSimulator, SimulatorFault } from '../electron/oceane-simulator/index.js';

/** What the plans read (and the slow-create mode sets) of the state of a crash run. */
export interface PlanState {
  sim: RunningSimulator;
  /** Alarm IDs the app acknowledged. */
  acknowledged: Set<string>;
  enqueued: boolean;
  requests: number;
  /** Starts of the child so far. */
  starts: number;
  /** The longest time a start of the child took to be ready, in ms. */
  restartMs: number;
  timeoutMs: number;
}

export type Plan =
  | { kind: 'enqueue'; after: number }
  | { kind: 'sent'; after: number }
  | { kind: 'settled'; after: number }
  | { kind: 'boot'; ms: number }
  | { kind: 'open'; ms: number }
  | { kind: 'request'; count: number; ms: number }
  | { kind: 'created'; count: number; ms: number }
  | { kind: 'timed'; ms: number }
  | { kind: 'none' };

export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function weighted<T>(random: Random, choices: [number, () => T][]): T {
  const total = choices.reduce((sum, [w]) => sum + w, 0);
  let r = random() * total;
  for (const [w, make] of choices) {
    r -= w;
    if (r < 0) return make();
  }
  const last = choices[choices.length - 1];
  if (!last) throw new Error('no choices');
  return last[1]();
}

/**
 * Scripted faults for the next creates and look-ups of one run of the child. A create is held
 * before Oceane makes it at most `maxHoldMs`: the time-out less 200 ms (the simulator's latency,
 * and the 100 ms a request sent at once may leave after its stored send time). A request
 * resumed after a restart is looked up at its last send plus the time-out: a create that Oceane
 * makes later than that is outside what the app promises (see the review notes), and a fast
 * restart then finds no ticket and sends a second one.
 */
export function scriptFaults(
  sim: RunningSimulator,
  random: Random,
  patchRandom: Random,
  maxHoldMs: number,
): void {
  sim.clearFaults();
  for (let i = 0; i < 12; i++) {
    const fault = weighted<SimulatorFault>(random, [
      [45, () => ({ kind: 'delay', ms: 0 })],
      [20, () => ({ kind: 'ambiguous', mode: 'delay', ms: between(random, 300, 2500) })],
      [10, () => ({ kind: 'ambiguous', mode: 'drop' })],
      [15, () => ({ kind: 'delay', ms: between(random, 50, maxHoldMs) })],
      [5, () => ({ kind: 'drop' })],
      [5, () => ({ kind: 'status', status: 503 })],
    ]);
    sim.inject('create', fault);
  }
  for (let i = 0; i < 6; i++) {
    const fault = weighted<SimulatorFault>(random, [
      [85, () => ({ kind: 'delay', ms: 0 })],
      [10, () => ({ kind: 'delay', ms: between(random, 50, 1400) })],
      [5, () => ({ kind: 'status', status: 503 })],
    ]);
    sim.inject('find', fault);
  }
  // Notes and resolutions (issue 13): answers lost or late, so that re-sends are checked first.
  // Their own random stream: a seed still gives the kill plans it gave before.
  for (let i = 0; i < 6; i++) {
    const fault = weighted<SimulatorFault>(patchRandom, [
      [60, () => ({ kind: 'delay', ms: 0 })],
      [15, () => ({ kind: 'ambiguous', mode: 'drop' })],
      [15, () => ({ kind: 'delay', ms: between(patchRandom, 50, 1200) })],
      [10, () => ({ kind: 'status', status: 503 })],
    ]);
    sim.inject('patch', fault);
  }
}

/**
 * Slow creates: each create is held 2 to 5 s before the simulator commits it, plus the longest
 * start of the child seen so far (on a loaded machine a start takes seconds), so that a hold
 * always outlasts a restart. The child's time-out is then set a second beyond the longest hold.
 */
export function scriptSlowCreates(sim: RunningSimulator, random: Random, state: PlanState): void {
  sim.clearFaults();
  const extra = Math.min(Math.round(state.restartMs), 10_000);
  for (let i = 0; i < 100; i++) {
    sim.inject('create', {
      kind: 'delay',
      ms: extra + between(random, SLOW_CREATE_MS[0], SLOW_CREATE_MS[1]),
    });
  }
  state.timeoutMs = Math.max(state.timeoutMs, extra + SLOW_CREATE_MS[1] + 1_000);
}

/** How long the simulator holds a create in the slow-create mode, beyond a restart. */
export const SLOW_CREATE_MS = [2_000, 5_000] as const;

export function ledgerAlarms(sim: RunningSimulator): Set<string> {
  const alarms = new Set<string>();
  for (const t of sim.ledger()) {
    const key = t.externalIdentifier[0]?.id ?? '';
    alarms.add(key.slice(key.indexOf('/') + 1));
  }
  return alarms;
}

/** The kill plan of the next cycle, adapted to the work left. */
export function nextPlan(
  random: Random,
  state: PlanState,
  killsLeft: number,
  latencyMs: number,
  slowCreates: boolean,
): Plan {
  if (killsLeft <= 0) return { kind: 'none' };
  const offset = (): number => between(random, 0, 2 * latencyMs + 10);
  if (slowCreates && state.starts > 0 && ledgerAlarms(state.sim).size < state.acknowledged.size) {
    // Most kills land while a create is held in Oceane: the request resumed after the restart
    // must wait until its send plus the time-out before it is looked up.
    return weighted<Plan>(random, [
      [6, () => ({ kind: 'request', count: between(random, 1, 2), ms: offset() })],
      [2, () => ({ kind: 'timed', ms: between(random, 0, 1200) })],
      [1, () => ({ kind: 'open', ms: between(random, 0, 60) })],
    ]);
  }
  // The first start is always killed while the operator's requests are being queued.
  if (!state.enqueued && (state.acknowledged.size === 0 || random() < 0.6)) {
    // Later starts: half of them killed right after a request sent at once was acknowledged.
    if (state.acknowledged.size > 0 && random() < 0.5) {
      return { kind: 'sent', after: between(random, 1, 2) };
    }
    return { kind: 'enqueue', after: between(random, 1, Math.max(1, state.requests - 1)) };
  }
  const done = ledgerAlarms(state.sim).size;
  const workLeft = Math.max(0, state.requests - done);
  const ratio = workLeft / killsLeft;
  const boot = (): Plan => ({ kind: 'boot', ms: between(random, 0, 350) });
  const open = (): Plan => ({ kind: 'open', ms: between(random, 0, 60) });
  const request = (max: number) => (): Plan => ({
    kind: 'request',
    count: between(random, 1, max),
    ms: offset(),
  });
  const created = (count: number) => (): Plan => ({
    kind: 'created',
    count,
    ms: between(random, 0, 20),
  });
  const timed = (): Plan => ({ kind: 'timed', ms: between(random, 0, 1200) });
  // Between a ticket's Created row and its alarm properties (the child kills itself there).
  const settled = (): Plan => ({ kind: 'settled', after: between(random, 1, 2) });
  if (ratio < 0.5) {
    return weighted(random, [
      [1, boot],
      [3, open],
      [4, request(1)],
      [2, created(1)],
      [workLeft > 0 ? 2 : 0, settled],
    ]);
  }
  if (ratio < 1) {
    return weighted(random, [
      [1, boot],
      [2, open],
      [3, request(3)],
      [4, created(1)],
      [2, settled],
    ]);
  }
  return weighted(random, [
    [1, open],
    [2, request(4)],
    [5, created(Math.ceil(ratio))],
    [2, timed],
    [2, settled],
  ]);
}
