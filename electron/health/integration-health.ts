/**
 * The integration health light (issue 12, point 4), computed in the main process from what the
 * connector already publishes: what each ticket call got from Oceane (`onCall`), the queue
 * (`queue:changed`), the Authenticate button's result and the token's expiry. No Electron and
 * no polling: the light changes when one of those facts does, and its listeners hear of it
 * once per burst of changes.
 */
import type { AuthResult, IntegrationHealth, QueueStatus } from '../../shared/domain.js';
import type { CallReport } from '../connector/oceane-client.js';
import type { Clock } from '../connector/ports.js';

/** Answers of a proxy or gateway that stand for "Oceane cannot be reached". */
const GATEWAY_STATUSES = new Set([502, 503, 504]);
/** Answers that mean "Oceane refuses these credentials". */
const CREDENTIAL_STATUSES = new Set([400, 401, 403]);
/** Listeners hear of a burst of changes once, this long after its first change. */
export const HEALTH_EMIT_DELAY_MS = 200;

/** What the last exchange with Oceane says about the integration. */
export type CallVerdict =
  | { kind: 'ok' }
  | { kind: 'unreachable'; message: string }
  | { kind: 'credentials-refused'; message: string }
  | { kind: 'refused'; message: string };

/** How one call report reads for the light. */
export function verdictOf(call: CallReport): CallVerdict {
  if (call.kind === 'no-answer') return { kind: 'unreachable', message: call.message };
  if (call.kind === 'token-failed') {
    const { httpStatus, message } = call.error;
    if (httpStatus === null || GATEWAY_STATUSES.has(httpStatus)) {
      return { kind: 'unreachable', message: `No token: ${message}` };
    }
    if (CREDENTIAL_STATUSES.has(httpStatus)) {
      return { kind: 'credentials-refused', message: `Oceane refused the credentials: ${message}` };
    }
    return { kind: 'refused', message: `No token: ${httpStatus} ${message}` };
  }
  if (call.status < 300) return { kind: 'ok' };
  const text = `${call.status} ${call.message}`.trim();
  if (GATEWAY_STATUSES.has(call.status)) return { kind: 'unreachable', message: text };
  if (call.status === 401 || call.status === 403) {
    return { kind: 'credentials-refused', message: `Oceane refused the credentials: ${text}` };
  }
  return { kind: 'refused', message: text };
}

/** The facts the light is computed from. */
export interface HealthFacts {
  verdict: CallVerdict | null;
  lastSuccessAt: number | null;
  lastError: { at: number; message: string } | null;
  queue: QueueStatus | null;
  tokenExpiresAt: number | null;
  now: number;
  /** Why the ticket status polls fail (issue 13), or null while they work. */
  followProblem?: string | null;
  /** Team mode (issue 14): the team database's part of the light; absent out of team mode. */
  teamDatabase?: TeamDatabaseHealth | null;
}

/** The "Team database" part of the light. */
export interface TeamDatabaseHealth {
  state: 'connecting' | 'reachable' | 'unreachable';
  message: string;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The light for a set of facts: red beats amber, amber beats green. */
export function computeHealth(facts: HealthFacts): IntegrationHealth {
  const pending = facts.queue?.pending ?? [];
  const waitingForRetry = pending.filter((p) => p.attempts > 0).length;
  const { verdict } = facts;
  const tokenValid = facts.tokenExpiresAt !== null && facts.tokenExpiresAt > facts.now;
  let level: IntegrationHealth['level'];
  let summary: string;
  if (verdict?.kind === 'unreachable') {
    level = 'red';
    summary = `Oceane cannot be reached: ${verdict.message}`;
  } else if (verdict?.kind === 'credentials-refused') {
    level = 'red';
    summary = `${verdict.message}. Check the Client ID and Client Secret in Settings.`;
  } else if (waitingForRetry > 0) {
    level = 'amber';
    summary = `${waitingForRetry} ticket request${waitingForRetry === 1 ? '' : 's'} waiting for a retry`;
  } else if (verdict === null) {
    level = 'unknown';
    summary = 'No call to Oceane yet';
  } else if (!tokenValid) {
    level = 'amber';
    summary = 'Oceane answered, but the token has expired; the next ticket asks for a new one';
  } else {
    level = 'green';
    summary =
      verdict.kind === 'ok'
        ? 'Oceane answers and the token is valid'
        : `Oceane answers; its last answer refused a request (${verdict.message})`;
  }
  const followProblem = facts.followProblem ?? null;
  if (followProblem !== null) {
    // The polls fail while the rest may work: at least amber, and the sentence says so.
    if (level !== 'red') level = 'amber';
    summary = level === 'red' ? `${summary}. ${followProblem}` : followProblem;
  }
  const team = facts.teamDatabase ?? null;
  if (team !== null && team.state !== 'reachable') {
    // No request can be accepted while the team database cannot be reached: red, said first.
    level = team.state === 'connecting' && level !== 'red' ? 'amber' : 'red';
    summary = `${team.message} ${summary}`;
  }
  return {
    level,
    summary,
    reachable: verdict === null ? null : verdict.kind !== 'unreachable',
    lastSuccessAt: iso(facts.lastSuccessAt),
    lastError: facts.lastError
      ? { at: iso(facts.lastError.at)!, message: facts.lastError.message }
      : null,
    queueDepth: pending.length,
    waitingForRetry,
    tokenExpiresAt: iso(facts.tokenExpiresAt),
    ...(team ? { teamDatabase: team } : {}),
  };
}

/** Dependencies of the health module. */
export interface IntegrationHealthDeps {
  clock: Clock;
  /** The connector's current token expiry (ms since the epoch), or null. */
  tokenExpiresAt: () => number | null;
}

type Listener = (health: IntegrationHealth) => void;

/** Keeps the facts, computes the light and tells its listeners when it changes. */
export class IntegrationHealthMonitor {
  private verdict: CallVerdict | null = null;
  private lastSuccessAt: number | null = null;
  private lastError: { at: number; message: string } | null = null;
  private queue: QueueStatus | null = null;
  private followProblem: string | null = null;
  private teamDatabase: TeamDatabaseHealth | null = null;
  private readonly listeners = new Set<Listener>();
  private emitted: string | null = null;
  private timer: unknown = null;

  constructor(private readonly deps: IntegrationHealthDeps) {}

  /** A ticket call's outcome (the connector's `onCall`). */
  recordCall(call: CallReport): void {
    this.record(verdictOf(call));
  }

  /** The Authenticate button's result. */
  recordAuthentication(result: AuthResult): void {
    if (result.ok) {
      this.record({ kind: 'ok' });
      return;
    }
    const { httpStatus } = result.error;
    this.recordCall(
      httpStatus === null
        ? { kind: 'no-answer', message: result.error.message }
        : { kind: 'token-failed', error: result.error },
    );
  }

  /** The queue as the connector published it. */
  recordQueue(queue: QueueStatus): void {
    this.queue = queue;
    this.changed();
  }

  /** The ticket status polls' problem (issue 13), null once a poll works again. */
  recordFollowProblem(message: string | null): void {
    this.followProblem = message;
    this.changed();
  }

  /** The team database's part of the light (issue 14); null out of team mode. */
  recordTeamDatabase(part: TeamDatabaseHealth | null): void {
    this.teamDatabase = part;
    this.changed();
  }

  /** The Base URL or the credentials changed: what was learnt of the old ones is forgotten. */
  reset(): void {
    this.verdict = null;
    this.lastSuccessAt = null;
    this.lastError = null;
    this.changed();
  }

  /** The light now. */
  view(): IntegrationHealth {
    return computeHealth({
      verdict: this.verdict,
      lastSuccessAt: this.lastSuccessAt,
      lastError: this.lastError,
      queue: this.queue,
      tokenExpiresAt: this.deps.tokenExpiresAt(),
      now: this.deps.clock.now(),
      followProblem: this.followProblem,
      teamDatabase: this.teamDatabase,
    });
  }

  /** Hears every change of the light (at most one per HEALTH_EMIT_DELAY_MS). */
  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the pending emission. */
  close(): void {
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  private record(verdict: CallVerdict): void {
    const now = this.deps.clock.now();
    this.verdict = verdict;
    if (verdict.kind === 'ok') this.lastSuccessAt = now;
    else this.lastError = { at: now, message: verdict.message };
    this.changed();
  }

  private changed(): void {
    if (this.timer !== null || this.listeners.size === 0) return;
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = null;
      const view = this.view();
      const key = JSON.stringify(view);
      if (key === this.emitted) return;
      this.emitted = key;
      for (const listener of this.listeners) listener(view);
    }, HEALTH_EMIT_DELAY_MS);
  }
}
