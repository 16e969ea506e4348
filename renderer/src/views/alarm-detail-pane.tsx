/**
 * The detail pane beside the grid: everything about the focused alarm (its tree's Alarm IDs,
 * times, ticket, who acknowledged and owns it, its comments) with the operator actions as
 * buttons, and how many alarms the actions cover when several are selected.
 */
import { useAppStore } from '../store/store.js';
import { formatTime } from '../format.js';
import { TicketLink } from '../components/ticket-link.js';
import { severityLabel } from './alarm-cells.js';
import {
  ACTION_KEYS,
  ACTION_LABELS,
  actionTargets,
  runAlarmAction,
} from './alarm-operator-actions.js';
import type { AlarmActionKind } from '../../../shared/domain.js';

const PANE_ACTIONS: readonly AlarmActionKind[] = [
  'acknowledge',
  'unacknowledge',
  'take-ownership',
  'release',
  'comment',
];

/** The detail pane, while it is open. */
export function AlarmDetailPane() {
  const open = useAppStore((s) => s.detailOpen);
  const key = useAppStore((s) => s.selectedAlarmKey);
  const selected = useAppStore((s) => s.selection.size);
  const index = useAppStore((s) => s.alarmIndex);
  useAppStore((s) => s.alarmsVersion);
  if (!open) return null;
  const entry = key ? index.get(key) : undefined;
  if (!entry) {
    return (
      <aside className="detail-pane" aria-label="Alarm details">
        <h2>Alarm details</h2>
        <p className="menu-note">Select an alarm to see its details.</p>
      </aside>
    );
  }
  const a = entry.alarm;
  const state = a.state;
  return (
    <aside className="detail-pane" aria-label="Alarm details">
      <h2>
        {a.elementName} · {a.parameter}
      </h2>
      <dl className="kv">
        <dt>Severity</dt>
        <dd>
          <span className={`sev-chip sev-${severityLabel(entry).toLowerCase()}`}>
            {severityLabel(entry)}
          </span>
        </dd>
        <dt>Value</dt>
        <dd>{a.value}</dd>
        <dt>Time</dt>
        <dd>{formatTime(a.time)}</dd>
        <dt>Root Time</dt>
        <dd>{formatTime(a.rootTime)}</dd>
        <dt>Root Alarm ID</dt>
        <dd>
          {a.dmaId}/{a.alarmId}
        </dd>
        <dt>Alarm ID</dt>
        <dd>{a.latestAlarmId ?? a.alarmId}</dd>
        {state?.clearedAt ? (
          <>
            <dt>Cleared</dt>
            <dd>{formatTime(state.clearedAt)}</dd>
          </>
        ) : null}
        <dt>Acknowledged</dt>
        <dd>
          {state?.acknowledgedBy
            ? `${state.acknowledgedBy}, ${formatTime(state.acknowledgedAt)}`
            : 'No'}
        </dd>
        <dt>Owner</dt>
        <dd>{state?.owner ?? '—'}</dd>
        <dt>Oceane Ticket</dt>
        <dd>
          {entry.ticketId || '—'} <TicketLink url={entry.ticketUrl} />
        </dd>
      </dl>
      <div className="detail-actions" role="group" aria-label="Actions">
        {PANE_ACTIONS.map((action) => (
          <button
            key={action}
            type="button"
            title={`${ACTION_LABELS[action]} (${ACTION_KEYS[action]})`}
            onClick={() => void runAlarmAction(action, actionTargets())}
          >
            {ACTION_LABELS[action]}
          </button>
        ))}
      </div>
      {selected > 1 ? (
        <p className="menu-note">Actions apply to the {selected} selected alarms.</p>
      ) : null}
      <h2>Comments ({state?.comments.length ?? 0})</h2>
      <ul className="comment-list" aria-label="Comments">
        {(state?.comments ?? []).map((c, i) => (
          <li key={`${c.at}-${i}`}>
            <div className="comment-meta">
              {c.by}, {formatTime(c.at)}
            </div>
            <div>{c.text}</div>
          </li>
        ))}
      </ul>
    </aside>
  );
}
