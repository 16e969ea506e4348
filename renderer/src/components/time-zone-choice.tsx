/**
 * Whether the tables show times in local time or in UTC: a small store of its own, the
 * select that sets it, and the hook a table row uses to follow it.
 */
import { create } from 'zustand';
import type { TimeZoneChoice } from '../format.js';

const useChoice = create<{ zone: TimeZoneChoice }>(() => ({ zone: 'local' }));

/** The time zone the tables show (subscribes the caller to changes). */
export function useTableTimeZone(): TimeZoneChoice {
  return useChoice((s) => s.zone);
}

/** The time zone the tables show now, for cell renderers. */
export function tableTimeZone(): TimeZoneChoice {
  return useChoice.getState().zone;
}

/** The toolbar select: Local time or UTC. */
export function TimeZoneToggle() {
  const zone = useTableTimeZone();
  return (
    <label className="inline-field">
      <span>Times</span>
      <select
        aria-label="Time zone of the table"
        value={zone}
        onChange={(e) => useChoice.setState({ zone: e.target.value as TimeZoneChoice })}
      >
        <option value="local">Local time</option>
        <option value="utc">UTC</option>
      </select>
    </label>
  );
}
