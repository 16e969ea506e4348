/**
 * The calls of oceane-api.md section 7, beside the create and search calls of
 * oceane-client.ts (same token handling, same failure rules): the changes since a moment,
 * paged to the end (7.1), a ticket by id (to check a note or a status change whose answer was
 * lost, before sending it again), add a note (7.3), change the status or resolve (7.4), and
 * subscribe and unsubscribe to events (7.5). Each call ends as data: a result, or a failure
 * that says whether to retry.
 */
import type { HttpOutcome, HttpRequest } from './http-exchange.js';
import type { CallConfig, CallFailure, OceaneClient } from './oceane-client.js';
import {
  parseChangesPage,
  parseHubAnswer,
  parseTicketAnswer,
  type ChangesPage,
  type SkippedTicket,
} from './oceane-lifecycle-responses.js';
import type { TicketChange } from './ticket-follower.js';
import {
  HUB_PATH,
  changesUrl,
  hubBody,
  noteBody,
  patchHeaders,
  statusChangeBody,
  ticketApiUrl,
  type NoteInput,
  type StatusChangeInput,
} from './tmf621-mapping.js';

/** The largest page the profile serves (7.1). */
export const CHANGES_PAGE_SIZE = 100;
/** A poll stops after this many pages; the next poll goes on from where it stopped. */
export const MAX_PAGES_PER_POLL = 100;

/** One page of changes. */
export type ChangesPageResult = (ChangesPage & { waitedForToken: boolean }) | CallFailure;

/** Every change since a moment. */
export type ChangesResult =
  | {
      ok: true;
      /** In the order Oceane listed them: oldest change first. */
      changes: TicketChange[];
      skipped: SkippedTicket[];
      pages: number;
      /**
       * False when a ticket showed up twice while paging (it changed meanwhile and moved to the
       * end, so another may have been skipped): the cursor must not move (ticket-follower.ts).
       */
      consistent: boolean;
      /** False when the poll stopped at MAX_PAGES_PER_POLL with more to read. */
      complete: boolean;
    }
  | CallFailure;

/** A ticket as Oceane now has it. */
export type TicketCallResult =
  { ok: true; ticket: TicketChange; waitedForToken: boolean } | CallFailure;

/** True when the ticket already carries the note (a note whose answer was lost, 7.3). */
export function noteAlreadyAdded(ticket: TicketChange, noteId: string): boolean {
  return ticket.notes.some((n) => n.id === noteId);
}

/** True when the ticket already has the status asked for (a change whose answer was lost). */
export function statusAlreadySet(ticket: TicketChange, status: string): boolean {
  return ticket.status === status;
}

/** Speaks section 7 through the client's token handling. */
export class OceaneLifecycleClient {
  constructor(private readonly client: OceaneClient) {}

  private request(
    config: CallConfig,
    url: string,
    method: HttpRequest['method'],
    headers: Record<string, string>,
    body?: string,
  ): HttpRequest {
    const request: HttpRequest = {
      url,
      method,
      headers,
      timeoutMs: config.timeoutMs,
      signal: this.client.signal,
      transport: config.transport,
    };
    if (body !== undefined) request.body = body;
    return request;
  }

  private readHeaders(token: string): Record<string, string> {
    return { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  }

  /** One page of the changes since `since` (7.1). */
  async changesPage(
    config: CallConfig,
    since: string,
    offset: number,
    limit = CHANGES_PAGE_SIZE,
  ): Promise<ChangesPageResult> {
    const exchange = await this.client.authorized((token) =>
      this.request(
        config,
        changesUrl(config.baseUrl, since, offset, limit),
        'GET',
        this.readHeaders(token),
      ),
    );
    if (!exchange.ok) return exchange;
    const { outcome, waitedForToken } = exchange;
    if (outcome.kind === 'answer' && outcome.status === 200) {
      const page = parseChangesPage(outcome);
      if (!page.ok) return this.client.failure(page.error, true, false, null, waitedForToken);
      return { ...page, waitedForToken };
    }
    return this.client.failureOf(outcome, waitedForToken);
  }

  /** Every change since `since`, paging until a short page or the total (7.1). */
  async changesSince(
    config: CallConfig,
    since: string,
    options: { pageSize?: number; maxPages?: number } = {},
  ): Promise<ChangesResult> {
    const limit = options.pageSize ?? CHANGES_PAGE_SIZE;
    const maxPages = options.maxPages ?? MAX_PAGES_PER_POLL;
    const changes: TicketChange[] = [];
    const skipped: SkippedTicket[] = [];
    const seen = new Set<string>();
    let consistent = true;
    let offset = 0;
    for (let pages = 1; ; pages += 1) {
      const page = await this.changesPage(config, since, offset, limit);
      if (!page.ok) return page;
      for (const id of [
        ...page.changes.map((c) => c.ticketId),
        ...page.skipped.map((s) => s.ticketId),
      ]) {
        if (id === null) continue;
        if (seen.has(id)) consistent = false;
        seen.add(id);
      }
      changes.push(...page.changes);
      skipped.push(...page.skipped);
      offset += page.count;
      const last = page.count < limit || (page.total !== null && offset >= page.total);
      if (last || pages >= maxPages) {
        return { ok: true, changes, skipped, pages, consistent, complete: last };
      }
    }
  }

  /** The ticket as Oceane has it now (section 3's GET by id). */
  async getTicket(config: CallConfig, ticketId: string): Promise<TicketCallResult> {
    const exchange = await this.client.authorized((token) =>
      this.request(config, ticketApiUrl(config.baseUrl, ticketId), 'GET', this.readHeaders(token)),
    );
    return this.ticketResult(exchange);
  }

  /** Adds a note (7.3); its id travels as X-Request-ID too. */
  async addNote(config: CallConfig, ticketId: string, note: NoteInput): Promise<TicketCallResult> {
    const body = JSON.stringify(noteBody(note));
    const exchange = await this.client.authorized((token) =>
      this.request(
        config,
        ticketApiUrl(config.baseUrl, ticketId),
        'PATCH',
        patchHeaders(token, 'note', note.id),
        body,
      ),
    );
    return this.ticketResult(exchange);
  }

  /** Changes the status, or resolves (7.4); `instance` is the change request's id. */
  async changeStatus(
    config: CallConfig,
    ticketId: string,
    change: StatusChangeInput,
    instance: string,
  ): Promise<TicketCallResult> {
    const body = JSON.stringify(statusChangeBody(change));
    const exchange = await this.client.authorized((token) =>
      this.request(
        config,
        ticketApiUrl(config.baseUrl, ticketId),
        'PATCH',
        patchHeaders(token, 'status', instance),
        body,
      ),
    );
    return this.ticketResult(exchange);
  }

  /** Subscribes the listener at `callback` to the ticket events (7.5). */
  async subscribe(
    config: CallConfig,
    callback: string,
  ): Promise<{ ok: true; hubId: string; waitedForToken: boolean } | CallFailure> {
    const body = JSON.stringify(hubBody(callback));
    const exchange = await this.client.authorized((token) =>
      this.request(
        config,
        `${config.baseUrl}${HUB_PATH}`,
        'POST',
        { ...this.readHeaders(token), 'Content-Type': 'application/json' },
        body,
      ),
    );
    if (!exchange.ok) return exchange;
    const { outcome, waitedForToken } = exchange;
    if (outcome.kind === 'answer' && (outcome.status === 201 || outcome.status === 200)) {
      const hub = parseHubAnswer(outcome);
      if (!hub.ok) return this.client.failure(hub.error, false, true, null, waitedForToken);
      return { ok: true, hubId: hub.hubId, waitedForToken };
    }
    return this.client.failureOf(outcome, waitedForToken);
  }

  /** Ends a subscription (7.5); a hub Oceane no longer knows counts as ended. */
  async unsubscribe(
    config: CallConfig,
    hubId: string,
  ): Promise<{ ok: true; alreadyGone: boolean } | CallFailure> {
    const exchange = await this.client.authorized((token) =>
      this.request(
        config,
        `${config.baseUrl}${HUB_PATH}/${encodeURIComponent(hubId)}`,
        'DELETE',
        this.readHeaders(token),
      ),
    );
    if (!exchange.ok) return exchange;
    const { outcome, waitedForToken } = exchange;
    if (outcome.kind === 'answer' && outcome.status >= 200 && outcome.status < 300) {
      return { ok: true, alreadyGone: false };
    }
    if (outcome.kind === 'answer' && outcome.status === 404) return { ok: true, alreadyGone: true };
    return this.client.failureOf(outcome, waitedForToken);
  }

  private ticketResult(
    exchange: { ok: true; outcome: HttpOutcome; waitedForToken: boolean } | CallFailure,
  ): TicketCallResult {
    if (!exchange.ok) return exchange;
    const { outcome, waitedForToken } = exchange;
    if (outcome.kind === 'answer' && outcome.status === 200) {
      const parsed = parseTicketAnswer(outcome);
      // The change may have been made: the ticket is read again before anything is resent.
      if (!parsed.ok) return this.client.failure(parsed.error, false, true, null, waitedForToken);
      return { ok: true, ticket: parsed.ticket, waitedForToken };
    }
    return this.client.failureOf(outcome, waitedForToken);
  }
}
