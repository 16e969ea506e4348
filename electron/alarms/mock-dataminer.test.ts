import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alarmKeyString, type AlarmsChanged } from '../../shared/domain.js';
import { alarmSchema } from '../../shared/schemas.js';
import type { Clock } from '../connector/ports.js';
import {
  ALARM_PROPERTIES_FILE,
  CHANGE_BATCH_MS,
  MockDataMiner,
  type MockDataMinerOptions,
} from './mock-dataminer.js';

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

  it('generates 100,000 alarms with unique root keys on the configured agents and elements', async () => {
    const dm = await open({ initialAlarms: 100_000, agents: 4, elementsPerAgent: 25 });
    const alarms = dm.list();
    expect(alarms).toHaveLength(100_000);
    expect(new Set(alarms.map(alarmKeyString)).size).toBe(100_000);
    expect(new Set(alarms.map((a) => a.dmaId)).size).toBe(4);
    expect(new Set(alarms.map((a) => `${a.dmaId}/${a.elementId}`)).size).toBeLessThanOrEqual(100);
    const severities = new Set(alarms.map((a) => a.severity));
    expect([...severities].sort()).toEqual(['Critical', 'Major', 'Minor', 'Normal', 'Warning']);
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
  it('tick adds, updates and clears alarms and returns what changed', async () => {
    const dm = await open({ initialAlarms: 50 });
    const before = new Map(dm.list().map((a) => [alarmKeyString(a), a]));
    clock.advance(5_000);
    const change = dm.tick(60);
    const added = change.upserted.filter((a) => !before.has(alarmKeyString(a)));
    const updated = change.upserted.filter((a) => before.has(alarmKeyString(a)));
    expect(added.length).toBeGreaterThan(0);
    expect(updated.length).toBeGreaterThan(0);
    expect(change.removed.length).toBeGreaterThan(0);
    for (const key of change.removed) {
      const [dmaId = '', alarmId = ''] = key.split('/');
      expect(dm.find(dmaId, alarmId)).toBeUndefined();
    }
    for (const alarm of change.upserted) {
      expect(dm.find(alarm.dmaId, alarm.alarmId)).toBe(alarm);
      expect(alarm.time).toBe(new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, '.000Z'));
    }
    for (const alarm of updated) {
      const old = before.get(alarmKeyString(alarm));
      expect(alarm.rootTime).toBe(old?.rootTime);
      expect(alarm.elementName).toBe(old?.elementName);
      expect(alarm).not.toBe(old);
    }
    // An alarm raised and cleared within the same tick shows only as removed.
    const expected = new Set(before.keys());
    for (const key of change.removed) expected.delete(key);
    for (const alarm of added) expected.add(alarmKeyString(alarm));
    expect(new Set(dm.list().map(alarmKeyString))).toEqual(expected);
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
    expect(second.recovery).toBeNull();
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

  it('moves a corrupted properties file aside, keeps the readable rows and reports it', async () => {
    const good = JSON.stringify({ k: '101/5', v: { 'Oceane Ticket ID': 'INC1' } });
    await writeFile(path.join(dir, ALARM_PROPERTIES_FILE), `${good}\n{not json\n["x"]\n`);
    const dm = await open({ initialAlarms: 3 });
    expect(dm.recovery).not.toBeNull();
    expect(dm.recovery?.badLines).toBe(2);
    expect(dm.recovery?.keptRows).toBe(1);
    expect(dm.get('101', '5')).toEqual({ 'Oceane Ticket ID': 'INC1' });
    const files = await readdir(dir);
    expect(files.some((f) => f.startsWith(`${ALARM_PROPERTIES_FILE}.broken-`))).toBe(true);
    expect(path.basename(dm.recovery?.movedTo ?? '')).toMatch(/\.broken-/);
  });
});
