/**
 * The integration health light beside the navigation (issue 12, point 4): green, amber or
 * red as main computes it (electron/health/integration-health.ts), always visible. Its
 * button opens a small popover with the last success, the last error, the queue depth and
 * the token's expiry; the colour is never the only sign (the state is written beside it).
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { IntegrationHealth } from '../../../shared/domain.js';
import { formatTime } from '../format.js';
import { useAppStore } from '../store/store.js';

const LABELS: Record<IntegrationHealth['level'], string> = {
  green: 'Oceane OK',
  amber: 'Oceane: retrying',
  red: 'Oceane down',
  unknown: 'Oceane: no call yet',
};

/** The label: the team database's state first when it does not answer (team mode). */
function labelOf(health: IntegrationHealth | null): string {
  const team = health?.teamDatabase;
  if (team?.state === 'unreachable') return 'Team database down';
  if (team?.state === 'connecting') return 'Team database: connecting';
  return LABELS[health?.level ?? 'unknown'];
}

function when(iso: string | null): string {
  return iso ? formatTime(iso) : 'never';
}

function Details({ health }: { health: IntegrationHealth }) {
  return (
    <dl className="health-details">
      <dt>Status</dt>
      <dd>{health.summary}</dd>
      <dt>Last success</dt>
      <dd>{when(health.lastSuccessAt)}</dd>
      <dt>Last error</dt>
      <dd>
        {health.lastError
          ? `${formatTime(health.lastError.at)}: ${health.lastError.message}`
          : 'none'}
      </dd>
      <dt>Queue</dt>
      <dd>
        {`${health.queueDepth} pending`}
        {health.waitingForRetry > 0 ? `, ${health.waitingForRetry} waiting for a retry` : ''}
      </dd>
      <dt>Token valid until</dt>
      <dd>{health.tokenExpiresAt ? formatTime(health.tokenExpiresAt) : 'no token'}</dd>
      {health.teamDatabase ? (
        <>
          <dt>Team database</dt>
          <dd>{health.teamDatabase.message}</dd>
        </>
      ) : null}
    </dl>
  );
}

/** The light and its popover. */
export function HealthLight() {
  const health = useAppStore((s) => s.health);
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: Event): void => {
      if (
        e instanceof KeyboardEvent ? e.key === 'Escape' : !root.current?.contains(e.target as Node)
      )
        setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  const level = health?.level ?? 'unknown';
  return (
    <div className="health" ref={root} data-level={level}>
      <button
        type="button"
        className="health-button"
        aria-expanded={open}
        aria-controls={panelId}
        title={health?.summary}
        onClick={() => setOpen((o) => !o)}
      >
        <span className={`health-dot health-${level}`} aria-hidden="true" />
        <span className="health-label">{labelOf(health)}</span>
      </button>
      {open ? (
        <div id={panelId} className="health-popover" role="group" aria-label="Oceane connection">
          {health ? <Details health={health} /> : <p>Not known yet.</p>}
        </div>
      ) : null}
    </div>
  );
}
