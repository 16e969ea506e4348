/** The cells of an alarm row, one per column, so the row renders whichever columns are shown. */
import { memo } from 'react';
import type { AlarmColumn, AlarmEntry } from '../alarms/alarm-index.js';
import { TicketLink } from '../components/ticket-link.js';
import { formatTime } from '../format.js';
import type { AlarmTicketFlag } from '../store/ticket-flags.js';
import { AlarmTicketStatusBadge } from './ticket-life-panels.js';

/** "Pending" or "Failed" in the Oceane Ticket ID cell of an alarm without a ticket ID. */
function TicketFlagBadge({ flag }: { flag: AlarmTicketFlag }) {
  if (flag === 'pending') return <span className="badge badge-pending">Pending</span>;
  if (flag === 'failed') {
    return (
      <span
        className="badge badge-failed"
        title="The ticket request failed: see Failed Ticket Requests for why, and to retry"
      >
        Failed
      </span>
    );
  }
  return null;
}

/** The severity as the console shows it: Cleared once the alarm returned to normal. */
export function severityLabel(entry: AlarmEntry): string {
  return entry.cleared ? 'Cleared' : entry.alarm.severity;
}

/**
 * One cell of an alarm row; memoised, so a row that only moved (a live change above it)
 * re-renders its own element, not its cells.
 */
export const AlarmCell = memo(function AlarmCell({
  column,
  entry,
  flag,
}: {
  column: AlarmColumn;
  entry: AlarmEntry;
  flag: AlarmTicketFlag;
}) {
  const a = entry.alarm;
  switch (column) {
    case 'element':
      return (
        <div role="gridcell" className="c-element" title={a.elementName}>
          {a.elementName}
        </div>
      );
    case 'parameter':
      return (
        <div role="gridcell" className="c-parameter" title={a.parameter}>
          {a.parameter}
        </div>
      );
    case 'value':
      return (
        <div role="gridcell" className="c-value" title={a.value}>
          {a.value}
        </div>
      );
    case 'severity': {
      const label = severityLabel(entry);
      return (
        <div role="gridcell" className="c-severity">
          <span className={`sev-chip sev-${label.toLowerCase()}`}>{label}</span>
        </div>
      );
    }
    case 'time':
      return (
        <div role="gridcell" className="c-time">
          {formatTime(a.time)}
        </div>
      );
    case 'acknowledged': {
      const by = a.state?.acknowledgedBy;
      return (
        <div role="gridcell" className="c-ack" title={by ? `Acknowledged by ${by}` : undefined}>
          {by ? (
            <>
              <span aria-hidden="true">✓ </span>
              {by}
            </>
          ) : null}
        </div>
      );
    }
    case 'owner': {
      const comments = a.state?.comments.length ?? 0;
      return (
        <div role="gridcell" className="c-owner" title={a.state?.owner ?? undefined}>
          {a.state?.owner ?? ''}
          {comments > 0 ? (
            <span className="comment-count" title={`${comments} comment(s)`}>
              {' '}
              ({comments})
            </span>
          ) : null}
        </div>
      );
    }
    case 'rootTime':
      return (
        <div role="gridcell" className="c-time">
          {formatTime(a.rootTime)}
        </div>
      );
    case 'alarmId':
      return (
        <div role="gridcell" className="c-num">
          {a.alarmId}
        </div>
      );
    case 'dmaId':
      return (
        <div role="gridcell" className="c-num">
          {a.dmaId}
        </div>
      );
    case 'ticketId':
      return (
        <div role="gridcell" className="c-ticket">
          {entry.ticketId}
          {entry.ticketId ? <AlarmTicketStatusBadge alarm={a} /> : <TicketFlagBadge flag={flag} />}
        </div>
      );
    case 'ticketUrl':
      return (
        <div role="gridcell" className="c-url">
          <TicketLink url={entry.ticketUrl} tabIndex={-1} />
        </div>
      );
  }
});
