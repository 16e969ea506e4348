import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alarmKeyString, type AlarmsChanged } from '../../shared/domain.js';
import { alarmSchema } from '../../shared/schemas.js';
import type { Clock } from '../connector/ports.js';
import { ALARM_PROPERTIES_FILE } from '../storage/alarm-properties-table.js';
import {
  ALARM_STATE_FILE,
  CHANGE_BATCH_MS,
  MockDataMiner,
  type MockDataMinerOptions,
} from './mock-dataminer.js';
import type { AlarmEvent } from './alarm-events.js';
import { slotOf } from './alarm-generator.js';

/** A clock that only moves when the test says so. */
class FakeClock implements Clock {
  private current = Date.UTC(2025, 2, 14, 9, 30, 0);
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;
  now(): number {
    return this.current;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.current + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Moves time forward, firing due timers in time order. */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      let due: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) {
        if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry;
      }
      if (!due) break;
      this.timers.delete(due[0]);
      this.current = due[1].at;
      due[1].fn();
    }
    this.current = end;
  }
}

let dir: string;
let clock: FakeClock;
const opened: MockDataMiner[] = [];

async function open(options: Partial<MockDataMinerOptions> = {}): Promise<MockDataMiner> {
  const dm = await MockDataMiner.open({ dataDir: dir, clock, ...options });
  opened.push(dm);
  return dm;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mock-dataminer-'));
  clock = new FakeClock();
});

afterEach(async () => {
  for (const dm of opened.splice(0)) await dm.close();
  await rm(dir, { recursive: true, force: true });
});

describe('generated alarms', () => {
  it('are the same for the same seed and options, and differ for another seed', async () => {
    const startTime = Date.UTC(2025, 0, 1);
    const a = await open({ seed: 7, initialAlarms: 200, startTime });
    const b = await open({ seed: 7, initialAlarms: 200, startTime });
    const c = await open({ seed: 8, initialAlarms: 200, startTime });
    expect(b.list()).toEqual(a.list());
    expect(c.list()).not.toEqual(a.list());
    expect(c.list().map(alarmKeyString)).not.toEqual(a.list().map(alarmKeyString));
  });

  it('generates a small system of 10 valid alarms with decimal IDs and realistic names', async () => {
    const dm = await open({ initialAlarms: 10 });
    const alarms = dm.list();
    expect(alarms).toHaveLength(10);
    for (const alarm of alarms) {
      expect(alarmSchema.parse(alarm)).toEqual(alarm);
      expect(alarm.dmaId).toMatch(/^\d+$/);
      expect(alarm.elementId).toMatch(/^\d+$/);
      expect(alarm.alarmId).toMatch(/^\d+$/);
      expect(alarm.elementName).toMatch(/^[A-Z]{3}-[A-Z-]+-\d{2}$/);
      expect(Date.parse(alarm.rootTime)).toBeLessThanOrEqual(Date.parse(alarm.time));
      expect(Date.parse(alarm.time)).toBeLessThanOrEqual(clock.now());
      expect(dm.find(alarm.dmaId, alarm.alarmId)).toBe(alarm);
    }
    expect(new Set(alarms.map(alarmKeyString)).size).toBe(10);
  });

  it('generates 100,000 alarms, one per element and parameter, adding elements as needed', async () => {
    const dm = await open({ initialAlarms: 100_000, agents: 4, elementsPerAgent: 25 });
    const alarms = dm.list();
    expect(alarms).toHaveLength(100_000);
    expect(new Set(alarms.map(alarmKeyString)).size).toBe(100_000);
    expect(new Set(alarms.map((a) => a.dmaId)).size).toBe(4);
    expect(new Set(alarms.map(slotOf)).size).toBe(100_000);
    expect(new Set(alarms.map((a) => `${a.dmaId}/${a.elementId}`)).size).toBeGreaterThan(100);
    const severities = new Set(alarms.map((a) => a.severity));
    // Active alarms only: an alarm back to Normal clears.
    expect([...severities].sort()).toEqual(['Critical', 'Major', 'Minor', 'Warning']);
    for (let i = 0; i < alarms.length; i += 997) alarmSchema.parse(alarms[i]);
  });

  it('hands out the same alarm objects from list() without sharing the array', async () => {
    const dm = await open({ initialAlarms: 5 });
    const first = dm.list();
    first.pop();
    const second = dm.list();
    expect(second).toHaveLength(5);
    expect(second[0]).toBe(first[0]);
  });

  it('refuses nonsensical sizes', async () => {
    await expect(open({ agents: 0 })).rejects.toThrow(/agents/);
    await expect(open({ initialAlarms: -1 })).rejects.toThrow(/initialAlarms/);
    await expect(open({ changesPerSecond: -2 })).rejects.toThrow(/changesPerSecond/);
  });
});

describe('live changes', () => {
  it('tick raises, updates and clears alarms and returns what changed', async () => {
    const dm = await open({ initialAlarms: 50 });
    const before = new Map(dm.list().map((a) => [alarmKeyString(a), a]));
    clock.advance(5_000);
    const change = dm.tick(60);
    const added = change.upserted.filter((a) => !before.has(alarmKeyString(a)));
    const updated = change.upserted.filter((a) => before.has(alarmKeyString(a)));
    const cleared = change.upserted.filter((a) => a.state?.clearedAt);
    expect(added.length).toBeGreaterThan(0);
    expect(updated.filter((a) => !a.state?.clearedAt).length).toBeGreaterThan(0);
    expect(cleared.length).toBeGreaterThan(0);
    // Cleared alarms stay (shown as Cleared) until their visible time is over.
    expect(change.removed).toEqual([]);
    for (const alarm of change.upserted) {
      expect(dm.find(alarm.dmaId, alarm.alarmId)).toBe(alarm);
      expect(alarm.time).toBe(new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, '.000Z'));
    }
    for (const alarm of cleared) expect(alarm.severity).toBe('Normal');
    for (const alarm of updated) {
      const old = before.get(alarmKeyString(alarm));
      // An update is a new Alarm ID in the same tree: the root alarm ID and root time stay.
      expect(alarm.alarmId).toBe(old?.alarmId);
      expect(alarm.latestAlarmId).toMatch(/^\d+$/);
      expect(alarm.latestAlarmId).not.toBe(old?.latestAlarmId ?? old?.alarmId);
      expect(alarm.rootTime).toBe(old?.rootTime);
      expect(alarm.elementName).toBe(old?.elementName);
    }
    const expected = new Set(before.keys());
    for (const alarm of added) expected.add(alarmKeyString(alarm));
    expect(new Set(dm.list().map(alarmKeyString))).toEqual(expected);
  });

  it('never holds two active alarms on the same element and parameter', async () => {
    const dm = await open({ initialAlarms: 150, agents: 1, elementsPerAgent: 20 });
    for (let i = 0; i < 40; i++) {
      dm.tick(25);
      clock.advance(1_000);
      const active = dm.list().filter((a) => !a.state?.clearedAt);
      expect(new Set(active.map(slotOf)).size).toBe(active.length);
      expect(active.every((a) => a.severity !== 'Normal')).toBe(true);
    }
  });

  it('removes a cleared alarm after the cleared visible time, and emits both steps', async () => {
    const dm = await open({ initialAlarms: 30, clearedVisibleMs: 10_000 });
    const events: AlarmEvent[] = [];
    const heard: AlarmsChanged[] = [];
    dm.onEvent((e) => events.push(e));
    dm.onChange((c) => heard.push(c));
    dm.tick(30);
    const cleared = events.filter((e) => e.kind === 'cleared');
    expect(cleared.length).toBeGreaterThan(0);
    expect(events.some((e) => e.kind === 'updated' && e.previous !== null)).toBe(true);
    const gone = cleared[0]!;
    clock.advance(9_000);
    expect(dm.find(gone.alarm.dmaId, gone.alarm.alarmId)?.state?.clearedAt).toBeTruthy();
    clock.advance(1_100);
    expect(dm.find(gone.alarm.dmaId, gone.alarm.alarmId)).toBeUndefined();
    expect(events.some((e) => e.kind === 'removed' && e.key === gone.key)).toBe(true);
    expect(heard.some((c) => c.removed.includes(gone.key))).toBe(true);
  });

  it('tick is deterministic for the same seed and clock', async () => {
    const a = await open({ seed: 3, initialAlarms: 30 });
    const b = await open({ seed: 3, initialAlarms: 30 });
    expect(b.tick(25)).toEqual(a.tick(25));
    expect(b.list()).toEqual(a.list());
  });

  it('emits changes in one batch after the batching delay, coalesced by alarm', async () => {
    const dm = await open({ initialAlarms: 20 });
    const heard: AlarmsChanged[] = [];
    dm.onChange((change) => heard.push(change));
    const first = dm.tick(5);
    const second = dm.tick(5);
    expect(heard).toHaveLength(0);
    clock.advance(CHANGE_BATCH_MS);
    expect(heard).toHaveLength(1);
    const batch = heard[0]!;
    const keys = batch.upserted.map(alarmKeyString);
    expect(new Set(keys).size).toBe(keys.length);
    for (const alarm of [...first.upserted, ...second.upserted]) {
      const key = alarmKeyString(alarm);
      if (dm.find(alarm.dmaId, alarm.alarmId)) {
        expect(batch.upserted.find((a) => alarmKeyString(a) === key)).toBe(
          dm.find(alarm.dmaId, alarm.alarmId),
        );
      } else {
        expect(batch.removed).toContain(key);
      }
    }
    clock.advance(1_000);
    expect(heard).toHaveLength(1);
  });

  it('start() applies changesPerSecond on the clock and stop() halts it', async () => {
    const dm = await open({ initialAlarms: 20, changesPerSecond: 10 });
    const heard: AlarmsChanged[] = [];
    const unsubscribe = dm.onChange((change) => heard.push(change));
    dm.start();
    clock.advance(1_000);
    const changes = heard.reduce((n, c) => n + c.upserted.length + c.removed.length, 0);
    expect(changes).toBeGreaterThan(0);
    expect(changes).toBeLessThanOrEqual(10);
    dm.stop();
    clock.advance(CHANGE_BATCH_MS);
    const count = heard.length;
    const snapshot = dm.list();
    clock.advance(10_000);
    expect(heard).toHaveLength(count);
    expect(dm.list()).toEqual(snapshot);
    unsubscribe();
  });

  it('stays static when changesPerSecond is 0', async () => {
    const dm = await open({ initialAlarms: 20, changesPerSecond: 0 });
    const snapshot = dm.list();
    dm.start();
    clock.advance(60_000);
    expect(dm.list()).toEqual(snapshot);
  });
});

describe('alarm properties', () => {
  const ticket = {
    'Oceane Ticket ID': 'INC000123',
    'Oceane Ticket URL': 'https://oceane.example/tickets/INC000123',
  };

  it('set merges, is durable, and shows on find() and list()', async () => {
    const dm = await open({ initialAlarms: 10 });
    const alarm = dm.list()[3]!;
    await dm.set(alarm.dmaId, alarm.alarmId, { 'Oceane Ticket ID': 'INC000123' });
    await dm.set(alarm.dmaId, alarm.alarmId, { 'Oceane Ticket URL': ticket['Oceane Ticket URL'] });
    expect(dm.get(alarm.dmaId, alarm.alarmId)).toEqual(ticket);
    expect(dm.find(alarm.dmaId, alarm.alarmId)?.properties).toEqual(ticket);
    expect(dm.list().find((a) => a.alarmId === alarm.alarmId)?.properties).toEqual(ticket);
    expect(alarm.properties).toEqual({});
  });

  it('emits the alarm as upserted with its new properties', async () => {
    const dm = await open({ initialAlarms: 10 });
    const alarm = dm.list()[0]!;
    const heard: AlarmsChanged[] = [];
    dm.onChange((change) => heard.push(change));
    await dm.set(alarm.dmaId, alarm.alarmId, ticket);
    clock.advance(CHANGE_BATCH_MS);
    expect(heard).toEqual([{ upserted: [{ ...alarm, properties: ticket }], removed: [] }]);
  });

  it('survives close and reopen, and applies to the regenerated alarm', async () => {
    const startTime = Date.UTC(2025, 0, 1);
    const first = await open({ seed: 11, initialAlarms: 25, startTime });
    const alarm = first.list()[7]!;
    await first.set(alarm.dmaId, alarm.alarmId, ticket);
    await first.close();
    const second = await open({ seed: 11, initialAlarms: 25, startTime });
    expect(second.find(alarm.dmaId, alarm.alarmId)).toEqual({ ...alarm, properties: ticket });
    expect(second.get(alarm.dmaId, alarm.alarmId)).toEqual(ticket);
    expect(second.imported).toBeNull();
  });

  it('keeps properties of an alarm that is not present, without emitting', async () => {
    const dm = await open({ initialAlarms: 5 });
    const heard: AlarmsChanged[] = [];
    dm.onChange((change) => heard.push(change));
    await dm.set('999999', '1', ticket);
    clock.advance(CHANGE_BATCH_MS);
    expect(heard).toHaveLength(0);
    expect(dm.get('999999', '1')).toEqual(ticket);
  });

  it('refuses keys that are not decimal IDs', async () => {
    const dm = await open({ initialAlarms: 1 });
    await expect(dm.set('12a', '5', ticket)).rejects.toThrow(/decimal/);
  });

  it('imports the properties journal of the earlier release once, keeps its readable rows and reports the rest', async () => {
    const good = JSON.stringify({ k: '101/5', v: { 'Oceane Ticket ID': 'INC1' } });
    await writeFile(path.join(dir, ALARM_PROPERTIES_FILE), `${good}\n{not json\n["x"]\n`);
    const dm = await open({ initialAlarms: 3 });
    expect(dm.imported).toMatchObject({ rows: 1, badLines: 2 });
    expect(dm.get('101', '5')).toEqual({ 'Oceane Ticket ID': 'INC1' });
    const files = await readdir(dir);
    expect(files.filter((f) => f.startsWith(`${ALARM_PROPERTIES_FILE}.imported-`))).toHaveLength(1);
    expect(files).not.toContain(ALARM_PROPERTIES_FILE);
    await dm.close();
    const again = await open({ initialAlarms: 3 });
    expect(again.imported).toBeNull();
    expect(again.get('101', '5')).toEqual({ 'Oceane Ticket ID': 'INC1' });
  });
});

describe('alarm state', () => {
  it('acknowledges, takes ownership, comments and releases, durably, with the operator name', async () => {
    const startTime = Date.UTC(2025, 0, 1);
    const dm = await open({ seed: 5, initialAlarms: 20, startTime, changesPerSecond: 0 });
    const [a, b] = dm.list();
    const keys = [a!, b!].map(({ dmaId, alarmId }) => ({ dmaId, alarmId }));
    const events: AlarmEvent[] = [];
    dm.onEvent((e) => events.push(e));
    expect(await dm.act(keys, 'acknowledge', 'Alice')).toEqual({ changed: 2, missing: [] });
    expect(await dm.act(keys, 'acknowledge', 'Bob')).toEqual({ changed: 0, missing: [] });
    await dm.act(keys.slice(0, 1), 'take-ownership', 'Alice');
    await dm.act(keys.slice(0, 1), 'comment', 'Alice', 'Fibre cut, field team on site');
    const outcome = await dm.act([...keys, { dmaId: '1', alarmId: '2' }], 'release', 'Bob');
    expect(outcome).toEqual({ changed: 1, missing: ['1/2'] });
    await dm.act(keys.slice(0, 1), 'take-ownership', 'Bob');
    expect(events.filter((e) => e.kind === 'state')).toHaveLength(6);
    await dm.close();

    const again = await open({ seed: 5, initialAlarms: 20, startTime, changesPerSecond: 0 });
    const state = again.find(a!.dmaId, a!.alarmId)?.state;
    expect(state?.acknowledgedBy).toBe('Alice');
    expect(state?.owner).toBe('Bob');
    expect(state?.comments.map((c) => [c.by, c.text])).toEqual([
      ['Alice', 'Fibre cut, field team on site'],
    ]);
    expect(again.find(b!.dmaId, b!.alarmId)?.state?.owner).toBeNull();
    await again.act(keys.slice(1), 'unacknowledge', 'Alice');
    expect(again.find(b!.dmaId, b!.alarmId)?.state?.acknowledgedBy).toBeNull();
  });

  it('keeps raised, updated, cleared and gone alarms and the Alarm ID counters across a restart', async () => {
    const startTime = Date.UTC(2025, 0, 1);
    const options = { seed: 9, initialAlarms: 40, startTime, clearedVisibleMs: 5_000 };
    const dm = await open(options);
    dm.tick(40);
    clock.advance(6_000);
    dm.tick(30);
    const before = dm.list();
    const ids = new Set(before.flatMap((x) => [x.alarmId, x.latestAlarmId ?? x.alarmId]));
    await dm.close();
    const again = await open(options);
    expect(again.list().map(alarmKeyString).sort()).toEqual(before.map(alarmKeyString).sort());
    for (const alarm of before) {
      expect(again.find(alarm.dmaId, alarm.alarmId)).toEqual(alarm);
    }
    // New alarms after the restart never reuse an Alarm ID handed out before it.
    const change = again.tick(30);
    for (const x of change.upserted) expect(ids.has(x.latestAlarmId ?? '')).toBe(false);
    // Alarms that were showing as Cleared still go once their visible time is over.
    const clearedBefore = before.filter((x) => x.state?.clearedAt);
    expect(clearedBefore.length).toBeGreaterThan(0);
    clock.advance(6_000);
    for (const x of clearedBefore) expect(again.find(x.dmaId, x.alarmId)).toBeUndefined();
  });

  it('moves a damaged state file aside and starts from the generated alarms', async () => {
    await writeFile(path.join(dir, ALARM_STATE_FILE), '{"version":1,');
    const dm = await open({ initialAlarms: 10 });
    expect(dm.list()).toHaveLength(10);
    expect(path.basename(dm.stateRecovery ?? '')).toMatch(/\.broken-/);
  });
});
