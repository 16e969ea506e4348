/** The mock DataMiner's options, their defaults and checks. */
import type { AlarmProperties } from '../../shared/domain.js';
import { systemClock, type Clock } from '../connector/ports.js';

/** How the mock DataMiner is sized and where it keeps its state and the alarm properties. */
export interface MockDataMinerOptions {
  /** Alarm properties journal and the mock DataMiner's state file go here. */
  dataDir: string;
  /** Default 1; the same seed and options give the same alarms. */
  seed?: number;
  /** DMA count, default 3. */
  agents?: number;
  /** Default 20 (more are added when initialAlarms needs them: one alarm per parameter). */
  elementsPerAgent?: number;
  /** Default 500; works up to 100,000 and beyond. */
  initialAlarms?: number;
  /** Live rate (new, updated, cleared), default 1; 0 = static. */
  changesPerSecond?: number;
  /** How long a cleared alarm stays in the list (ms), default 60 s. */
  clearedVisibleMs?: number;
  /** Live changes, batching and clears use `clock.setTimeout`. Default: the system clock. */
  clock?: Clock;
  /** Epoch ms the generated times end at (default `clock.now()` when opened). */
  startTime?: number;
}

/** Every option with its default applied. */
export type ResolvedOptions = Required<Omit<MockDataMinerOptions, 'dataDir'>>;

/** True for a record of text values (what an alarm's properties are). */
export function isProperties(value: unknown): value is AlarmProperties {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((v) => typeof v === 'string');
}

/** The value, when it is a whole number of at least `min`; throws otherwise. */
export function wholeNumberOption(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`MockDataMiner option ${name} must be a whole number >= ${min}`);
  }
  return value;
}

/** The options with their defaults, checked. */
export function resolveOptions(options: MockDataMinerOptions): ResolvedOptions {
  const clock = options.clock ?? systemClock;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new RangeError('MockDataMiner option seed must be whole');
  const resolved: ResolvedOptions = {
    seed,
    agents: wholeNumberOption('agents', options.agents ?? 3, 1),
    elementsPerAgent: wholeNumberOption('elementsPerAgent', options.elementsPerAgent ?? 20, 1),
    initialAlarms: wholeNumberOption('initialAlarms', options.initialAlarms ?? 500, 0),
    changesPerSecond: options.changesPerSecond ?? 1,
    clearedVisibleMs: wholeNumberOption('clearedVisibleMs', options.clearedVisibleMs ?? 60_000, 0),
    clock,
    startTime: options.startTime ?? clock.now(),
  };
  if (!(resolved.changesPerSecond >= 0) || !Number.isFinite(resolved.changesPerSecond)) {
    throw new RangeError('MockDataMiner option changesPerSecond must be a number >= 0');
  }
  return resolved;
}
