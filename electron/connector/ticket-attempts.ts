/**
 * Attempts and retries: the thin driver of the ticket request machine. It feeds the machine the
 * answers of Oceane and performs its effects: the queue line written before a create leaves
 * (with its send time, so that after a restart the look-up waits until that send plus the
 * time-out), the create and look-up calls, and the settled outcome: the Created row with the
 * alarm properties, or the Failed row with its Failed Ticket Requests row.
 *
 * An outcome that could not be saved stays in memory (ConnectorCore.states) and is saved again
 * when the storage pause ends, without asking Oceane again; the request stays queued meanwhile.
 */
import { randomUUID } from 'node:crypto';
import type { FailedRequestRow, TicketRow } from '../../shared/domain.js';
import { AttemptHistory } from './attempt-history.js';
import type { ConnectorCore } from './connector-core.js';
import {
  createdSentence,
  errorText,
  settledFailureSentence,
  shortError,
  unsafeUrlFailure,
} from './connector-notices.js';
import {
  isSettled,
  step,
  type RequestEvent,
  type RequestFailure,
  type RequestState,
  type StepResult,
} from './ticket-request-machine.js';
import type { TableChange } from '../storage/sql-table.js';
import { pendingRow, type QueueEntry } from './ticket-tables.js';
import { alarmFactsOf } from './ticket-rows.js';
import { writeTicketProperties } from './ticket-properties.js';
import { buildTicketUrl } from './ticket-url.js';

/** Runs the attempts of queued requests, one at a time (the queue holds the lock). */
export class TicketAttempts {
  /** Instance -> resolves when enqueue() has answered: its request is settled only after. */
  readonly enqueueAnswered = new Map<string, Promise<void>>();
  /** Failed Ticket Requests rows whose save failed: saved again under the same key. */
  private readonly unsavedFailedRows = new Map<string, FailedRequestRow>();
  private readonly waitedForToken = new Set<string>();
  /** Each request's attempts so far (issue 12), written on its row when it settles. */
  private readonly history: AttemptHistory;

  constructor(private readonly core: ConnectorCore) {
    this.history = new AttemptHistory(core);
  }

  /** The state of a queued request as this run knows it. */
  stateOf(entry: QueueEntry): RequestState {
    return this.core.states.get(entry.instance) ?? entry.state;
  }

  /** Forgets what this run remembered of a request (a new request or a Retry replaces it). */
  forget(instance: string): void {
    this.core.states.delete(instance);
    this.core.queuedRows.delete(instance);
    this.unsavedFailedRows.delete(instance);
    this.history.forget(instance);
  }

  /** A request sent at once (ticket-queue.ts `sendsNow`): "send", persisted by its queue line. */
  firstStep(entry: QueueEntry): StepResult | null {
    const { state, effects } = step(entry.state, { type: 'due' }, this.core.stepContext());
    if (state.phase !== 'sending' || effects[0]?.kind !== 'persist') return null;
    return { state, effects: effects.slice(1) };
  }

  /** Takes the request as far as it can go now; `sent`: its first step, stored (firstStep). */
  async attempt(entry: QueueEntry, sent?: StepResult): Promise<void> {
    const core = this.core;
    const { instance } = entry;
    let state = this.stateOf(entry);
    // An outcome known but not saved is saved again; Oceane is not asked twice.
    if (isSettled(state)) {
      await this.settle(entry, state, false);
      return;
    }
    // Settled, but its removal from the queue was not saved: only that is left to do (with
    // the alarm properties of a Created row, which may not have been saved either).
    const row = core.ticketRow(instance);
    if (row?.status === 'Created') {
      await this.finishCreated(entry, row);
      return;
    }
    if (row && row.status !== 'Pending') {
      await this.dequeue(entry);
      return;
    }
    let event: RequestEvent = { type: 'due' };
    let given = sent;
    for (;;) {
      const { state: next, effects } = given ?? step(state, event, core.stepContext());
      given = undefined;
      let answer: RequestEvent | null = null;
      core.states.set(instance, next);
      for (const effect of effects) {
        if (effect.kind === 'persist' && (core.closed || !(await this.persist(entry, next)))) {
          // Not saved: nothing leaves, and the request stays as it was.
          core.states.set(instance, state);
          return;
        }
        if (effect.kind === 'create') {
          if (core.closed) return;
          answer = await this.create(entry, effect.baseUrl);
        } else if (effect.kind === 'look-up') {
          if (core.closed) return;
          answer = await this.lookUp(entry, effect.baseUrl);
        } else if (effect.kind === 'settle-created' || effect.kind === 'settle-failed') {
          await this.settle(entry, next, event.type === 'lookup-found');
        }
      }
      state = next;
      if (answer === null) {
        core.events.queueChanged();
        return;
      }
      // A request may go out while its row is being fsync'd (enqueue); its outcome is
      // recorded only after the operator has been answered, so the rows stay in order.
      const answered = this.enqueueAnswered.get(instance);
      if (answered) await answered;
      // Closed while waiting for Oceane: the request stays queued; the next start looks it up.
      if (core.closed) return;
      event = answer;
    }
  }

  /** Writes the state before the next effect; false (queue paused) when it cannot be saved. */
  private async persist(entry: QueueEntry, state: RequestState): Promise<boolean> {
    try {
      await this.core.tables.queue.commit([{ key: entry.instance, value: { ...entry, state } }], {
        durable: false,
      });
      return true;
    } catch (error) {
      this.core.pause.failed(
        `The state of a ticket request could not be saved (${errorText(error)})`,
        entry.instance,
      );
      this.core.events.queueChanged();
      return false;
    }
  }

  private noteTokenWait(instance: string, waited: boolean): void {
    if (!waited || this.waitedForToken.has(instance)) return;
    this.waitedForToken.add(instance);
    this.core.counters.ticketsThatWaitedForToken++;
  }

  private async create(entry: QueueEntry, baseUrl: string): Promise<RequestEvent> {
    const core = this.core;
    core.counters.createRequests++;
    const config = { ...core.callConfig(), baseUrl };
    const created = await core.client.createTicket(
      config,
      entry.request,
      entry.instance,
      entry.request.otherAlarms ?? [],
    );
    this.noteTokenWait(entry.instance, created.waitedForToken);
    this.history.record(
      entry.instance,
      'create',
      created.ok ? `Created ticket ${created.ticketId}` : shortError(created.error),
      created.ok ? null : created.error.httpStatus,
    );
    if (created.ok) return { type: 'create-succeeded', ticketId: created.ticketId };
    if (!created.answeredCreated && created.retryable) {
      core.logger.warn('Ticket attempt failed', {
        instance: entry.instance,
        error: shortError(created.error),
      });
    }
    return { type: 'create-failed', failure: created };
  }

  private async lookUp(entry: QueueEntry, baseUrl: string): Promise<RequestEvent> {
    const core = this.core;
    core.counters.lookupRequests++;
    const config = { ...core.callConfig(), baseUrl };
    const found = await core.client.findTicket(config, entry.request);
    this.noteTokenWait(entry.instance, found.waitedForToken);
    this.history.record(
      entry.instance,
      'look-up',
      !found.ok
        ? shortError(found.error)
        : found.ticketId === null
          ? 'No ticket found'
          : `Found ticket ${found.ticketId}`,
      found.ok ? null : found.error.httpStatus,
    );
    if (!found.ok) return { type: 'lookup-failed', failure: found };
    return found.ticketId === null
      ? { type: 'lookup-absent' }
      : { type: 'lookup-found', ticketId: found.ticketId };
  }

  private async settle(entry: QueueEntry, state: RequestState, viaLookup: boolean): Promise<void> {
    if (state.phase === 'created' && state.ticketId !== null) {
      await this.settleCreated(entry, state, state.ticketId, viaLookup);
    } else if (state.failure !== null) {
      await this.settleFailed(entry, state, state.failure);
    }
  }

  private async settleCreated(
    entry: QueueEntry,
    state: RequestState,
    ticketId: string,
    viaLookup: boolean,
  ): Promise<void> {
    const core = this.core;
    const { request, instance } = entry;
    const url = buildTicketUrl(
      core.settings.api.ticketUrlTemplate,
      state.baseUrl ?? core.settings.api.baseUrl,
      ticketId,
    );
    if (url === null) {
      const { failure, sentence } = unsafeUrlFailure(ticketId, request.elementName);
      const failed: RequestState = { ...state, phase: 'failed', failure };
      core.states.set(instance, failed);
      await this.settleFailed(entry, failed, failure, { sentence });
      return;
    }
    const stored = core.ticketRow(instance);
    const before = stored ?? pendingRow(instance, request, entry.enqueuedAt);
    const row: TicketRow = {
      ...before,
      status: 'Created',
      ticketId,
      ticketUrl: url,
      ...this.history.of(instance, before),
    };
    if (state.origin === 'found') row.origin = 'found';
    try {
      // The Created row and its ticket followed (issue 13: who hears of the row may act on it),
      // unsynced: a power cut loses them in log order; the queued request's look-up adopts.
      core.tables.write(
        [
          core.tables.tickets.change([{ key: instance, value: row, previous: stored }]),
          core.tables.follow(row),
        ],
        false,
      );
    } catch (error) {
      this.keepAfterStorageFailure(entry, error);
      return;
    }
    // The operator waits for this row: it leaves now, not at the end of the turn.
    core.queuedRows.delete(instance);
    core.events.ticketUpserted(row);
    core.events.flushRows();
    // Until its removal is saved the request stays queued: a failure here settles it again
    // (its row is written again unchanged) once the store works; a crash before it leaves a
    // Created row with its queue line, which the next start finishes (`finishCreated`).
    if (!(await this.afterCreatedRow(entry, row, [request, ...(request.otherAlarms ?? [])])))
      return;
    core.pause.works();
    this.history.forget(instance);
    this.dequeued(entry);
    if (viaLookup) core.counters.ticketsAdopted++;
    else core.counters.ticketsCreated++;
    core.logger.info(viaLookup ? 'Existing ticket adopted' : 'Ticket created', {
      instance,
      ticketId,
    });
    const sentence = createdSentence(ticketId, request, viaLookup, state.origin === 'found');
    core.notices.emit('success', 'Ticket created', sentence, instance);
    // Retention (the table has one more row), once the Created row has been announced: the
    // events of this turn leave first, and the operator's wait does not include it.
    core.pruneAfterThisTurn();
  }

  private async settleFailed(
    entry: QueueEntry,
    state: RequestState,
    failure: RequestFailure,
    options: { sentence?: string } = {},
  ): Promise<void> {
    const core = this.core;
    const { request, instance } = entry;
    const stored = core.ticketRow(instance);
    const before = stored ?? pendingRow(instance, request, entry.enqueuedAt);
    const row: TicketRow = { ...before, status: 'Failed', ...this.history.of(instance, before) };
    const { error } = failure;
    const failedRow: FailedRequestRow = this.unsavedFailedRows.get(instance) ?? {
      instance: randomUUID(),
      ticketInstance: instance,
      httpErrorCode: error.httpStatus,
      appErrorCode: error.appCode,
      errorMessage: error.message,
      errorDescription: error.description,
      failedAt: new Date(core.clock.now()).toISOString(),
      failedCall: failure.stage === 'lookup' ? 'look-up' : 'create',
      elementName: request.elementName,
      dmaId: request.dmaId,
      alarmId: request.alarmId,
      ...alarmFactsOf(row),
    };
    // The Failed Ticket Requests row, the Failed status and the removal from the queue in one
    // synced transaction: a Failed ticket always has its row and its Retry action (review F9).
    try {
      this.settleWrite(entry, [
        core.tables.failed.change([{ key: failedRow.instance, value: failedRow }]),
        core.tables.tickets.change([{ key: instance, value: row, previous: stored }]),
      ]);
    } catch (storageError) {
      this.unsavedFailedRows.set(instance, failedRow);
      this.keepAfterStorageFailure(entry, storageError);
      return;
    }
    core.queuedRows.delete(instance);
    core.events.failedUpserted(failedRow);
    core.events.ticketUpserted(row);
    core.events.flushRows();
    this.unsavedFailedRows.delete(instance);
    this.history.forget(instance);
    core.pause.works();
    this.dequeued(entry);
    core.counters.ticketsFailed++;
    const attempts = state.createAttempts + state.lookupFailures;
    const sentence =
      options.sentence ??
      settledFailureSentence(request.elementName, failure, attempts, core.settings.api.baseUrl);
    core.logger.warn('Ticket request failed', { instance, error: shortError(error) });
    core.notices.emit('error', 'Ticket not created', sentence, instance);
    core.track(core.prune(false));
  }

  /** The outcome could not be saved: it stays in memory, the request queued, the queue paused. */
  private keepAfterStorageFailure(entry: QueueEntry, error: unknown): void {
    const message = `The outcome could not be saved (${errorText(error)}); the request stays queued`;
    this.core.pause.failed(message, entry.instance);
    this.core.events.queueChanged();
  }

  /** Writes a settled request's rows and its removal from the queue in one transaction. */
  private settleWrite(entry: QueueEntry, rows: TableChange[], synced = true): void {
    const { tables } = this.core;
    tables.write([...rows, tables.queue.change([{ key: entry.instance, delete: true }])], synced);
  }

  /** What this run forgets of a request once it has left the queue. */
  private dequeued(entry: QueueEntry): void {
    this.waitedForToken.delete(entry.instance);
    this.core.states.delete(entry.instance);
    this.core.queuedRows.delete(entry.instance);
    this.core.events.queueChanged();
  }

  /**
   * A queued request whose Created row was saved (before a crash, or before a failed write):
   * what follows its row (`afterCreatedRow`). A failure keeps the line, the queue paused.
   */
  async finishCreated(entry: QueueEntry, row: TicketRow): Promise<void> {
    if (await this.afterCreatedRow(entry, row, [row, ...(row.otherAlarms ?? [])]))
      this.dequeued(entry);
  }

  /**
   * After a saved Created row: the alarm properties of `alarms` (the request's own first, then
   * the others of a group, issue 11) and the removal from the queue, together when the
   * properties are in this database. False when not saved.
   */
  private async afterCreatedRow(
    entry: QueueEntry,
    row: TicketRow,
    alarms: readonly { dmaId: string; alarmId: string }[],
  ): Promise<boolean> {
    try {
      await writeTicketProperties(this.core, alarms, row.ticketId, row.ticketUrl, () =>
        this.settleWrite(entry, [], false),
      );
      return true;
    } catch (error) {
      this.keepAfterStorageFailure(entry, error);
      return false;
    }
  }

  /** Removes a settled request. Not fsynced: if the line is lost, the next start adopts. */
  async dequeue(entry: QueueEntry): Promise<void> {
    const core = this.core;
    try {
      await core.tables.queue.commit([{ key: entry.instance, delete: true }], { durable: false });
      this.dequeued(entry);
    } catch (error) {
      // Still in the queue file: its settled row makes the next turn remove it again.
      core.pause.failed(
        `A settled request could not be removed from the queue file (${errorText(error)})`,
        entry.instance,
      );
      core.events.queueChanged();
    }
  }
}
