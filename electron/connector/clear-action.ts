/**
 * What the connector does when an alarm with a ticket clears (issue 13, point 4), as a pure
 * decision: nothing, add a note (oceane-api.md 7.3), or resolve the ticket (7.4) with the
 * clear time as its resolution date. A ticket of several alarms (7.6) is acted on only once
 * all its alarms have cleared, with the last clear time. A ticket already final, already
 * resolved (for "resolve"), or already acted on is left alone. No I/O, no clock.
 */
import { CLEAR_ACTION_CHOICES } from '../../shared/settings-rules.js';
import { FINAL_OCEANE_STATUSES, type OceaneTicketStatus } from './ticket-follower.js';
import { clearedResolution, toUtcIso, type StatusChangeInput } from './tmf621-mapping.js';

/** The setting's values: what happens when the alarms of a ticket clear. */
export const CLEAR_ACTIONS = CLEAR_ACTION_CHOICES;
/** One value of the setting. */
export type ClearActionSetting = (typeof CLEAR_ACTIONS)[number];

/** What the decision needs to know of the ticket. */
export interface TicketForClear {
  ticketId: string;
  /** Its status in Oceane, as last followed (null: not known yet). */
  status: OceaneTicketStatus | null;
  /** `<DMA ID>/<Alarm ID>` of every alarm of the ticket. */
  alarmKeys: readonly string[];
  /** The clear action was already decided for this ticket (a note or a resolution queued). */
  actedOn: boolean;
}

/** Why nothing is done. */
export type NothingReason =
  'setting' | 'waiting-for-other-alarms' | 'already-acted-on' | 'ticket-final' | 'already-resolved';

/** The decision. */
export type ClearDecision =
  | { kind: 'nothing'; reason: NothingReason; waitingFor: string[] }
  | { kind: 'note'; text: string; clearedAt: string }
  | { kind: 'resolve'; change: StatusChangeInput; clearedAt: string };

function nothing(reason: NothingReason, waitingFor: string[] = []): ClearDecision {
  return { kind: 'nothing', reason, waitingFor };
}

/**
 * Decides what to do for `ticket` given the clear times known for its alarms (alarm key ->
 * ISO time; alarms not in the map are still active).
 */
export function decideOnClear(
  setting: ClearActionSetting,
  ticket: TicketForClear,
  clearedAt: ReadonlyMap<string, string>,
): ClearDecision {
  if (setting === 'nothing') return nothing('setting');
  if (ticket.actedOn) return nothing('already-acted-on');
  if (ticket.status !== null && FINAL_OCEANE_STATUSES.has(ticket.status)) {
    return nothing('ticket-final');
  }
  const keys = [...new Set(ticket.alarmKeys)];
  const active = keys.filter((key) => !clearedAt.has(key));
  if (active.length > 0 || keys.length === 0) return nothing('waiting-for-other-alarms', active);
  const times = keys.map((key) => ({ key, at: toUtcIso(clearedAt.get(key) ?? '') }));
  const last = times.reduce((a, b) => (Date.parse(b.at) > Date.parse(a.at) ? b : a));
  if (setting === 'resolve') {
    if (ticket.status === 'resolved') return nothing('already-resolved');
    const change = clearedResolution(last.at);
    if (keys.length > 1) {
      change.reason = `All ${keys.length} alarms of the ticket cleared in DataMiner, the last at ${last.at}`;
    }
    return { kind: 'resolve', change, clearedAt: last.at };
  }
  const text =
    keys.length === 1
      ? `Alarm ${last.key} cleared in DataMiner at ${last.at}.`
      : `All ${keys.length} alarms of the ticket cleared in DataMiner: ` +
        `${times.map((t) => `${t.key} at ${t.at}`).join(', ')}.`;
  return { kind: 'note', text, clearedAt: last.at };
}
