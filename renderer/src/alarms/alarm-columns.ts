/**
 * The alarm console's columns as the operator arranges them: which are shown and how wide.
 * The default set fits a 1280-pixel window; the others are one click away in the Columns menu.
 */
import { ALARM_COLUMNS, type AlarmColumn } from './alarm-index.js';

/** Column headers, as the seed and the issue name them. */
export const ALARM_COLUMN_LABELS: Record<AlarmColumn, string> = {
  element: 'Element',
  parameter: 'Parameter',
  value: 'Value',
  severity: 'Severity',
  time: 'Time',
  acknowledged: 'Acknowledged',
  owner: 'Owner',
  rootTime: 'Root Time',
  alarmId: 'Alarm ID',
  dmaId: 'DMA ID',
  ticketId: 'Oceane Ticket ID',
  ticketUrl: 'Oceane Ticket URL',
};

/** Default width of each column, in pixels. */
export const DEFAULT_COLUMN_WIDTHS: Record<AlarmColumn, number> = {
  element: 156,
  parameter: 120,
  value: 88,
  severity: 80,
  time: 150,
  acknowledged: 96,
  owner: 96,
  rootTime: 150,
  alarmId: 66,
  dmaId: 64,
  ticketId: 112,
  ticketUrl: 110,
};

/** Hidden unless the operator shows them: the default columns fit 1280 pixels. */
export const DEFAULT_HIDDEN_COLUMNS: readonly AlarmColumn[] = ['rootTime', 'dmaId'];

/** Narrowest and widest a column can be dragged. */
export const COLUMN_WIDTH_BOUNDS = { min: 48, max: 800 } as const;

/** The shown columns in display order (the severity column is always shown). */
export function shownColumns(hidden: ReadonlySet<AlarmColumn>): AlarmColumn[] {
  return ALARM_COLUMNS.filter((c) => c === 'severity' || !hidden.has(c));
}

/** A width kept within the bounds. */
export function clampWidth(width: number): number {
  return Math.round(Math.min(COLUMN_WIDTH_BOUNDS.max, Math.max(COLUMN_WIDTH_BOUNDS.min, width)));
}

/**
 * The CSS grid template and the total width of the shown columns. The last column takes
 * whatever room is left, so a wide window has no empty strip.
 */
export function columnTemplate(
  columns: readonly AlarmColumn[],
  widths: Readonly<Partial<Record<AlarmColumn, number>>>,
): { template: string; minWidth: number } {
  let minWidth = 0;
  const parts = columns.map((c, i) => {
    const w = widths[c] ?? DEFAULT_COLUMN_WIDTHS[c];
    minWidth += w;
    return i === columns.length - 1 ? `minmax(${w}px, 1fr)` : `${w}px`;
  });
  return { template: parts.join(' '), minWidth };
}
