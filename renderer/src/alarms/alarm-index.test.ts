import { describe, expect, it } from 'vitest';
import { SEVERITIES, type Alarm, type Severity } from '../../../shared/domain.js';
import {
  ALARM_COLUMNS,
  AlarmIndex,
  FIRST_MATCHES,
  makeComparator,
  makePredicate,
  toEntry,
  type AlarmView,
} from './alarm-index.js';

/** A deterministic pseudo-random source, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

function alarm(next: () => number, alarmId: number): Alarm {
  const t = Date.UTC(2025, 10, 20) + Math.floor(next() * 7 * 86_400_000);
  const withTicket = next() < 0.1;
  return {
    dmaId: String(100 + Math.floor(next() * 4)),
    elementId: String(1 + Math.floor(next() * 50)),
    alarmId: String(alarmId),
    elementName: `NE-${['PAR', 'LYO', 'Évry'][Math.floor(next() * 3)]}-${Math.floor(next() * 50)}`,
    parameter: ['CPU Load', 'Interface Status', 'Temperature'][Math.floor(next() * 3)]!,
    value: next() < 0.3 ? 'Down' : (next() * 100).toFixed(1),
    severity: SEVERITIES[Math.floor(next() * SEVERITIES.length)]!,
    time: new Date(t + 60_000).toISOString(),
    rootTime: new Date(t).toISOString(),
    properties: withTicket
      ? {
          'Oceane Ticket ID': `TT-${alarmId}`,
          'Oceane Ticket URL': `https://o/ticket/TT-${alarmId}`,
        }
      : {},
  };
}

function expected(all: Map<string, Alarm>, view: AlarmView): string[] {
  const pred = makePredicate(view);
  const cmp = makeComparator(view.sort);
  // Same first-seen order as the index: sequence numbers follow insertion into the Map.
  const entries = Array.from(all.values(), (a, i) => toEntry(a, i));
  return entries
    .filter((e) => !pred || pred(e))
    .sort(cmp)
    .map((e) => e.key);
}

describe('AlarmIndex', () => {
  it('sorts numbers numerically and text case-insensitively', () => {
    const index = new AlarmIndex();
    const base = alarm(random(1), 1);
    index.replaceAll([
      { ...base, alarmId: '10', value: '9.5', elementName: 'beta' },
      { ...base, alarmId: '9', value: '10', elementName: 'Alpha' },
      { ...base, alarmId: '100', value: 'Down', elementName: 'gamma' },
    ]);
    const all = new Set<Severity>(SEVERITIES);
    const byValue = index.query({
      text: '',
      severities: all,
      sort: { column: 'value', direction: 'ascending' },
    });
    expect(byValue.map((e) => e.alarm.value)).toEqual(['9.5', '10', 'Down']);
    const byId = index.query({
      text: '',
      severities: all,
      sort: { column: 'alarmId', direction: 'descending' },
    });
    expect(byId.map((e) => e.alarm.alarmId)).toEqual(['100', '10', '9']);
    const byElement = index.query({
      text: '',
      severities: all,
      sort: { column: 'element', direction: 'ascending' },
    });
    expect(byElement.map((e) => e.alarm.elementName)).toEqual(['Alpha', 'beta', 'gamma']);
  });

  it('filters by text over element, parameter, value and IDs, and by severity', () => {
    const index = new AlarmIndex();
    const base = alarm(random(2), 1);
    index.replaceAll([
      { ...base, alarmId: '1', elementName: 'Router-PAR', severity: 'Critical' },
      { ...base, alarmId: '2', elementName: 'Switch-LYO', parameter: 'Fan', severity: 'Minor' },
      { ...base, alarmId: '3', elementName: 'Switch-PAR', severity: 'Minor' },
    ]);
    const sort = { column: 'alarmId', direction: 'ascending' } as const;
    expect(
      index.query({ text: 'par', severities: new Set(SEVERITIES), sort }).map((e) => e.key),
    ).toEqual([`${base.dmaId}/1`, `${base.dmaId}/3`]);
    expect(
      index.query({ text: 'par', severities: new Set(['Minor']), sort }).map((e) => e.key),
    ).toEqual([`${base.dmaId}/3`]);
    expect(
      index.query({ text: 'FAN', severities: new Set(SEVERITIES), sort }).map((e) => e.key),
    ).toEqual([`${base.dmaId}/2`]);
  });

  it('keeps every view equal to a full filter and sort while live batches arrive', () => {
    const next = random(42);
    const truth = new Map<string, Alarm>();
    const index = new AlarmIndex();
    const initial = Array.from({ length: 800 }, (_, i) => alarm(next, 1000 + i));
    for (const a of initial) truth.set(`${a.dmaId}/${a.alarmId}`, a);
    index.replaceAll(initial);
    for (let step = 0; step < 300; step++) {
      if (next() < 0.6) {
        const upserted = Array.from({ length: Math.floor(next() * 20) }, () =>
          alarm(next, 1000 + Math.floor(next() * 1000)),
        );
        const keys = Array.from(truth.keys());
        const removed = Array.from(
          { length: Math.floor(next() * 4) },
          () => keys[Math.floor(next() * keys.length)]!,
        );
        index.apply({ upserted, removed });
        for (const k of removed) truth.delete(k);
        for (const a of upserted) truth.set(`${a.dmaId}/${a.alarmId}`, a);
      }
      if (next() < 0.2) index.warmOne();
      const view: AlarmView = {
        text: ['', 'par', 'par-1', 'down', '10'][Math.floor(next() * 5)]!,
        severities: new Set(SEVERITIES.filter(() => next() < 0.8)),
        sort: {
          column: ALARM_COLUMNS[Math.floor(next() * ALARM_COLUMNS.length)]!,
          direction: next() < 0.5 ? 'ascending' : 'descending',
        },
      };
      expect(index.query(view).map((e) => e.key)).toEqual(expected(truth, view));
    }
    expect(index.size).toBe(truth.size);
  });

  it('applies live batches in place while the view stays, equal to a full sort and filter', () => {
    const next = random(7);
    const truth = new Map<string, Alarm>();
    const index = new AlarmIndex();
    const initial = Array.from({ length: 3000 }, (_, i) => alarm(next, 1000 + i));
    for (const a of initial) truth.set(`${a.dmaId}/${a.alarmId}`, a);
    index.replaceAll(initial);
    for (const text of ['', 'par']) {
      const view: AlarmView = {
        text,
        severities: new Set(SEVERITIES),
        sort: { column: 'severity', direction: 'descending' },
      };
      const shown = index.query(view);
      for (let step = 0; step < 60; step++) {
        const upserted = Array.from({ length: 1 + Math.floor(next() * 100) }, () =>
          alarm(next, 1000 + Math.floor(next() * 3500)),
        );
        const keys = Array.from(truth.keys());
        const removed = Array.from(
          { length: Math.floor(next() * 30) },
          () => keys[Math.floor(next() * keys.length)]!,
        );
        index.apply({ upserted, removed });
        for (const k of removed) truth.delete(k);
        for (const a of upserted) truth.set(`${a.dmaId}/${a.alarmId}`, a);
        // The same array, changed in place (no copy of the view per batch, target 9).
        expect(index.query(view)).toBe(shown);
        expect(shown.map((e) => e.key)).toEqual(expected(truth, view));
      }
    }
  });

  it('shows the first rows of a progressive filter at once and every match once it completes', () => {
    const next = random(7);
    const alarms = Array.from({ length: 3000 }, (_, i) => alarm(next, 5000 + i));
    const truth = new Map(alarms.map((a) => [`${a.dmaId}/${a.alarmId}`, a]));
    const index = new AlarmIndex();
    index.replaceAll(alarms);
    const view: AlarmView = {
      text: 'par',
      severities: new Set(SEVERITIES),
      sort: { column: 'time', direction: 'descending' },
    };
    const full = expected(truth, view);
    expect(full.length).toBeGreaterThan(FIRST_MATCHES * 2);
    const first = index.query(view, { progressive: true });
    expect(index.scanning).toBe(true);
    const shown = first.map((e) => e.key);
    expect(shown.length).toBeGreaterThanOrEqual(FIRST_MATCHES);
    expect(shown).toEqual(full.slice(0, shown.length));
    const before = index.version;
    while (!index.continueScan(1)) {
      // slices until complete
    }
    expect(index.scanning).toBe(false);
    expect(index.version).toBeGreaterThan(before);
    expect(index.query(view, { progressive: true }).map((e) => e.key)).toEqual(full);
  });

  it('completes a progressive filter before a live batch or a narrower filter applies', () => {
    const next = random(9);
    const alarms = Array.from({ length: 3000 }, (_, i) => alarm(next, 9000 + i));
    const truth = new Map(alarms.map((a) => [`${a.dmaId}/${a.alarmId}`, a]));
    const index = new AlarmIndex();
    index.replaceAll(alarms);
    const sort = { column: 'element', direction: 'ascending' } as const;
    const view: AlarmView = { text: 'ne-', severities: new Set(SEVERITIES), sort };
    index.query(view, { progressive: true });
    expect(index.scanning).toBe(true);
    const upserted = [alarm(next, 20_000), alarm(next, 20_001)];
    const removed = [`${alarms[5]!.dmaId}/${alarms[5]!.alarmId}`];
    index.apply({ upserted, removed });
    for (const k of removed) truth.delete(k);
    for (const a of upserted) truth.set(`${a.dmaId}/${a.alarmId}`, a);
    expect(index.scanning).toBe(false);
    expect(index.query(view, { progressive: true }).map((e) => e.key)).toEqual(
      expected(truth, view),
    );
    const wider: AlarmView = { text: 'n', severities: new Set(SEVERITIES), sort };
    index.query(wider, { progressive: true });
    const narrower: AlarmView = { text: 'ne-par', severities: new Set(SEVERITIES), sort };
    expect(index.query(narrower, { progressive: true }).map((e) => e.key)).toEqual(
      expected(truth, narrower).slice(0, index.query(narrower).length),
    );
    index.finishScan();
    expect(index.query(narrower).map((e) => e.key)).toEqual(expected(truth, narrower));
  });
});
