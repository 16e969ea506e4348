import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../../shared/domain.js';
import { columnTemplate, shownColumns, DEFAULT_HIDDEN_COLUMNS } from './alarm-columns.js';
import { AlarmIndex } from './alarm-index.js';
import { rangeSelect } from '../views/alarm-grid-selection.js';
import { VIEW_STATE_KEY, defaultViewState, loadViewState, saveViewState } from './view-state.js';

const alarm = (alarmId: string, severity: Alarm['severity'], minute: number): Alarm => ({
  dmaId: '1',
  elementId: '2',
  alarmId,
  elementName: `E${alarmId}`,
  parameter: 'P',
  value: 'v',
  severity,
  time: new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString(),
  rootTime: new Date(Date.UTC(2025, 0, 1)).toISOString(),
  properties: {},
});

describe('the console at a glance', () => {
  it('orders by severity, then newest first, and counts each severity and the cleared', () => {
    const index = new AlarmIndex();
    const cleared: Alarm = {
      ...alarm('5', 'Normal', 9),
      state: {
        acknowledgedBy: null,
        acknowledgedAt: null,
        owner: null,
        comments: [],
        clearedAt: '2025-01-01T00:09:00.000Z',
      },
    };
    index.replaceAll([
      alarm('1', 'Minor', 1),
      alarm('2', 'Critical', 2),
      alarm('3', 'Minor', 5),
      cleared,
    ]);
    const view = {
      text: '',
      severities: new Set(['Critical', 'Major', 'Minor', 'Warning', 'Normal'] as const),
      sort: defaultViewState().sort,
    };
    const rows = index.query(view);
    expect(rows.map((r) => r.alarm.alarmId)).toEqual(['2', '3', '1', '5']);
    expect(index.countOf('Minor')).toBe(2);
    expect(index.countOf('Cleared')).toBe(1);
    index.apply({ upserted: [alarm('1', 'Critical', 7)], removed: ['1/3'] });
    expect(index.countOf('Minor')).toBe(0);
    expect(index.countOf('Critical')).toBe(2);
    // A batch replaces the view's array (one pass, no splices): the view is queried again.
    expect(index.query(view).map((r) => r.alarm.alarmId)).toEqual(['1', '2', '5']);
  });

  it('fits the default columns in 1280 pixels and hides the ones chosen', () => {
    const columns = shownColumns(new Set(DEFAULT_HIDDEN_COLUMNS));
    expect(columns).not.toContain('rootTime');
    expect(columnTemplate(columns, {}).minWidth).toBeLessThanOrEqual(1280 - 40);
    expect(shownColumns(new Set(['severity', 'owner']))).toContain('severity');
  });

  it('selects a range from the anchor either way, and only the clicked alarm without one', () => {
    const index = new AlarmIndex();
    index.replaceAll(['1', '2', '3', '4'].map((id, i) => alarm(id, 'Major', i)));
    const rows = index.query({
      text: '',
      severities: new Set(['Major']),
      sort: { column: 'alarmId', direction: 'ascending' },
    });
    expect(rangeSelect(rows, '1/3', '1/1')).toEqual(['1/1', '1/2', '1/3']);
    expect(rangeSelect(rows, '1/2', '1/4')).toEqual(['1/2', '1/3', '1/4']);
    expect(rangeSelect(rows, null, '1/4')).toEqual(['1/4']);
  });
});

describe('the view kept across restarts', () => {
  it('comes back as saved, and falls back to the default field by field', () => {
    const store = new Map<string, string>();
    globalThis.localStorage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    } as Storage;
    saveViewState({
      ...defaultViewState(),
      sort: { column: 'parameter', direction: 'descending' },
      filter: 'PAR',
      severities: new Set(['Critical']),
      columnWidths: { element: 5000 },
    });
    const back = loadViewState();
    expect(back.sort).toEqual({ column: 'parameter', direction: 'descending' });
    expect(back.filter).toBe('PAR');
    expect([...back.severities]).toEqual(['Critical']);
    expect(back.columnWidths.element).toBe(800);
    store.set(VIEW_STATE_KEY, JSON.stringify({ sort: { column: 'nope' }, filter: 'x' }));
    expect(loadViewState().sort).toEqual(defaultViewState().sort);
    expect(loadViewState().filter).toBe('x');
    store.set(VIEW_STATE_KEY, '{broken');
    expect(loadViewState().filter).toBe('');
  });
});
