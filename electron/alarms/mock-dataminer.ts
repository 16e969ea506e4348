/**
 * The mock DataMiner System behind the alarm console: a seeded alarm source (agents,
 * elements, alarms that arrive, change and clear) and the alarm properties the connector
 * writes ("Oceane Ticket ID", "Oceane Ticket URL"), persisted per DMA ID/Alarm ID in a
 * journal table. No Electron import: it runs in the app, in the browser test harness and
 * under Vitest alike.
 */
import * as path from 'node:path';
import {
  alarmKeyString,
  type Alarm,
  type AlarmProperties,
  type AlarmsChanged,
} from '../../shared/domain.js';
import { systemClock, type AlarmPropertyPort, type Clock } from '../connector/ports.js';
import { JournalTable, type JournalRecovery } from '../storage/journal-table.js';
import { AlarmGenerator } from './alarm-generator.js';
import { deriveSeed, mulberry32, randomInt, type Random } from './prng.js';

/** How the mock DataMiner is sized and where it keeps the alarm properties. */
export interface MockDataMinerOptions {
  /** Alarm properties journal: `<dataDir>/alarm-properties.jsonl` (JournalTable). */
  dataDir: string;
  /** Default 1; the same seed and options give the same alarms. */
  seed?: number;
  /** DMA count, default 3. */
  agents?: number;
  /** Default 20. */
  elementsPerAgent?: number;
  /** Default 500; works up to 100,000 and beyond. */
  initialAlarms?: number;
  /** Live rate (new, updated, cleared), default 1; 0 = static. */
  changesPerSecond?: number;
  /** Live changes and change batching use `clock.setTimeout`. Default: the system clock. */
  clock?: Clock;
  /** Epoch ms the generated times end at (default `clock.now()` when opened). */
  startTime?: number;
}

/** File name of the alarm properties journal inside `dataDir`. */
export const ALARM_PROPERTIES_FILE = 'alarm-properties.jsonl';
/** Emissions to `onChange` listeners are at least this far apart (ms). */
export const CHANGE_BATCH_MS = 50;
/** The live generator never fires more often than this (ms); it applies several changes. */
const MIN_LIVE_PERIOD_MS = 100;

function isProperties(value: unknown): value is AlarmProperties {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((v) => typeof v === 'string');
}

function wholeNumberOption(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`MockDataMiner option ${name} must be a whole number >= ${min}`);
  }
  return value;
}

/** Collects changes per key so a batch carries each alarm once, in its latest state. */
class ChangeBatch {
  private readonly upserted = new Map<string, Alarm>();
  private readonly removed = new Set<string>();

  get empty(): boolean {
    return this.upserted.size === 0 && this.removed.size === 0;
  }

  upsert(key: string, alarm: Alarm): void {
    this.removed.delete(key);
    this.upserted.set(key, alarm);
  }

  remove(key: string): void {
    this.upserted.delete(key);
    this.removed.add(key);
  }

  take(): AlarmsChanged {
    const change = { upserted: [...this.upserted.values()], removed: [...this.removed] };
    this.upserted.clear();
    this.removed.clear();
    return change;
  }
}

/**
 * A DataMiner System in miniature. Alarms are immutable objects: a change replaces the
 * object, so `list()` can hand out the same objects without copying them.
 */
export class MockDataMiner implements AlarmPropertyPort {
  /** Set when the properties file was corrupted and moved aside on open. */
  readonly recovery: JournalRecovery | null;
  private readonly alarms: Alarm[] = [];
  private readonly indexOf = new Map<string, number>();
  private readonly listeners = new Set<(change: AlarmsChanged) => void>();
  private readonly pending = new ChangeBatch();
  private readonly live: Random;
  private readonly clock: Clock;
  private readonly rate: number;
  private readonly timeOffset: number;
  private flushTimer: unknown = null;
  private liveTimer: unknown = null;
  private liveCarry = 0;
  private closed = false;

  private constructor(
    private readonly generator: AlarmGenerator,
    private readonly properties: JournalTable<AlarmProperties>,
    options: Required<Omit<MockDataMinerOptions, 'dataDir'>>,
  ) {
    this.recovery = properties.recovery;
    this.clock = options.clock;
    this.rate = options.changesPerSecond;
    this.live = mulberry32(deriveSeed(options.seed, 1));
    // Live alarms continue the generated history: their times are startTime plus the time
    // elapsed on the clock since opening.
    this.timeOffset = options.startTime - options.clock.now();
    const initial = generator.initial(
      mulberry32(deriveSeed(options.seed, 0)),
      options.initialAlarms,
      options.startTime,
    );
    for (const alarm of initial) this.put(alarm);
  }

  /** Opens the properties journal and generates the initial alarms. */
  static async open(options: MockDataMinerOptions): Promise<MockDataMiner> {
    const clock = options.clock ?? systemClock;
    const seed = options.seed ?? 1;
    if (!Number.isInteger(seed)) throw new RangeError('MockDataMiner option seed must be whole');
    const resolved = {
      seed,
      agents: wholeNumberOption('agents', options.agents ?? 3, 1),
      elementsPerAgent: wholeNumberOption('elementsPerAgent', options.elementsPerAgent ?? 20, 1),
      initialAlarms: wholeNumberOption('initialAlarms', options.initialAlarms ?? 500, 0),
      changesPerSecond: options.changesPerSecond ?? 1,
      clock,
      startTime: options.startTime ?? clock.now(),
    };
    if (!(resolved.changesPerSecond >= 0) || !Number.isFinite(resolved.changesPerSecond)) {
      throw new RangeError('MockDataMiner option changesPerSecond must be a number >= 0');
    }
    const table = await JournalTable.open<AlarmProperties>(
      path.join(options.dataDir, ALARM_PROPERTIES_FILE),
      { validate: isProperties },
    );
    const generator = new AlarmGenerator(resolved);
    return new MockDataMiner(generator, table, resolved);
  }

  /** The current alarms, with their properties merged in (a fresh array of shared objects). */
  list(): Alarm[] {
    return this.alarms.slice();
  }

  /** The current alarm with this root key, if it has not cleared. */
  find(dmaId: string, alarmId: string): Alarm | undefined {
    const at = this.indexOf.get(alarmKeyString({ dmaId, alarmId }));
    return at === undefined ? undefined : this.alarms[at];
  }

  /** The stored properties of an alarm (a copy; empty when it has none). */
  get(dmaId: string, alarmId: string): AlarmProperties {
    return { ...this.properties.get(alarmKeyString({ dmaId, alarmId })) };
  }

  /**
   * Merges properties onto the alarm, resolves once they are on disk, then emits the alarm
   * as upserted (when it is still present). Properties outlive the alarm: they apply again
   * when the same alarm is generated after a restart.
   */
  async set(dmaId: string, alarmId: string, props: AlarmProperties): Promise<void> {
    if (this.closed) throw new Error('The mock DataMiner is closed');
    if (!/^\d+$/.test(dmaId) || !/^\d+$/.test(alarmId)) {
      throw new Error(`Alarm key ${dmaId}/${alarmId} is not two decimal IDs`);
    }
    if (!isProperties(props)) throw new Error('Alarm properties must be text values');
    const key = alarmKeyString({ dmaId, alarmId });
    const merged = { ...this.properties.get(key), ...props };
    await this.properties.commit([{ key, value: merged }]);
    const at = this.indexOf.get(key);
    const current = at === undefined ? undefined : this.alarms[at];
    if (at === undefined || current === undefined) return;
    // Concurrent set() calls commit in order; the table holds the latest merge of them all.
    const updated = { ...current, properties: this.properties.get(key) ?? merged };
    this.alarms[at] = updated;
    this.queue((batch) => batch.upsert(key, updated));
  }

  /**
   * Subscribes to alarm changes. Emissions are batched (at most one per CHANGE_BATCH_MS on
   * the clock) and carry each alarm once, in its latest state. Returns the unsubscribe.
   */
  onChange(listener: (change: AlarmsChanged) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Applies `count` live changes now (new, updated or cleared alarms, drawn from the seed),
   * queues them for the listeners and returns them, coalesced by key.
   */
  tick(count = 1): AlarmsChanged {
    if (this.closed) throw new Error('The mock DataMiner is closed');
    const own = new ChangeBatch();
    const now = this.clock.now() + this.timeOffset;
    for (let i = 0; i < count; i++) {
      const r = this.live();
      if (this.alarms.length === 0 || r < 1 / 3) {
        const alarm = this.put(this.generator.raise(this.live, now, now));
        own.upsert(alarmKeyString(alarm), alarm);
      } else {
        const at = randomInt(this.live, 0, this.alarms.length - 1);
        const alarm = this.alarms[at];
        if (!alarm) continue;
        const key = alarmKeyString(alarm);
        if (r < 2 / 3) {
          const updated = this.generator.update(this.live, alarm, now);
          this.alarms[at] = updated;
          own.upsert(key, updated);
        } else {
          this.removeAt(at, key);
          own.remove(key);
        }
      }
    }
    const change = own.take();
    this.queue((batch) => {
      for (const key of change.removed) batch.remove(key);
      for (const alarm of change.upserted) batch.upsert(alarmKeyString(alarm), alarm);
    });
    return change;
  }

  /** Starts the live generator (`changesPerSecond` changes per second on the clock). */
  start(): void {
    if (this.closed || this.rate <= 0 || this.liveTimer !== null) return;
    const period = Math.max(1000 / this.rate, MIN_LIVE_PERIOD_MS);
    const fire = (): void => {
      this.liveTimer = null;
      if (this.closed) return;
      this.liveCarry += (this.rate * period) / 1000;
      const count = Math.floor(this.liveCarry + 1e-9);
      this.liveCarry -= count;
      this.liveTimer = this.clock.setTimeout(fire, period);
      if (count > 0) this.tick(count);
    };
    this.liveTimer = this.clock.setTimeout(fire, period);
  }

  /** Stops the live generator; alarms stay as they are. */
  stop(): void {
    if (this.liveTimer !== null) this.clock.clearTimeout(this.liveTimer);
    this.liveTimer = null;
  }

  /** Stops everything, drops unsent changes and closes the properties file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.stop();
    this.closed = true;
    if (this.flushTimer !== null) this.clock.clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.listeners.clear();
    await this.properties.close();
  }

  /** Adds a new alarm with its stored properties (if any) and returns what was stored. */
  private put(alarm: Alarm): Alarm {
    const key = alarmKeyString(alarm);
    const props = this.properties.get(key);
    const stored = props ? { ...alarm, properties: props } : alarm;
    this.indexOf.set(key, this.alarms.length);
    this.alarms.push(stored);
    return stored;
  }

  /** Removes in O(1): the last alarm takes the cleared one's place. */
  private removeAt(at: number, key: string): void {
    const last = this.alarms.pop();
    this.indexOf.delete(key);
    if (last && at < this.alarms.length) {
      this.alarms[at] = last;
      this.indexOf.set(alarmKeyString(last), at);
    }
  }

  private queue(apply: (batch: ChangeBatch) => void): void {
    if (this.closed) return;
    apply(this.pending);
    if (this.flushTimer !== null || this.pending.empty) return;
    this.flushTimer = this.clock.setTimeout(() => this.flush(), CHANGE_BATCH_MS);
  }

  private flush(): void {
    this.flushTimer = null;
    if (this.closed || this.pending.empty) return;
    const change = this.pending.take();
    let failure: unknown = null;
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        failure ??= error;
      }
    }
    // A throwing listener is a bug; the others still heard the change.
    if (failure instanceof Error) throw failure;
    if (failure !== null) throw new Error('An alarm change listener threw a non-Error value');
  }
}
