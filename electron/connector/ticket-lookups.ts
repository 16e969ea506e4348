/**
 * Look-ups: the ticket an alarm already has, from its property, the Tickets table, the queue,
 * then Oceane itself (oceane-api.md section 3), and what Oceane said moments ago about an
 * alarm that has none (so that a request submitted right after the Create Ticket dialog's
 * look-up is sent without asking again).
 */
import {
  PROPERTY_TICKET_ID,
  PROPERTY_TICKET_STATUS,
  PROPERTY_TICKET_URL,
  alarmKeyString,
  type CreateTicketRequest,
  type ExistingTicket,
} from '../../shared/domain.js';
import { alarmKeySchema } from '../../shared/schemas.js';
import { DONE_OCEANE_STATUSES } from '../../shared/ticket-life.js';
import type { ConnectorCore } from './connector-core.js';
import { errorText, shortError } from './connector-notices.js';
import { buildTicketUrl, safeHttpUrl } from './ticket-url.js';

/**
 * A request for an alarm that Oceane said has no ticket at most this long ago is sent without
 * looking the alarm up again (oceane-api.md section 3): the Create Ticket dialog asks when it
 * opens, so an operator who submits within this time pays no extra round trip.
 */
const FRESH_LOOKUP_MS = 30_000;

/** The existing-ticket check. */
export class TicketLookups {
  /** Alarm key -> when Oceane last said it has no ticket (findExistingTicket). */
  private readonly absentInOceaneAt = new Map<string, number>();

  constructor(private readonly core: ConnectorCore) {}

  /** True when Oceane said, moments ago, that the alarm has no ticket (asked once). */
  recentlyAbsentInOceane(alarmKey: string): boolean {
    const at = this.absentInOceaneAt.get(alarmKey);
    this.absentInOceaneAt.delete(alarmKey);
    return at !== undefined && this.core.clock.now() - at <= FRESH_LOOKUP_MS;
  }

  /**
   * What the app already knows about the alarm's ticket: property, table, queue. A ticket
   * resolved or closed in Oceane (issue 13) no longer counts: the alarm may get a new one.
   */
  localExisting(key: { dmaId: string; alarmId: string }): ExistingTicket | null {
    const { tables } = this.core;
    const alarmKey = alarmKeyString(key);
    const requests = tables.alarmRequests(alarmKey);
    const activeInstance = requests.active;
    const props = this.core.alarmProperties.get(key.dmaId, key.alarmId);
    const propertyId = props[PROPERTY_TICKET_ID];
    const propertyDone = DONE_OCEANE_STATUSES.has(props[PROPERTY_TICKET_STATUS] ?? '');
    if (propertyId && !propertyDone) {
      const url = props[PROPERTY_TICKET_URL];
      return {
        source: 'property',
        status: 'Created',
        ticketId: propertyId,
        ticketUrl: url ? safeHttpUrl(url) : null,
        instance: activeInstance,
      };
    }
    const row = activeInstance ? tables.tickets.get(activeInstance) : undefined;
    if (row?.status === 'Created' && !DONE_OCEANE_STATUSES.has(row.oceaneStatus ?? '')) {
      return {
        source: 'table',
        status: 'Created',
        ticketId: row.ticketId,
        ticketUrl: row.ticketUrl || null,
        instance: row.instance,
      };
    }
    const queued = requests.queued();
    if (queued !== null || row?.status === 'Pending') {
      return {
        source: 'queue',
        status: 'Pending',
        ticketId: null,
        ticketUrl: null,
        instance: queued ?? row?.instance ?? null,
      };
    }
    return null;
  }

  /** Each alarm's ticket or open request as this app knows it, in order (issue 11). */
  checkGroup(keys: readonly { dmaId: string; alarmId: string }[]): (ExistingTicket | null)[] {
    return keys.map((key) => this.localExisting(key));
  }

  /**
   * Why a group request's other alarms cannot go with it, or null (issue 11): an alarm listed
   * twice, an alarm with an open request (never two for one alarm), or an alarm with a ticket
   * that the operator did not choose to include.
   */
  groupRefusal(request: CreateTicketRequest): string | null {
    if (!request.otherAlarms?.length) return null;
    const seen = new Set([alarmKeyString(request)]);
    for (const alarm of request.otherAlarms ?? []) {
      const key = alarmKeyString(alarm);
      if (seen.has(key)) return `Alarm ${key} is listed twice in the selection; select it once`;
      seen.add(key);
      const existing = this.localExisting(alarm);
      if (!existing) continue;
      if (existing.status === 'Pending') {
        return `Alarm ${key} on ${alarm.elementName} already has a ticket request pending (${existing.instance ?? 'queued'}); leave it out of the selection`;
      }
      if (!alarm.includeTicketed) {
        return `Alarm ${key} on ${alarm.elementName} already has ticket ${existing.ticketId ?? ''}; leave it out or tick "include" for it`;
      }
    }
    return null;
  }

  /**
   * The ticket an alarm already has: from its property, the Tickets table, the queue, then
   * (unless `askOceane` is false) Oceane itself (section 3). A ticket found in Oceane is
   * written onto the alarm, so that it is not asked for twice.
   */
  async findExistingTicket(
    key: { dmaId: string; alarmId: string },
    options: { askOceane?: boolean } = {},
  ): Promise<ExistingTicket | null> {
    const core = this.core;
    const parsed = alarmKeySchema.safeParse({ dmaId: key?.dmaId, alarmId: key?.alarmId });
    if (!parsed.success) return null;
    const local = this.localExisting(parsed.data);
    if (local || options.askOceane === false || core.closing) return local;
    if (typeof core.tokenConfig() === 'string') return null;
    const config = core.callConfig();
    core.counters.lookupRequests++;
    const found = await core.client.findTicket(config, parsed.data);
    if (!found.ok) {
      core.logger.warn('Could not look the alarm up in Oceane', {
        alarm: alarmKeyString(parsed.data),
        error: shortError(found.error),
      });
      return null;
    }
    if (found.ticketId === null) {
      if (this.absentInOceaneAt.size >= 1000) this.absentInOceaneAt.clear();
      this.absentInOceaneAt.set(alarmKeyString(parsed.data), core.clock.now());
      return null;
    }
    const url = buildTicketUrl(core.settings.api.ticketUrlTemplate, config.baseUrl, found.ticketId);
    if (!core.closing) {
      const properties: Record<string, string> = { [PROPERTY_TICKET_ID]: found.ticketId };
      if (url) properties[PROPERTY_TICKET_URL] = url;
      try {
        await core.alarmProperties.set(parsed.data.dmaId, parsed.data.alarmId, properties);
      } catch (error) {
        core.logger.warn('Could not write the found ticket onto the alarm', {
          error: errorText(error),
        });
      }
    }
    return {
      source: 'oceane',
      status: 'Created',
      ticketId: found.ticketId,
      ticketUrl: url,
      instance: null,
    };
  }
}
