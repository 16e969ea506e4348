/**
 * The ticket's life after creation (issue 13, oceane-api.md section 7), as the connector runs
 * it: the polls (ticket-poll-loop.ts), the queue of notes and status changes
 * (ticket-change-queue.ts), the events Oceane posts (applied at once, idempotent), the clear
 * action when the alarms of a ticket clear (clear-action.ts), and what the operator sees of
 * it: the Oceane status on the Tickets rows and as the alarms' "Oceane Ticket Status"
 * property, and the ticket's history.
 */
import { randomUUID } from 'node:crypto';
import {
  PROPERTY_TICKET_ID,
  PROPERTY_TICKET_STATUS,
  alarmKeyString,
  type TicketRow,
} from '../../shared/domain.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { TicketHistory, TicketHistoryItem } from '../../shared/ticket-life.js';
import { decideOnClear, type ClearDecision } from './clear-action.js';
import type { ConnectorCore } from './connector-core.js';
import { errorText } from './connector-notices.js';
import type { QueuedChange } from './life-store.js';
import { OceaneLifecycleClient } from './oceane-lifecycle-client.js';
import { TicketChangeQueue } from './ticket-change-queue.js';
import {
  applyChanges,
  type FollowedTicket,
  type TicketChange,
  type TicketHistoryEntry,
} from './ticket-follower.js';
import { TicketPollLoop } from './ticket-poll-loop.js';
import { userIdRefusal } from './ticket-preconditions.js';

type ProblemListener = (message: string | null) => void;

/** The follow-up of the tickets the console created. */
export class TicketLife {
  readonly client: OceaneLifecycleClient;
  readonly polls: TicketPollLoop;
  readonly changes: TicketChangeQueue;
  private readonly problemListeners = new Set<ProblemListener>();
  private problem: string | null = null;
  private hubId: string | null = null;

  constructor(private readonly core: ConnectorCore) {
    this.client = new OceaneLifecycleClient(core.client);
    const applied = (rows: TicketRow[]) => this.applied(rows);
    this.polls = new TicketPollLoop(core, this.client, {
      applied,
      problem: (message) => {
        this.problem = message;
        for (const listener of this.problemListeners) listener(message);
      },
    });
    this.changes = new TicketChangeQueue(core, this.client, { applied });
  }

  /** Starts polling and sending the queued changes. */
  start(firstPollDelayMs?: number): void {
    this.polls.start(firstPollDelayMs);
    this.changes.kick();
  }

  /** The settings changed: the next poll and the queue follow them. */
  settingsChanged(): void {
    this.polls.schedule(this.polls.intervalMs());
    this.changes.kick();
  }

  /** The sentence for the health light while polls fail (null when they work). */
  get pollProblem(): string | null {
    return this.problem;
  }

  /** Hears the poll problem change; returns the unsubscribe. */
  onPollProblem(listener: ProblemListener): () => void {
    this.problemListeners.add(listener);
    return () => this.problemListeners.delete(listener);
  }

  /** Rows whose Oceane status changed: the views hear of them, the alarms get the status. */
  private async applied(rows: TicketRow[]): Promise<void> {
    const core = this.core;
    const writes: Promise<void>[] = [];
    const written = new Set<string>();
    for (const row of rows) {
      core.events.ticketUpserted(row);
      if (!row.oceaneStatus) continue;
      // Every alarm of a ticket for several alarms (issue 11) shows its status.
      for (const alarm of [row, ...(row.otherAlarms ?? [])]) {
        const key = alarmKeyString(alarm);
        if (written.has(key)) continue;
        written.add(key);
        const props = core.alarmProperties.get(alarm.dmaId, alarm.alarmId);
        if (props[PROPERTY_TICKET_STATUS] === row.oceaneStatus) continue;
        writes.push(
          core.alarmProperties.set(alarm.dmaId, alarm.alarmId, {
            [PROPERTY_TICKET_STATUS]: row.oceaneStatus,
          }),
        );
      }
    }
    for (const r of await Promise.allSettled(writes)) {
      if (r.status === 'rejected') {
        core.logger.warn('Could not write the ticket status on the alarm', {
          error: errorText(r.reason),
        });
      }
    }
  }

  /** Applies ticket states Oceane posted (7.5): at once, and the same event twice is nothing. */
  async applyEvent(changes: readonly TicketChange[]): Promise<number> {
    const life = this.core.tables.life;
    const result = applyChanges(life.knownTickets(), changes);
    const rows = life.applyUpdates(result.updates, null);
    await this.applied(rows);
    return result.updates.length;
  }

  /**
   * Subscribes `callback` to Oceane's events (7.5); while subscribed, polls go slower. False
   * when Oceane refused or could not be reached (polling alone goes on).
   */
  async subscribe(callback: string): Promise<boolean> {
    const core = this.core;
    if (typeof core.tokenConfig() === 'string') return false;
    // A subscription a crash left behind (the app stopped without ending it) is ended first.
    const left = core.tables.life.eventsHub();
    if (left !== null) {
      this.hubId = left;
      await this.unsubscribe();
    }
    const answer = await this.client.subscribe(core.callConfig(), callback);
    if (!answer.ok) {
      core.logger.warn('Could not subscribe to Oceane events', { error: answer.error.message });
      return false;
    }
    core.tables.life.setEventsHub(answer.hubId);
    this.hubId = answer.hubId;
    this.polls.eventsActive = true;
    core.logger.info('Subscribed to Oceane events', { hubId: answer.hubId });
    return true;
  }

  /** Ends the subscription (at stop); polls go back to their interval. */
  async unsubscribe(): Promise<void> {
    const hubId = this.hubId;
    this.hubId = null;
    this.polls.eventsActive = false;
    if (hubId === null || this.core.closed) return;
    const answer = await this.client.unsubscribe(this.core.callConfig(), hubId);
    // Ended, or already gone in Oceane; kept otherwise, to be ended at the next start.
    if (answer.ok) this.core.tables.life.setEventsHub(null);
    if (!answer.ok) {
      this.core.logger.warn('Could not end the Oceane events subscription', {
        error: answer.error.message,
      });
    }
  }

  /** The ticket's history: Oceane's changes and notes, then the console's on their way. */
  history(ticketId: string): Result<TicketHistory> {
    const life = this.core.tables.life;
    const followed = life.get(ticketId);
    if (!followed) {
      return fail('not-found', `Ticket ${ticketId} is not followed by this console`);
    }
    const changes = life.changes().filter((change) => change.ticketId === ticketId);
    return ok(historyOf(followed, life.history(ticketId), changes));
  }

  /** "Add note to ticket…": queued durably, then sent (7.3). */
  addNote(ticketId: string, text: string): Result<{ id: string }> {
    const core = this.core;
    if (core.closing)
      return fail('refused', 'The connector is shutting down; try again after the restart');
    if (!core.tables.life.get(ticketId)) {
      return fail(
        'not-found',
        `Ticket ${ticketId} is not followed by this console, so no note can be added from here; add it in Oceane.`,
      );
    }
    const refused = userIdRefusal(core.settings.api.userId);
    if (refused) return refused;
    const now = new Date(core.clock.now()).toISOString();
    const id = randomUUID();
    const change: QueuedChange = {
      id,
      ticketId,
      queuedAt: now,
      kind: 'note',
      note: { id, author: core.settings.api.userId, date: now, text },
      state: { attempts: 0, maybeSent: false, nextAt: 0, lastError: null, failed: false },
    };
    try {
      this.changes.enqueue([change]);
    } catch (error) {
      return fail(
        'storage',
        `The note could not be saved (${errorText(error)}); nothing was sent. Try again.`,
      );
    }
    this.touchRows(ticketId);
    return ok({ id });
  }

  /** Tells the views a ticket's history changed (its rows are sent again). */
  private touchRows(ticketId: string): void {
    for (const row of this.core.tables.life.ticketRows(ticketId))
      this.core.events.ticketUpserted(row);
  }

  /**
   * The Created row of the alarm's ticket: its own, or (an alarm of a ticket for several
   * alarms, issue 11) the row of the ticket whose ID the alarm carries.
   */
  private createdRowOf(alarmKey: string): TicketRow | undefined {
    const { tables, alarmProperties } = this.core;
    const instance = tables.activeInstance(alarmKey);
    const own = instance ? tables.tickets.get(instance) : undefined;
    if (own) return own.status === 'Created' ? own : undefined;
    const [dmaId = '', alarmId = ''] = alarmKey.split('/');
    const ticketId = alarmProperties.get(dmaId, alarmId)[PROPERTY_TICKET_ID];
    if (!ticketId) return undefined;
    return tables.life
      .ticketRows(ticketId)
      .find(
        (r) =>
          r.status === 'Created' &&
          (r.otherAlarms ?? []).some((a) => alarmKeyString(a) === alarmKey),
      );
  }

  /**
   * An alarm cleared: with the setting, its ticket gets a note or is resolved once all its
   * alarms have cleared (`clearTimeOf` says when another alarm cleared, null while active).
   */
  alarmCleared(
    alarmKey: string,
    clearedAt: string,
    clearTimeOf: (alarmKey: string) => string | null,
  ): ClearDecision | null {
    const core = this.core;
    const setting = core.settings.element.clearAction;
    if (setting === 'nothing' || core.closing) return null;
    const life = core.tables.life;
    const row = this.createdRowOf(alarmKey);
    if (!row) return null;
    const followed = life.get(row.ticketId);
    if (!followed) return null;
    const alarmKeys = [
      ...new Set(
        life
          .ticketRows(row.ticketId)
          .flatMap((r) => [r, ...(r.otherAlarms ?? [])].map((a) => alarmKeyString(a))),
      ),
    ];
    const cleared = new Map<string, string>();
    for (const key of alarmKeys) {
      const at = key === alarmKey ? clearedAt : clearTimeOf(key);
      if (at !== null) cleared.set(key, at);
    }
    const decision = decideOnClear(
      setting,
      { ticketId: row.ticketId, status: followed.status, alarmKeys, actedOn: followed.actedOn },
      cleared,
    );
    if (decision.kind === 'nothing') return decision;
    const now = new Date(core.clock.now()).toISOString();
    const id = randomUUID();
    const state = { attempts: 0, maybeSent: false, nextAt: 0, lastError: null, failed: false };
    const change: QueuedChange =
      decision.kind === 'note'
        ? {
            id,
            ticketId: row.ticketId,
            queuedAt: now,
            kind: 'note',
            note: { id, author: core.settings.api.userId, date: now, text: decision.text },
            state,
          }
        : {
            id,
            ticketId: row.ticketId,
            queuedAt: now,
            kind: 'status',
            change: decision.change,
            state,
          };
    try {
      this.changes.enqueue([change], () => life.markActedOn(row.ticketId));
    } catch (error) {
      core.logger.warn('Could not queue the clear action', { error: errorText(error) });
      return null;
    }
    core.logger.info('Clear action queued', { ticketId: row.ticketId, kind: decision.kind });
    this.touchRows(row.ticketId);
    return decision;
  }

  /** Notes and status changes still to send (failed ones left out). */
  pendingChanges(): number {
    return this.core.tables.life.changes().filter((c) => !c.state.failed).length;
  }

  /** Stops the polls and the queue (the change in flight stays queued if cut short). */
  async close(): Promise<void> {
    await this.polls.close();
    await this.changes.close();
  }
}

/**
 * A followed ticket's history as the operator sees it: Oceane's status changes and notes, then
 * the console's (or team's) changes on their way. Pure; both the single console and team mode
 * build it here.
 */
export function historyOf(
  followed: FollowedTicket,
  history: readonly TicketHistoryEntry[],
  changes: readonly QueuedChange[],
): TicketHistory {
  const entries: TicketHistoryItem[] = history.map((h) =>
    h.kind === 'status'
      ? { kind: 'status', at: h.at, from: h.from, to: h.to, reason: h.reason, state: 'done' }
      : { kind: 'note', at: h.at, id: h.noteId, author: h.author, text: h.text, state: 'done' },
  );
  const seen = new Set(followed.noteIds);
  for (const change of changes) {
    const state = change.state.failed ? 'failed' : 'queued';
    if (change.kind === 'note') {
      if (seen.has(change.id)) continue;
      const { id, author, date, text } = change.note;
      entries.push({ kind: 'note', at: date, id, author, text, state });
    } else {
      const { status, reason } = change.change;
      entries.push({
        kind: 'status',
        at: change.queuedAt,
        from: followed.status,
        to: status,
        reason,
        state,
      });
    }
  }
  return { ticketId: followed.ticketId, status: followed.status, entries };
}
