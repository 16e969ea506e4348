/**
 * The mock DataMiner System behind the alarm console: a seeded alarm source (agents, elements,
 * alarms that arrive, change and clear, at most one active alarm per element and parameter),
 * the operators' alarm state (acknowledged, owner, comments) and the alarm properties the
 * connector writes. Each update of an alarm gets a new Alarm ID and keeps its root alarm ID;
 * an alarm back to normal shows as Cleared for `clearedVisibleMs`, then goes. State survives
 * a restart (alarm-state-store.ts); properties are kept per DMA ID/root Alarm ID in the data
 * folder's SQL store. No Electron import.
 */
import {
  alarmKeyString,
  type Alarm,
  type AlarmActionKind,
  type AlarmActionOutcome,
  type AlarmKey,
  type AlarmProperties,
  type AlarmsChanged,
} from '../../shared/domain.js';
import type { AlarmPropertyPort, Clock } from '../connector/ports.js';
import { openAlarmPropertiesTable } from '../storage/alarm-properties-table.js';
import type { LegacyImport, SqlTable } from '../storage/sql-table.js';
import { EMPTY_ALARM_STATE, applyAlarmAction, isCleared, randomActive } from './alarm-actions.js';
import { AlarmGenerator, slotOf } from './alarm-generator.js';
import { ChangeBatch, ClearQueue, notifyAll, subscribe, type AlarmEvent } from './alarm-events.js';
import { AlarmStateStore, withoutProperties, type StoredAlarmState } from './alarm-state-store.js';
import {
  isProperties,
  resolveOptions,
  wholeNumberOption,
  type MockDataMinerOptions,
  type ResolvedOptions,
} from './mock-dataminer-options.js';
import { LiveTicker } from './live-ticker.js';
import { nextSystemAlarm, type SystemAlarmSpec } from './system-alarm.js';
import { deriveSeed, mulberry32, type Random } from './prng.js';

export { ALARM_STATE_FILE } from './alarm-state-store.js';
export type { MockDataMinerOptions } from './mock-dataminer-options.js';
export type { AlarmEvent } from './alarm-events.js';
/** Emissions to `onChange` listeners are at least this far apart (ms). */
export const CHANGE_BATCH_MS = 50;
/** Live changes are saved at most this often (ms); operator actions are saved at once. */
const SAVE_DELAY_MS = 500;

/** How `set` writes: synced to disk (the default) or in the log's order only. */
type SetOptions = { synced?: boolean };

/**
 * A DataMiner System in miniature. Alarms are immutable objects: a change replaces the
 * object, so `list()` can hand out the same objects without copying them.
 */
export class MockDataMiner implements AlarmPropertyPort {
  /** Set when the properties journal of the earlier release was imported at this open. */
  readonly imported: LegacyImport | null;
  /** Set when the state file was damaged and moved aside on open (its path). */
  stateRecovery: string | null = null;
  private readonly alarms: Alarm[] = [];
  private readonly indexOf = new Map<string, number>();
  /** Element/parameter slot -> key of its active (not cleared) alarm. */
  private readonly slots = new Map<string, string>();
  private readonly listeners = new Set<(change: AlarmsChanged) => void>();
  private readonly eventListeners = new Set<(event: AlarmEvent) => void>();
  private readonly pending = new ChangeBatch();
  private readonly live: Random;
  private readonly clock: Clock;
  private readonly ticker: LiveTicker;
  private readonly timeOffset: number;
  private readonly system: string;
  /** Keys changed since generation (saved), raised live, and generated ones gone. */
  private readonly changed = new Set<string>();
  private readonly raisedLive = new Set<string>();
  private readonly gone = new Set<string>();
  /** Cleared alarms in the order they go (the visible time is the same for all). */
  private readonly clearQueue = new ClearQueue();
  private clearedVisibleMs: number;
  private flushTimer: unknown = null;
  private sweepTimer: unknown = null;
  private saveTimer: unknown = null;
  private closed = false;

  private constructor(
    private readonly generator: AlarmGenerator,
    private readonly properties: SqlTable<AlarmProperties>,
    private readonly store: AlarmStateStore,
    options: ResolvedOptions,
  ) {
    this.imported = properties.imported;
    this.clock = options.clock;
    this.ticker = new LiveTicker(options.clock, options.changesPerSecond, (n) => {
      if (!this.closed) this.tick(n);
    });
    this.clearedVisibleMs = options.clearedVisibleMs;
    this.live = mulberry32(deriveSeed(options.seed, 1));
    this.system = `${options.seed}/${options.agents}/${options.elementsPerAgent}/${options.initialAlarms}`;
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

  /** Opens the properties journal and the state file, and generates the alarms. */
  static async open(options: MockDataMinerOptions): Promise<MockDataMiner> {
    const resolved = resolveOptions(options);
    const table = openAlarmPropertiesTable(options.dataDir);
    const generator = new AlarmGenerator({ ...resolved, capacity: resolved.initialAlarms });
    const store = new AlarmStateStore(options.dataDir);
    const dm = new MockDataMiner(generator, table, store, resolved);
    const { state, movedTo } = await store.load(dm.system);
    dm.stateRecovery = movedTo;
    if (state) dm.replay(state);
    return dm;
  }

  /** The SQLite file holding the alarm properties (the data folder's database). */
  get storeFile(): string {
    return this.properties.database.file;
  }

  /** The current alarms, cleared ones included, with their properties (a fresh array). */
  list(): Alarm[] {
    return this.alarms.slice();
  }

  /** The alarm with this root key, if it has not gone. */
  find(dmaId: string, alarmId: string): Alarm | undefined {
    return this.current(alarmKeyString({ dmaId, alarmId }));
  }

  /** The stored properties of an alarm (a copy; empty when it has none). */
  get(dmaId: string, alarmId: string): AlarmProperties {
    return { ...this.properties.get(alarmKeyString({ dmaId, alarmId })) };
  }

  /**
   * Merges properties onto the alarm, resolves once they are on disk (synced unless `synced`
   * is false), then emits the alarm as upserted (when it is still present). Properties outlive
   * the alarm: they apply again when the same alarm is generated after a restart.
   */
  async set(dmaId: string, alarmId: string, props: AlarmProperties, options: SetOptions = {}) {
    if (this.closed) throw new Error('The mock DataMiner is closed');
    if (!/^\d+$/.test(dmaId) || !/^\d+$/.test(alarmId)) {
      throw new Error(`Alarm key ${dmaId}/${alarmId} is not two decimal IDs`);
    }
    if (!isProperties(props)) throw new Error('Alarm properties must be text values');
    const key = alarmKeyString({ dmaId, alarmId });
    const merged = { ...this.properties.get(key), ...props };
    await this.properties.commit([{ key, value: merged }], { durable: options.synced !== false });
    const current = this.current(key);
    if (!current) return;
    // Concurrent set() calls commit in order; the table holds the latest merge of them all.
    this.replace(key, { ...current, properties: this.properties.get(key) ?? merged });
  }

  /**
   * Applies an operator action to every alarm of `keys` that is present, saves the state and
   * resolves once it is durable; the changed alarms are emitted as upserted.
   */
  async act(
    keys: readonly AlarmKey[],
    action: AlarmActionKind,
    operator: string,
    comment?: string,
  ): Promise<AlarmActionOutcome> {
    if (this.closed) throw new Error('The mock DataMiner is closed');
    const at = new Date(this.clock.now()).toISOString();
    const missing: string[] = [];
    let changed = 0;
    for (const k of keys) {
      const key = alarmKeyString(k);
      const alarm = this.current(key);
      if (!alarm) {
        missing.push(key);
        continue;
      }
      const next = applyAlarmAction(alarm, action, operator, at, comment);
      if (next === alarm) continue;
      changed++;
      this.replace(key, next);
      this.emit({ kind: 'state', key, alarm: next, previous: alarm });
    }
    if (changed > 0) await this.saveNow();
    return { changed, missing };
  }

  /** Changes how long cleared alarms stay; applies to alarms clearing from now on. */
  setClearedVisibleMs(ms: number): void {
    this.clearedVisibleMs = wholeNumberOption('clearedVisibleMs', ms, 0);
  }

  /**
   * Subscribes to alarm changes. Emissions are batched (at most one per CHANGE_BATCH_MS on
   * the clock) and carry each alarm once, in its latest state. Returns the unsubscribe.
   */
  onChange(listener: (change: AlarmsChanged) => void): () => void {
    return subscribe(this.listeners, listener);
  }

  /**
   * Subscribes to the life cycle of alarms, one event per change as it happens: raised,
   * updated (a new Alarm ID in the same tree), cleared, gone, or state changed by an
   * operator. This is what the ticket life cycle reacts to. Returns the unsubscribe.
   */
  onEvent(listener: (event: AlarmEvent) => void): () => void {
    return subscribe(this.eventListeners, listener);
  }

  /**
   * Applies `count` live changes now (new alarms, updates, returns to normal), drawn from the
   * seed, queues them for the listeners and returns them, coalesced by key.
   */
  tick(count = 1): AlarmsChanged {
    if (this.closed) throw new Error('The mock DataMiner is closed');
    const own = new ChangeBatch();
    const now = this.clock.now() + this.timeOffset;
    for (let i = 0; i < count; i++) {
      const r = this.live();
      const target = r < 1 / 3 ? undefined : randomActive(this.alarms, this.live);
      if (target === undefined) {
        const raised = this.generator.raise(this.live, now, now, (s) => this.slots.has(s));
        if (raised) own.upsert(alarmKeyString(raised), this.raiseNew(raised));
        continue;
      }
      const key = alarmKeyString(target);
      const severity = r < 2 / 3 ? undefined : 'Normal';
      const updated = this.generator.update(this.live, target, now, severity);
      if (updated.severity === 'Normal') {
        const cleared = this.clear(key, updated, now);
        own.upsert(key, cleared);
      } else {
        this.replace(key, updated, false);
        own.upsert(key, updated);
        this.emit({ kind: 'updated', key, alarm: updated, previous: target });
      }
    }
    const change = own.take();
    this.queue((batch) => {
      for (const key of change.removed) batch.remove(key);
      for (const alarm of change.upserted) batch.upsert(alarmKeyString(alarm), alarm);
    });
    this.saveSoon();
    return change;
  }

  /**
   * Raises, updates or (severity Normal) clears the alarm of one of the system's own elements
   * on the first agent, such as "Oceane Connector" (electron/health/connector-alarm.ts).
   */
  setSystemAlarm(spec: SystemAlarmSpec): void {
    if (this.closed) return;
    const dmaId = this.generator.elements[0]!.dmaId;
    const current = this.current(this.slots.get(slotOf({ dmaId, ...spec })) ?? '');
    const now = this.clock.now() + this.timeOffset;
    const next = nextSystemAlarm(spec, dmaId, current, now, () =>
      this.generator.nextAlarmId(dmaId, this.live),
    );
    if (!next) return;
    const k = alarmKeyString(next);
    if (!current) this.queue((batch) => batch.upsert(k, this.raiseNew(next)));
    else if (next.severity === 'Normal') this.queue((b) => b.upsert(k, this.clear(k, next, now)));
    else {
      this.replace(k, next);
      this.emit({ kind: 'updated', key: k, alarm: next, previous: current });
    }
    this.saveSoon();
  }

  /** Starts the live generator (`changesPerSecond` changes per second on the clock). */
  start(): void {
    if (!this.closed) this.ticker.start();
  }

  /** Stops the live generator; alarms stay as they are. */
  stop(): void {
    this.ticker.stop();
  }

  /** Stops everything, saves the state, drops unsent changes and closes the files. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.stop();
    for (const t of [this.flushTimer, this.sweepTimer, this.saveTimer]) {
      if (t !== null) this.clock.clearTimeout(t);
    }
    this.flushTimer = this.sweepTimer = this.saveTimer = null;
    await this.saveNow();
    this.closed = true;
    this.listeners.clear();
    this.eventListeners.clear();
    await this.store.settled();
    this.properties.database.close();
  }

  private current(key: string): Alarm | undefined {
    const at = this.indexOf.get(key);
    return at === undefined ? undefined : this.alarms[at];
  }

  /** The alarm returns to normal: it shows as Cleared, frees its slot and goes later. */
  private clear(key: string, updated: Alarm, now: number): Alarm {
    const previous = this.current(key);
    const cleared: Alarm = {
      ...updated,
      state: { ...(updated.state ?? EMPTY_ALARM_STATE), clearedAt: new Date(now).toISOString() },
    };
    this.replace(key, cleared, false);
    this.slots.delete(slotOf(cleared));
    this.clearQueue.add(key, this.clock.now() + this.clearedVisibleMs);
    this.scheduleSweep();
    this.emit({ kind: 'cleared', key, alarm: cleared, previous: previous ?? null });
    return cleared;
  }

  /** Removes cleared alarms whose visible time is over, and emits them as removed. */
  private sweep(): void {
    this.sweepTimer = null;
    if (this.closed) return;
    const due = this.clearQueue.takeDue(this.clock.now());
    for (const key of due) {
      const alarm = this.current(key);
      if (!alarm || !isCleared(alarm)) continue;
      this.removeKey(key);
      this.queue((batch) => batch.remove(key));
      this.emit({ kind: 'removed', key, alarm, previous: alarm });
    }
    if (due.length > 0) this.saveSoon();
    this.scheduleSweep();
  }

  private scheduleSweep(): void {
    const next = this.clearQueue.next;
    if (this.sweepTimer !== null || next === null || this.closed) return;
    this.sweepTimer = this.clock.setTimeout(() => this.sweep(), next - this.clock.now());
  }

  /** Adds a new live alarm, notes it for the state file and tells the event listeners. */
  private raiseNew(alarm: Alarm): Alarm {
    const key = alarmKeyString(alarm);
    this.raisedLive.add(key);
    const stored = this.put(alarm);
    this.changed.add(key);
    this.emit({ kind: 'raised', key, alarm: stored, previous: null });
    return stored;
  }

  /** Adds an alarm with its stored properties (if any) and returns what was stored. */
  private put(alarm: Alarm): Alarm {
    const key = alarmKeyString(alarm);
    const props = this.properties.get(key);
    const stored = props ? { ...alarm, properties: props } : alarm;
    this.indexOf.set(key, this.alarms.length);
    this.alarms.push(stored);
    if (!isCleared(stored)) this.slots.set(slotOf(stored), key);
    return stored;
  }

  /** Replaces a present alarm; `emit` queues it for the change listeners. */
  private replace(key: string, alarm: Alarm, emit = true): void {
    const at = this.indexOf.get(key);
    if (at === undefined) return;
    this.alarms[at] = alarm;
    this.changed.add(key);
    if (emit) this.queue((batch) => batch.upsert(key, alarm));
  }

  /** Removes in O(1): the last alarm takes the removed one's place. */
  private removeKey(key: string): void {
    const at = this.indexOf.get(key);
    if (at === undefined) return;
    const removed = this.alarms[at];
    const last = this.alarms.pop();
    this.indexOf.delete(key);
    if (last && at < this.alarms.length) {
      this.alarms[at] = last;
      this.indexOf.set(alarmKeyString(last), at);
    }
    if (removed && this.slots.get(slotOf(removed)) === key) this.slots.delete(slotOf(removed));
    this.changed.delete(key);
    if (!this.raisedLive.delete(key)) this.gone.add(key);
  }

  /** Replays the stored changes over the regenerated alarms (on open). */
  private replay(state: StoredAlarmState): void {
    this.generator.restoreCounters(state.counters);
    for (const key of state.gone) this.removeKey(key);
    const now = this.clock.now();
    for (const { alarm, live } of state.alarms) {
      const key = alarmKeyString(alarm);
      this.removeKey(key);
      this.gone.delete(key);
      if (live) this.raisedLive.add(key);
      this.put(alarm);
      this.changed.add(key);
      const clearedAt = alarm.state?.clearedAt;
      if (clearedAt) {
        const at = Math.min(
          now + this.clearedVisibleMs,
          Date.parse(clearedAt) - this.timeOffset + this.clearedVisibleMs,
        );
        this.clearQueue.add(key, Number.isFinite(at) ? at : now);
      }
    }
    this.scheduleSweep();
  }

  private snapshot(): StoredAlarmState {
    const alarms: StoredAlarmState['alarms'] = [];
    for (const key of this.changed) {
      const alarm = this.current(key);
      if (alarm) alarms.push({ alarm: withoutProperties(alarm), live: this.raisedLive.has(key) });
    }
    const counters = this.generator.counters();
    return { version: 1, system: this.system, counters, alarms, gone: [...this.gone] };
  }

  private saveSoon(): void {
    if (this.saveTimer !== null || this.closed) return;
    this.saveTimer = this.clock.setTimeout(() => {
      this.saveTimer = null;
      this.saveNow().catch(() => undefined);
    }, SAVE_DELAY_MS);
  }

  private saveNow(): Promise<void> {
    if (this.saveTimer !== null) this.clock.clearTimeout(this.saveTimer);
    this.saveTimer = null;
    return this.store.save(this.snapshot());
  }

  private emit(event: AlarmEvent): void {
    for (const listener of [...this.eventListeners]) listener(event);
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
    notifyAll(this.listeners, this.pending.take());
  }
}
