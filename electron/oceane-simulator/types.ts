/**
 * The public types of the Oceane simulator (oceane-api.md section 6). The connector, the
 * reliability harness and the benchmarks all drive the simulator through these.
 */
import {
  OCEANE_TICKET_STATUSES,
  type OceaneTicketStatus,
  type Priority,
  type TechnicalImpact,
} from '../../shared/domain.js';

/**
 * The credentials the simulator accepts unless told otherwise. They are printed by the CLI on
 * purpose: they protect nothing and exist only so that the demo works out of the box.
 */
export const DEMO_CREDENTIALS = {
  clientId: 'demo-console',
  clientSecret: 'demo-secret-not-for-production',
  userId: 'noc.operator',
} as const;

/**
 * The demo's automatic movement: every ticket moves to inProgress, then resolved, then closed,
 * 45 s after its previous change, so that the console shows tickets living.
 */
export const DEMO_AUTO_ADVANCE: AutoAdvance = { afterMs: 45_000 };

/** How to start a simulator. Every field has a default suited to tests. */
export interface SimulatorOptions {
  /** TCP port; default 0 (the OS picks a free one). */
  port?: number;
  /** Interface to bind; default '127.0.0.1'. */
  host?: string;
  /** Accepted Client ID; default DEMO_CREDENTIALS.clientId. */
  clientId?: string;
  /** Accepted Client Secret; default DEMO_CREDENTIALS.clientSecret. */
  clientSecret?: string;
  /** Lifetime of issued tokens; default 3600. */
  tokenTtlSeconds?: number;
  /** Added before every response (benchmarks use 50); default 0. */
  latencyMs?: number;
  /**
   * When set, the ledger is loaded from and saved to this JSON file (after every create, before
   * the answer is sent), so a simulator restarted on the same port keeps its tickets.
   */
  ledgerFile?: string;
  /** Clock for token expiry and time stamps; default Date.now. */
  now?: () => number;
  /** Serve https with this certificate and key (PEM) instead of plain http. */
  tls?: { certPem: string; keyPem: string };
  /** Tickets move through their statuses on their own (the demo); default off. */
  autoAdvance?: AutoAdvance;
  /** Delivery attempts per event and listener (7.5); default 5. */
  eventAttempts?: number;
  /** Delay before the second delivery attempt, doubled for each next one; default 500. */
  eventRetryMs?: number;
}

/** One request the simulator received (control routes under `/__simulator/` excluded). */
export interface SimulatorRequestLog {
  method: string;
  /** The request target as received: path plus query string. */
  path: string;
  /** The status sent, or null while unanswered or when the answer was lost (drop, ambiguous). */
  status: number | null;
  /** Arrival time, from the simulator's clock. */
  at: number;
  /** The `X-Request-ID` header, when the client sent one. */
  requestId?: string;
  /** The `User-Agent` header, when the client sent one. */
  userAgent?: string;
}

/**
 * The routes that faults can be injected into. `find` is the search by alarm (section 3),
 * `changes` the list with `lastUpdate.gt` (7.1), `patch` a note or a status change (7.3, 7.4),
 * `hub` and `unsubscribe` the subscription calls (7.5), and `event` each delivery of an event to
 * a listener (only `drop`: the event is lost, `delay`, and `ambiguous`: delivered twice).
 */
export type SimulatorRoute =
  'token' | 'create' | 'find' | 'changes' | 'get' | 'patch' | 'hub' | 'unsubscribe' | 'event';

/** Every route name, for validation of the control endpoint and the CLI. */
export const SIMULATOR_ROUTES: readonly SimulatorRoute[] = [
  'token',
  'create',
  'find',
  'changes',
  'get',
  'patch',
  'hub',
  'unsubscribe',
  'event',
];

/** The ticket statuses of TMF621 v5 (oceane-api.md section 7.2), as the connector knows them too. */
export const TICKET_LIFECYCLE_STATUSES = OCEANE_TICKET_STATUSES;

/** A ticket status of section 7.2. */
export type TicketLifecycleStatus = OceaneTicketStatus;

/** One step of a ticket's status script: `afterMs` after the previous step (or the script). */
export interface StatusStep {
  status: TicketLifecycleStatus;
  afterMs: number;
  reason?: string;
}

/** Tickets without a script move along `path`, one step `afterMs` after their last change. */
export interface AutoAdvance {
  afterMs: number;
  /** Default: inProgress, resolved, closed. */
  path?: TicketLifecycleStatus[];
}

/** One attempt to deliver an event to a listener (section 7.5). */
export interface SimulatorDelivery {
  hubId: string;
  eventId: string;
  eventType: string;
  ticketId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The listener's status, null when it did not answer, 'dropped' when a fault lost it. */
  status: number | null | 'dropped';
}

/** A subscription of section 7.5. */
export interface SimulatorHub {
  '@type': 'Hub';
  id: string;
  callback: string;
  query: string;
}

/** Body shapes of a scripted error status. */
export type FaultBodyShape = 'orange' | 'tmf630' | 'html' | 'text' | 'empty';

/**
 * A scripted misbehaviour for one request of a route (oceane-api.md section 6).
 * - `status`: answers with this status and an error body of the given shape (default Orange);
 *   nothing is created. `retryAfter` becomes the `Retry-After` header, verbatim.
 * - `raw`: answers exactly this, for hostile responses.
 * - `delay`: waits, then serves normally.
 * - `drop`: destroys the socket without any answer; nothing is created.
 * - `ambiguous`: serves normally (a create IS recorded in the ledger), then the answer is lost
 *   (socket destroyed) or delayed by `ms` (default 60000) before being sent.
 * - `expire-token`: on a Bearer route, the request's token is treated as expired (401 code 42,
 *   and it stays expired); on the token route, the token issued is already expired, so its
 *   first use fails with 401 code 42 (a token that expires early).
 */
export type SimulatorFault =
  | {
      kind: 'status';
      status: number;
      body?: FaultBodyShape;
      code?: number | string;
      message?: string;
      description?: string;
      retryAfter?: string;
    }
  | {
      kind: 'raw';
      status: number;
      contentType?: string;
      body: string;
      headers?: Record<string, string>;
    }
  | { kind: 'delay'; ms: number }
  | { kind: 'drop' }
  | { kind: 'ambiguous'; mode: 'drop' | 'delay'; ms?: number }
  | { kind: 'expire-token' };

/** A running simulator, as returned by `startSimulator`. */
export interface RunningSimulator {
  /** Base URL, e.g. http://127.0.0.1:43121 (no trailing slash). */
  url: string;
  port: number;
  /** Closes the server and destroys open sockets; delayed answers do not keep it alive. */
  close(): Promise<void>;
  /** Created tickets, in creation order (copies). */
  ledger(): TroubleTicket[];
  /** Every request seen, in order (copies). */
  requests(): SimulatorRequestLog[];
  /**
   * Scripts `fault` for the next `times` (default 1) requests of `route`. Faults queue FIFO
   * per route: a second injection applies once the first is used up. `times` may be Infinity.
   */
  inject(route: SimulatorRoute, fault: SimulatorFault, times?: number): void;
  /** Forgets every scripted fault. */
  clearFaults(): void;
  /** Every token issued so far becomes invalid (401 code 42). */
  revokeTokens(): void;
  /** Changes the latency added before every response. */
  setLatency(ms: number): void;
  /** Moves a ticket to a status at once, from any status (a control; a PATCH obeys 7.4). */
  setStatus(id: string, status: TicketLifecycleStatus, reason?: string): TroubleTicket;
  /** Gives a ticket a status script (replacing its previous one; an empty list ends it). */
  scriptStatuses(id: string, steps: StatusStep[]): void;
  /** Turns the automatic movement of tickets on (or off with null). */
  setAutoAdvance(auto: AutoAdvance | null): void;
  /** Applies the script steps and automatic moves that are due now (tests with a fake clock). */
  advanceStatuses(): void;
  /** The subscriptions (7.5). */
  hubs(): SimulatorHub[];
  /** Every delivery attempt of an event, in order. */
  deliveries(): SimulatorDelivery[];
}

/** An external identifier of a ticket: the DataMiner alarm it was raised for. */
export interface TicketExternalIdentifier {
  '@type': string;
  owner: string;
  externalIdentifierType?: string;
  /** `<DMA ID>/<Alarm ID>`. */
  id: string;
}

/** A related entity: the alarmed element. */
export interface TicketRelatedEntity {
  '@type': string;
  role: string;
  entity: { '@type': string; id: string; name?: string; '@referredType'?: string };
}

/** A related party: the originator (the User ID). */
export interface TicketRelatedParty {
  '@type': string;
  role: string;
  partyOrPartyRole?: { '@type': string; id: string; name?: string; '@referredType'?: string };
}

/** A characteristic: urgency, clientImpact, alarmValue, rootTime. */
export interface TicketCharacteristic {
  '@type': string;
  name: string;
  valueType?: string;
  value: unknown;
}

/**
 * The fields of a create body, as validated against the profile of oceane-api.md section 2.
 * Other TMF621 fields a client sends are kept as they were, hence the index signature.
 */
export interface TroubleTicketBody {
  '@type': 'TroubleTicket';
  ticketType: string;
  name?: string;
  description: string;
  severity: TechnicalImpact;
  priority: Priority;
  externalIdentifier: TicketExternalIdentifier[];
  relatedEntity: TicketRelatedEntity[];
  relatedParty?: TicketRelatedParty[];
  troubleTicketCharacteristic: TicketCharacteristic[];
  [tmfField: string]: unknown;
}

/** A note of section 7.3. */
export interface TicketNote {
  '@type': 'Note';
  id: string;
  author?: string;
  /** ISO 8601 UTC. */
  date?: string;
  text: string;
}

/** One entry of the ticket's status history (TMF621 `StatusChange`). */
export interface TicketStatusChange {
  '@type': 'StatusChange';
  status: TicketLifecycleStatus;
  changeDate: string;
  changeReason?: string;
}

/** A TMF621 TroubleTicket as the simulator keeps it: the body plus the server's fields. */
export interface TroubleTicket extends TroubleTicketBody {
  id: string;
  /** The API URL of the resource (not the human page, which is `{base}/ticket/{id}`). */
  href: string;
  status: TicketLifecycleStatus;
  /** ISO 8601 UTC. */
  creationDate: string;
  /** ISO 8601 UTC; grows with every change, strictly. */
  lastUpdate: string;
  /** When the status last changed (section 7.2). */
  statusChangeDate?: string;
  statusChangeReason?: string;
  resolutionDate?: string;
  note?: TicketNote[];
  statusChange?: TicketStatusChange[];
}
