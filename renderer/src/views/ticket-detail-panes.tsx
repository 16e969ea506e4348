/**
 * The detail panes of the Tickets and Failed Ticket Requests views (issue 12 item 2): the
 * whole row where the table truncates it, the alarm it is about (element, parameter,
 * severity), every attempt with its time and outcome, the ticket's link, and Retry for a
 * failed request. Parameter, severity and attempts are kept on rows written by this version;
 * older rows say so instead of showing nothing.
 */
import { useState, type ReactNode } from 'react';
import type { FailedRequestRow, TicketAttempt, TicketRow } from '../../../shared/domain.js';
import { formatTime } from '../format.js';
import { callMain } from '../api.js';
import { TicketLink } from '../components/ticket-link.js';
import { tableTimeZone, useTableTimeZone } from '../components/time-zone-choice.js';
import { useAppStore } from '../store/store.js';
import { requestedToast } from '../store/ticket-notices.js';
import { TicketHistoryPanel } from './ticket-life-panels.js';

const time = (iso: string): string => (iso ? formatTime(iso, tableTimeZone()) : '—');
const orDash = (text: string | number | null | undefined): string =>
  text === null || text === undefined || text === '' ? '—' : String(text);

/** Every attempt of a request, oldest first. */
function AttemptList({ attempts }: { attempts: readonly TicketAttempt[] | undefined }) {
  if (!attempts || attempts.length === 0) {
    return <p className="menu-note">No attempts recorded (rows written before this version).</p>;
  }
  return (
    <ol className="attempt-list" aria-label="Attempts">
      {attempts.map((a, i) => (
        <li key={`${a.at}-${i}`}>
          <span className="attempt-meta">
            {time(a.at)} · {a.call === 'look-up' ? 'Look-up' : 'Create'}
            {a.httpStatus === null ? '' : ` · HTTP ${a.httpStatus}`}
          </span>
          <span>{a.outcome}</span>
        </li>
      ))}
    </ol>
  );
}

/** The frame of a pane: its title, a Close button, and its content. */
function Pane({
  label,
  title,
  onClose,
  children,
}: {
  label: string;
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  useTableTimeZone();
  return (
    <aside className="detail-pane row-detail-pane" aria-label={label}>
      <div className="row-detail-head">
        <h2>{title}</h2>
        <button type="button" className="small" onClick={onClose}>
          Close
        </button>
      </div>
      {children}
    </aside>
  );
}

/** The ticket's ID as a link that opens it in Oceane, or its status while it has none. */
function TicketIdLink({ row }: { row: Pick<TicketRow, 'ticketId' | 'ticketUrl'> }) {
  if (!row.ticketId) return <>—</>;
  return row.ticketUrl ? (
    <TicketLink url={row.ticketUrl} label={row.ticketId} />
  ) : (
    <>{row.ticketId}</>
  );
}

/** The pane of a Tickets row. */
export function TicketDetailPane({ row, onClose }: { row: TicketRow; onClose: () => void }) {
  return (
    <Pane label="Ticket details" title={`${row.elementName} · ${row.status}`} onClose={onClose}>
      <dl className="kv">
        <dt>Ticket ID</dt>
        <dd>
          <TicketIdLink row={row} />
        </dd>
        <dt>Status</dt>
        <dd>
          {row.status === 'Created' && row.origin === 'found'
            ? 'Created (found in Oceane)'
            : row.status}
        </dd>
        <dt>Status in Oceane</dt>
        <dd>{orDash(row.oceaneStatus)}</dd>
        <dt>Element</dt>
        <dd>{row.elementName}</dd>
        <dt>Parameter</dt>
        <dd>{orDash(row.parameter)}</dd>
        <dt>Severity</dt>
        <dd>{orDash(row.severity)}</dd>
        <dt>DMA ID / Alarm ID</dt>
        <dd>{`${row.dmaId}/${row.alarmId}`}</dd>
        <dt>Element ID</dt>
        <dd>{row.elementId}</dd>
        {row.otherAlarms?.length ? (
          <>
            <dt>Other alarms</dt>
            <dd className="kv-long">
              <ul className="ticket-alarm-list" aria-label="Other alarms of the ticket">
                {row.otherAlarms.map((a) => (
                  <li key={`${a.dmaId}/${a.alarmId}`}>
                    {`${a.elementName} · ${a.parameter ?? '—'} · ${a.severity ?? '—'} · ${a.dmaId}/${a.alarmId}`}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        <dt>Created At</dt>
        <dd>{time(row.createdAt)}</dd>
        <dt>Priority</dt>
        <dd>{row.priority}</dd>
        <dt>Urgency</dt>
        <dd>{row.urgency}</dd>
        <dt>Technical Impact</dt>
        <dd>{row.technicalImpact}</dd>
        <dt>Client Impact</dt>
        <dd>{orDash(row.clientImpact)}</dd>
        <dt>Root Cause</dt>
        <dd className="kv-long">{orDash(row.rootCause)}</dd>
        <dt>Description</dt>
        <dd className="kv-long">{orDash(row.description)}</dd>
        <dt>Instance</dt>
        <dd className="kv-long">{row.instance}</dd>
      </dl>
      <h2>Attempts</h2>
      <AttemptList attempts={row.attempts} />
      {row.status === 'Created' && row.ticketId ? (
        <TicketHistoryPanel
          ticketId={row.ticketId}
          what={row.elementName}
          version={row.oceaneLastUpdate ?? ''}
        />
      ) : null}
    </Pane>
  );
}

/** Retry of a failed request: enabled while its ticket is Failed. */
export function RetryButton({ row }: { row: FailedRequestRow }) {
  const status = useAppStore(
    (s) =>
      s.recentTickets.get(row.ticketInstance)?.status ?? s.ticketFlags.statusOf(row.ticketInstance),
  );
  const [busy, setBusy] = useState(false);
  const canRetry = status === 'Failed' && !busy;
  const what = row.elementName
    ? `the ticket for ${row.elementName}`
    : `ticket ${row.ticketInstance}`;
  const retry = async (): Promise<void> => {
    setBusy(true);
    let result;
    try {
      result = await callMain((api) => api.retryTicket(row.ticketInstance));
    } finally {
      setBusy(false);
    }
    const { notify, upsertToast } = useAppStore.getState();
    if (result.ok) {
      // The ticket's one notice: its failure gives way to "queued again".
      upsertToast({
        ...requestedToast(row.ticketInstance, row.elementName || row.ticketInstance),
        title: 'Retry queued',
      });
    } else {
      notify({
        level: 'error',
        title: 'Retry not queued',
        message: `Could not queue ${what} again. ${result.error.message}`,
      });
    }
  };
  return (
    <button
      type="button"
      className="small"
      disabled={!canRetry}
      aria-busy={busy}
      title={
        canRetry
          ? `Queue ${what} again`
          : status
            ? `The ticket is ${status}`
            : 'The ticket is no longer Failed (created since, or pruned)'
      }
      onClick={(e) => {
        e.stopPropagation();
        void retry();
      }}
    >
      Retry
    </button>
  );
}

/** The pane of a Failed Ticket Requests row. */
export function FailedDetailPane({ row, onClose }: { row: FailedRequestRow; onClose: () => void }) {
  const call = row.failedCall === 'look-up' ? 'Look-up' : 'Create';
  return (
    <Pane
      label="Failed request details"
      title={`${row.elementName ?? 'Failed request'} · ${row.errorMessage}`}
      onClose={onClose}
    >
      <dl className="kv">
        <dt>Error Message</dt>
        <dd className="kv-long">{orDash(row.errorMessage)}</dd>
        <dt>Error Description</dt>
        <dd className="kv-long">{orDash(row.errorDescription)}</dd>
        <dt>HTTP Error Code</dt>
        <dd>{orDash(row.httpErrorCode)}</dd>
        <dt>App Error Code</dt>
        <dd>{orDash(row.appErrorCode)}</dd>
        <dt>Failed Call</dt>
        <dd>{call}</dd>
        <dt>Failed At</dt>
        <dd>{time(row.failedAt)}</dd>
        <dt>Element</dt>
        <dd>{orDash(row.elementName)}</dd>
        <dt>Parameter</dt>
        <dd>{orDash(row.parameter)}</dd>
        <dt>Severity</dt>
        <dd>{orDash(row.severity)}</dd>
        <dt>DMA ID / Alarm ID</dt>
        <dd>{row.dmaId ? `${row.dmaId}/${row.alarmId ?? ''}` : '—'}</dd>
        <dt>Ticket Instance</dt>
        <dd className="kv-long">{row.ticketInstance}</dd>
      </dl>
      <div className="detail-actions" role="group" aria-label="Actions">
        <RetryButton row={row} />
      </div>
      <h2>Attempts</h2>
      <AttemptList attempts={row.attempts} />
    </Pane>
  );
}
