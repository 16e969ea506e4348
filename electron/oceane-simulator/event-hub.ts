/**
 * Events of oceane-api.md section 7.5: subscriptions (`POST .../hub`, `DELETE .../hub/{id}`),
 * and the delivery of each TMF621 event to `{callback}/listener/{eventName}`, retried with a
 * doubling delay while the listener does not answer 2xx. Deliveries to one listener go out in
 * order. The `event` fault route loses a delivery (`drop`), holds it back (`delay`) or makes
 * it arrive twice (`ambiguous`), since real events can be lost or repeated.
 */
import { isRecord } from '../../shared/guards.js';
import {
  invalidField,
  json,
  missingField,
  NO_CONTENT,
  notFound,
  parseJsonBody,
  type Answer,
} from './http-answers.js';
import type { TicketEventType } from './ticket-book.js';
import type { SimulatorDelivery, SimulatorFault, SimulatorHub, TroubleTicket } from './types.js';

/** How long one delivery attempt may take. */
const DELIVERY_TIMEOUT_MS = 5_000;

/** What the hub needs from the server. */
export interface EventHubDeps {
  now: () => number;
  /** Waits, or resolves at once when the simulator closes. */
  sleep: (ms: number) => Promise<void>;
  /** Aborted when the simulator closes. */
  signal: AbortSignal;
  /** The fault for the next delivery, if one is scripted. */
  takeFault: () => SimulatorFault | undefined;
  attempts: number;
  retryMs: number;
}

/** `TroubleTicketStatusChangeEvent` -> `troubleTicketStatusChangeEvent`. */
export function listenerName(eventType: string): string {
  return `${eventType.charAt(0).toLowerCase()}${eventType.slice(1)}`;
}

/** The event types a hub query asks for (`eventType=A,B`); null when it asks for every one. */
function wantedTypes(query: string): Set<string> | null {
  const value = new URLSearchParams(query).get('eventType');
  if (value === null || value.trim() === '') return null;
  return new Set(value.split(',').map((t) => t.trim()));
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Subscriptions and deliveries. */
export class EventHub {
  private readonly subscriptions = new Map<string, SimulatorHub>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly log: SimulatorDelivery[] = [];
  private nextHub = 1;
  private nextEvent = 1;

  constructor(private readonly deps: EventHubDeps) {}

  hubs(): SimulatorHub[] {
    return [...this.subscriptions.values()];
  }

  deliveries(): SimulatorDelivery[] {
    return this.log;
  }

  /** `POST .../hub` with `{ "@type": "Hub", "callback", "query"? }`: 201 with the hub. */
  subscribe(body: Buffer): Answer {
    const parsed = parseJsonBody(body);
    if (!parsed.ok) return parsed.answer;
    const value = parsed.value;
    if (!isRecord(value)) return invalidField("Invalid body field 'body': expected a JSON object");
    if (value['@type'] === undefined) return missingField('@type');
    if (value['@type'] !== 'Hub') return invalidField("Invalid body field '@type': must be 'Hub'");
    if (value.callback === undefined) return missingField('callback');
    if (typeof value.callback !== 'string' || !isHttpUrl(value.callback)) {
      return invalidField("Invalid body field 'callback': expected an http or https URL");
    }
    if (value.query !== undefined && typeof value.query !== 'string') {
      return invalidField("Invalid body field 'query': expected a string");
    }
    const hub: SimulatorHub = {
      '@type': 'Hub',
      id: `HUB-${String(this.nextHub++).padStart(4, '0')}`,
      callback: value.callback,
      query: value.query ?? '',
    };
    this.subscriptions.set(hub.id, hub);
    return json(201, hub, { Location: hub.id });
  }

  /** `DELETE .../hub/{id}`: 204, or 404 code 60 for an unknown hub. */
  unsubscribe(id: string | undefined): Answer {
    if (id === undefined || !this.subscriptions.delete(id)) {
      return notFound(`No subscription has the id ${JSON.stringify(id)}`);
    }
    return NO_CONTENT;
  }

  /** Queues the events of one change for every hub that asked for them. */
  publish(ticket: TroubleTicket, eventTypes: readonly TicketEventType[]): void {
    if (this.subscriptions.size === 0) return;
    for (const eventType of eventTypes) {
      const event = {
        eventId: `EVT-${String(this.nextEvent++).padStart(6, '0')}`,
        eventTime: new Date(this.deps.now()).toISOString(),
        eventType,
        event: { troubleTicket: structuredClone(ticket) },
      };
      for (const hub of this.subscriptions.values()) {
        const wanted = wantedTypes(hub.query);
        if (wanted !== null && !wanted.has(eventType)) continue;
        const previous = this.chains.get(hub.id) ?? Promise.resolve();
        const next = previous.then(() => this.deliver(hub, event, ticket.id));
        this.chains.set(hub.id, next);
      }
    }
  }

  private async deliver(
    hub: SimulatorHub,
    event: { eventId: string; eventType: string },
    ticketId: string,
  ): Promise<void> {
    const entry = { hubId: hub.id, eventId: event.eventId, eventType: event.eventType, ticketId };
    const fault = this.deps.takeFault();
    if (fault?.kind === 'drop') {
      this.log.push({ ...entry, attempt: 1, status: 'dropped' });
      return;
    }
    if (fault?.kind === 'delay') await this.deps.sleep(fault.ms);
    const times = fault?.kind === 'ambiguous' ? 2 : 1;
    const url = `${hub.callback.replace(/\/+$/, '')}/listener/${listenerName(event.eventType)}`;
    const body = JSON.stringify(event);
    for (let time = 0; time < times; time += 1) {
      for (let attempt = 1; attempt <= this.deps.attempts; attempt += 1) {
        if (this.deps.signal.aborted || !this.subscriptions.has(hub.id)) return;
        const status = await this.post(url, body);
        this.log.push({ ...entry, attempt, status });
        if (status !== null && status >= 200 && status < 300) break;
        if (attempt < this.deps.attempts) {
          await this.deps.sleep(this.deps.retryMs * 2 ** (attempt - 1));
        }
      }
    }
  }

  private async post(url: string, body: string): Promise<number | null> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body,
        signal: AbortSignal.any([this.deps.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status;
    } catch {
      return null;
    }
  }
}
