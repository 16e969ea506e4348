/**
 * The alarm console's hyperlink columns (HyperLinks.xml `alarmColumn="true"`): a header cell
 * each, and in every row a small button that runs the hyperlink for that row's alarm. The
 * column list lives in its own small store, loaded once and replaced when an edit of
 * HyperLinks.xml changes it, so the alarm grid only places these components.
 */
import type { CSSProperties } from 'react';
import { useEffect } from 'react';
import { create } from 'zustand';
import type { HyperLinkColumn } from '../../../shared/domain.js';
import { callMain, oceane } from '../api.js';
import { runHyperlinkForAlarm } from './run-hyperlink.js';

/** Width of one hyperlink column in the grid template. */
export const LINK_COLUMN_WIDTH = '110px';

const useColumns = create<{ columns: readonly HyperLinkColumn[] }>(() => ({ columns: [] }));
let started = false;

function startColumns(): void {
  if (started) return;
  started = true;
  oceane().on('alarms:columns-changed', (columns) => useColumns.setState({ columns }));
  void callMain((api) => api.getAlarmColumns()).then((r) => {
    if (r.ok) useColumns.setState({ columns: r.value });
  });
}

/** The hyperlink columns now configured (loads them on first use). */
export function useHyperlinkColumns(): readonly HyperLinkColumn[] {
  useEffect(startColumns, []);
  return useColumns((s) => s.columns);
}

/** The grid's style for its extra columns (the CSS variable its grid template ends with). */
export function hyperlinkColumnsStyle(columns: readonly HyperLinkColumn[]): CSSProperties {
  return { '--link-cols': columns.map(() => LINK_COLUMN_WIDTH).join(' ') } as CSSProperties;
}

/** The header cells of the hyperlink columns. */
export function HyperlinkHeaderCells() {
  const columns = useHyperlinkColumns();
  return (
    <>
      {columns.map((c) => (
        <div
          key={c.id}
          role="columnheader"
          className="alarm-header-cell link-header"
          title={c.name}
        >
          <span className="sort-button">{c.name}</span>
        </div>
      ))}
    </>
  );
}

/** A row's hyperlink cells: each runs its hyperlink for the row's alarm. */
export function HyperlinkCells({ alarmKey }: { alarmKey: string }) {
  const columns = useColumns((s) => s.columns);
  return (
    <>
      {columns.map((c) => (
        <div key={c.id} role="gridcell" className="c-link">
          <button
            type="button"
            tabIndex={-1}
            className="link-cell"
            title={`${c.name} for this alarm`}
            onClick={() => void runHyperlinkForAlarm(alarmKey, c.id, c.name)}
          >
            {c.name}
          </button>
        </div>
      ))}
    </>
  );
}
