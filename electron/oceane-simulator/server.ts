/**
 * The Oceane simulator: a real HTTP server (plain `node:http`) that serves the Oceane profile
 * of oceane-api.md (sections 1 to 4 and the ticket's life of section 7), keeps a ledger of
 * tickets and takes scripted faults (section 6). No Electron import: it runs in tests,
 * benchmarks, the CLI and the app. This module holds the server itself: listening, closing,
 * reading requests, faults and dispatch; each route family lives in its own module.
 *
 * Besides the profile it serves control routes under `/__simulator/` (control-routes.ts). They
 * exist only on the simulator; a real Oceane has nothing like them. See README.md here.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { serveControl, type ControlTarget } from './control-routes.js';
import { EventHub } from './event-hub.js';
import { FaultQueue, isValidTimes, simulatorFaultSchema } from './fault-script.js';
import {
  errorAnswer,
  json,
  mediaType,
  methodNotAllowed,
  notFound,
  parseJsonBody,
  unknownTicket,
  type Answer,
} from './http-answers.js';
import { loadLedger } from './ledger-file.js';
import { patchTicket } from './lifecycle-routes.js';
import { ORANGE_CODES, orangeError, renderFaultBody } from './orange-errors.js';
import {
  CONTROL_PATH,
  resolveTarget,
  splitTarget,
  TROUBLE_TICKET_PATH,
  type Target,
} from './routing.js';
import { StatusScripts } from './status-scripts.js';
import { TicketBook } from './ticket-book.js';
import { listTickets } from './ticket-listing.js';
import { PAGE_HEADERS, renderMissingTicketPage, renderTicketPage } from './ticket-page.js';
import { validateTicketBody } from './ticket-validation.js';
import { TokenDesk } from './token-desk.js';
import {
  DEMO_CREDENTIALS,
  type RunningSimulator,
  type SimulatorFault,
  type SimulatorOptions,
  type SimulatorRequestLog,
  type SimulatorRoute,
} from './types.js';

export {
  TOKEN_PATH,
  TROUBLE_TICKET_PATH,
  HUB_PATH,
  TICKET_PAGE_PATH,
  CONTROL_PATH,
} from './routing.js';

/** Larger request bodies are refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Default delay of an `ambiguous` fault in `delay` mode. */
export const DEFAULT_AMBIGUOUS_DELAY_MS = 60_000;
/** How often due status script steps are applied. */
const STATUS_TICK_MS = 200;
/** The faults a delivery of an event can take. */
const EVENT_FAULTS: ReadonlySet<SimulatorFault['kind']> = new Set(['drop', 'delay', 'ambiguous']);

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

class Simulator {
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly shutdown = new AbortController();
  private readonly faults = new FaultQueue();
  private readonly log: SimulatorRequestLog[] = [];
  private readonly now: () => number;
  private readonly tokens: TokenDesk;
  private readonly book: TicketBook;
  private readonly hub: EventHub;
  private readonly scripts: StatusScripts;
  private readonly statusTimer: NodeJS.Timeout;
  private latencyMs: number;
  private closing: Promise<void> | null = null;
  url = '';
  port = 0;

  constructor(private readonly options: SimulatorOptions) {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      this.handle(req, res).catch((error: unknown) => this.internalError(res, error));
    };
    this.server = options.tls
      ? https.createServer({ cert: options.tls.certPem, key: options.tls.keyPem }, handler)
      : http.createServer(handler);
    this.now = options.now ?? Date.now;
    this.tokens = new TokenDesk(
      options.clientId ?? DEMO_CREDENTIALS.clientId,
      options.clientSecret ?? DEMO_CREDENTIALS.clientSecret,
      options.tokenTtlSeconds ?? 3600,
      this.now,
    );
    this.latencyMs = options.latencyMs ?? 0;
    const tickets = options.ledgerFile ? loadLedger(options.ledgerFile) : [];
    this.book = new TicketBook(tickets, this.now, options.ledgerFile);
    this.hub = new EventHub({
      now: this.now,
      sleep: (ms) => this.sleep(ms),
      signal: this.shutdown.signal,
      takeFault: () => this.faults.take('event'),
      attempts: options.eventAttempts ?? 5,
      retryMs: options.eventRetryMs ?? 500,
    });
    this.book.onChange((ticket, events) => this.hub.publish(ticket, events));
    this.scripts = new StatusScripts(this.book, this.now, options.autoAdvance ?? null);
    this.statusTimer = setInterval(() => this.scripts.advance(), STATUS_TICK_MS);
    this.statusTimer.unref();
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(): Promise<void> {
    const host = this.options.host ?? '127.0.0.1';
    try {
      await new Promise<void>((resolve, reject) => {
        this.server.once('error', reject);
        this.server.listen(this.options.port ?? 0, host, () => {
          this.server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      clearInterval(this.statusTimer);
      throw error;
    }
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `${this.options.tls ? 'https' : 'http'}://${urlHost(host)}:${this.port}`;
  }

  /** What both the API object and the control routes offer. */
  private controls(): Omit<ControlTarget, 'requestLog' | 'hasTicket'> {
    return {
      ledger: () => structuredClone(this.book.tickets),
      inject: (route, fault, times = 1) => this.inject(route, fault, times),
      clearFaults: () => this.faults.clear(),
      revokeTokens: () => this.tokens.revokeAll(),
      setLatency: (ms) => this.setLatency(ms),
      setStatus: (id, status, reason) => {
        const ticket = this.book.get(id);
        if (!ticket) throw new Error(`No trouble ticket has the id ${JSON.stringify(id)}`);
        this.book.changeStatus(ticket, reason === undefined ? { status } : { status, reason });
        return structuredClone(ticket);
      },
      scriptStatuses: (id, steps) => this.scripts.script(id, steps),
      setAutoAdvance: (auto) => this.scripts.setAuto(auto),
      advanceStatuses: () => this.scripts.advance(),
      hubs: () => structuredClone(this.hub.hubs()),
      deliveries: () => structuredClone(this.hub.deliveries()),
    };
  }

  api(): RunningSimulator {
    return {
      ...this.controls(),
      url: this.url,
      port: this.port,
      close: () => this.close(),
      requests: () => structuredClone(this.log),
    };
  }

  private inject(route: SimulatorRoute, fault: SimulatorFault, times: number): void {
    const parsed = simulatorFaultSchema.safeParse(fault);
    if (!parsed.success) throw new Error(`Invalid simulator fault: ${parsed.error.message}`);
    if (!isValidTimes(times)) throw new Error(`Invalid fault repeat count: ${times}`);
    if (route === 'event' && !EVENT_FAULTS.has(parsed.data.kind)) {
      throw new Error('An event delivery takes only the faults drop, delay and ambiguous');
    }
    this.faults.push(route, parsed.data, times);
  }

  private setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`Invalid latency: ${ms}`);
    this.latencyMs = ms;
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      clearInterval(this.statusTimer);
      this.shutdown.abort();
      this.server.close(() => {
        // A few turns of the event loop (no timer), so that HTTP clients in this process see
        // their pooled keep-alive connections closed before they could reuse them against a
        // simulator restarted on the same port. Clients in other processes get no such help:
        // like with a real server, a stale pooled connection fails without an answer.
        let turns = 4;
        const turn = (): void => {
          turns -= 1;
          if (turns <= 0) resolve();
          else setImmediate(turn);
        };
        setImmediate(turn);
      });
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closing;
  }

  /** Waits, unless the simulator closes first. */
  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.shutdown.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.shutdown.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.shutdown.signal.addEventListener('abort', done, { once: true });
    });
  }

  private get closed(): boolean {
    return this.shutdown.signal.aborted;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const { pathname, params } = splitTarget(target);
    const control = pathname.startsWith(CONTROL_PATH);
    const requestId = req.headers['x-request-id'];
    const entry: SimulatorRequestLog = { method, path: target, status: null, at: this.now() };
    if (typeof requestId === 'string') entry.requestId = requestId;
    const userAgent = req.headers['user-agent'];
    if (typeof userAgent === 'string') entry.userAgent = userAgent;
    if (!control) this.log.push(entry);

    const body = await this.readBody(req);
    if (!control) await this.sleep(this.latencyMs);
    if (this.closed) return;
    if (body === null) {
      const answer = errorAnswer(
        orangeError(
          413,
          ORANGE_CODES.invalidBody,
          'Payload too large',
          `The request body exceeds ${MAX_BODY_BYTES} bytes`,
        ),
      );
      answer.headers.Connection = 'close';
      this.send(res, entry, answer);
      return;
    }
    if (control) {
      const name = pathname.slice(CONTROL_PATH.length);
      const target: ControlTarget = {
        ...this.controls(),
        requestLog: () => this.log,
        hasTicket: (id) => this.book.get(id) !== undefined,
      };
      this.send(res, entry, serveControl(target, method, name, body));
      return;
    }

    const resolved = resolveTarget(method, pathname, params);
    if (resolved.kind !== 'route') {
      this.send(res, entry, this.nonRoute(resolved));
      return;
    }
    const fault = this.faults.take(resolved.route);
    switch (fault?.kind) {
      case 'drop':
        req.socket.destroy();
        return;
      case 'status': {
        const rendered = renderFaultBody(fault);
        const headers: Record<string, string> = {};
        if (rendered.contentType) headers['Content-Type'] = rendered.contentType;
        if (fault.retryAfter !== undefined) headers['Retry-After'] = fault.retryAfter;
        this.send(res, entry, { status: fault.status, headers, body: rendered.text });
        return;
      }
      case 'raw': {
        const headers: Record<string, string> = { ...fault.headers };
        if (fault.contentType !== undefined) headers['Content-Type'] = fault.contentType;
        this.send(res, entry, { status: fault.status, headers, body: fault.body });
        return;
      }
      case 'delay':
        await this.sleep(fault.ms);
        if (this.closed) return;
        break;
      default:
        break;
    }

    const answer = this.serve(resolved, req, body, params, fault?.kind === 'expire-token');
    if (fault?.kind === 'ambiguous') {
      // The work is done (a create is in the ledger); only the answer is lost or late.
      if (fault.mode === 'drop') {
        req.socket.destroy();
        return;
      }
      await this.sleep(fault.ms ?? DEFAULT_AMBIGUOUS_DELAY_MS);
      if (this.closed) return;
    }
    this.send(res, entry, answer);
  }

  /** Reads the body; null when it is larger than MAX_BODY_BYTES. */
  private readBody(req: http.IncomingMessage): Promise<Buffer | null> {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      return Promise.resolve(null);
    }
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on('data', (chunk: Buffer) => {
        if (tooLarge) return;
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          tooLarge = true;
          chunks.length = 0;
          resolve(null);
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
      req.on('error', () => resolve(Buffer.concat(chunks)));
    });
  }

  private send(res: http.ServerResponse, entry: SimulatorRequestLog, answer: Answer): void {
    if (res.destroyed || res.headersSent) return;
    entry.status = answer.status;
    const headers = { ...answer.headers };
    if (entry.requestId !== undefined) headers['X-Request-ID'] = entry.requestId;
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  }

  private internalError(res: http.ServerResponse, error: unknown): void {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    const detail = error instanceof Error ? error.message : String(error);
    const answer = errorAnswer(
      orangeError(500, ORANGE_CODES.internalError, 'Internal error', detail),
    );
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }

  private nonRoute(target: Exclude<Target, { kind: 'route' }>): Answer {
    switch (target.kind) {
      case 'page': {
        const ticket = this.book.get(target.id);
        return ticket
          ? { status: 200, headers: PAGE_HEADERS, body: renderTicketPage(ticket) }
          : { status: 404, headers: PAGE_HEADERS, body: renderMissingTicketPage(target.id) };
      }
      case 'method-not-allowed':
        return methodNotAllowed(target.allow);
      case 'not-found':
        return notFound();
    }
  }

  private serve(
    target: Extract<Target, { kind: 'route' }>,
    req: http.IncomingMessage,
    body: Buffer,
    params: URLSearchParams,
    expireToken: boolean,
  ): Answer {
    if (target.route === 'token') return this.tokens.issue(req, body, expireToken);
    const refusal = this.tokens.checkBearer(req.headers.authorization, expireToken);
    if (refusal) return errorAnswer(refusal);
    switch (target.route) {
      case 'create':
        return this.create(req, body);
      case 'find':
      case 'changes':
        return listTickets(this.book, params);
      case 'hub':
        return this.hub.subscribe(body);
      case 'unsubscribe':
        return this.hub.unsubscribe(target.id);
      default: {
        const ticket = this.book.get(target.id);
        if (!ticket) return unknownTicket(target.id);
        if (target.route === 'get') return json(200, ticket);
        return patchTicket(this.book, ticket, req.headers['content-type'], body);
      }
    }
  }

  /** Section 2: validates the body, records the ticket (and saves the ledger), answers 201. */
  private create(req: http.IncomingMessage, body: Buffer): Answer {
    if (mediaType(req.headers['content-type']) !== 'application/json') {
      return errorAnswer(
        orangeError(
          400,
          ORANGE_CODES.invalidHeader,
          'Invalid header',
          "Content-Type must be 'application/json'",
        ),
      );
    }
    const parsed = parseJsonBody(body);
    if (!parsed.ok) return parsed.answer;
    const checked = validateTicketBody(parsed.value);
    if (!checked.ok) return errorAnswer(checked.error);
    const ticket = this.book.create(
      checked.value,
      (id) => `${this.url}${TROUBLE_TICKET_PATH}/${encodeURIComponent(id)}`,
    );
    return json(201, ticket, { Location: ticket.href });
  }
}

/**
 * Starts a simulator (port 0 by default: the OS picks a free port) and resolves once it
 * listens. Rejects when the port cannot be bound or the ledger file cannot be read.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const simulator = new Simulator(options);
  await simulator.listen();
  return simulator.api();
}
