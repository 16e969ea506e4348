/**
 * The Oceane simulator: a real HTTP server (plain `node:http`) that serves the Oceane profile
 * of oceane-api.md sections 1 to 4, keeps a ledger of created tickets and takes scripted
 * faults (section 6). No Electron import: it runs in tests, benchmarks, the CLI and the app.
 *
 * Besides the profile it serves control routes under `/__simulator/` (faults, ledger, request
 * log) for manual testing and for tests in other processes. They exist only on the simulator;
 * a real Oceane has nothing like them. See README.md in this folder.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import {
  FaultQueue,
  faultRequestSchema,
  isValidTimes,
  simulatorFaultSchema,
} from './fault-script.js';
import { loadLedger, saveLedger } from './ledger-file.js';
import { ORANGE_CODES, orangeError, renderFaultBody, type ErrorAnswer } from './orange-errors.js';
import { PAGE_HEADERS, renderMissingTicketPage, renderTicketPage } from './ticket-page.js';
import { validateTicketBody } from './ticket-validation.js';
import {
  DEMO_CREDENTIALS,
  type RunningSimulator,
  type SimulatorFault,
  type SimulatorOptions,
  type SimulatorRequestLog,
  type SimulatorRoute,
  type TroubleTicket,
} from './types.js';

/** Path of the token endpoint (section 1). */
export const TOKEN_PATH = '/oauth/v3/token';
/** Path of the TroubleTicket collection (sections 2 and 3). */
export const TROUBLE_TICKET_PATH = '/tmf-api/troubleTicket/v5/troubleTicket';
/** Path prefix of the human ticket page. */
export const TICKET_PAGE_PATH = '/ticket/';
/** Path prefix of the simulator-only control routes. */
export const CONTROL_PATH = '/__simulator/';
/** Larger request bodies are refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Default delay of an `ambiguous` fault in `delay` mode. */
export const DEFAULT_AMBIGUOUS_DELAY_MS = 60_000;

/** A response before it is written. */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What a request target addresses. */
type Target =
  | { kind: 'route'; route: SimulatorRoute; id?: string }
  | { kind: 'page'; id: string }
  | { kind: 'method-not-allowed'; allow: string }
  | { kind: 'not-found' };

const JSON_TYPE = 'application/json; charset=utf-8';

function json(status: number, value: unknown, headers: Record<string, string> = {}): Answer {
  return {
    status,
    headers: { 'Content-Type': JSON_TYPE, ...headers },
    body: JSON.stringify(value),
  };
}

function errorAnswer(error: ErrorAnswer): Answer {
  return json(error.status, error.body, error.headers);
}

/** The media type of a Content-Type header, lower case, without parameters. */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Maps method and path to a route (section 1-3), the ticket page, 405 or 404. */
function resolveTarget(method: string, pathname: string): Target {
  if (pathname === TOKEN_PATH) {
    return method === 'POST'
      ? { kind: 'route', route: 'token' }
      : { kind: 'method-not-allowed', allow: 'POST' };
  }
  if (pathname === TROUBLE_TICKET_PATH) {
    if (method === 'POST') return { kind: 'route', route: 'create' };
    if (method === 'GET') return { kind: 'route', route: 'find' };
    return { kind: 'method-not-allowed', allow: 'GET, POST' };
  }
  const rest = pathname.startsWith(`${TROUBLE_TICKET_PATH}/`)
    ? pathname.slice(TROUBLE_TICKET_PATH.length + 1)
    : pathname.startsWith(TICKET_PAGE_PATH)
      ? pathname.slice(TICKET_PAGE_PATH.length)
      : null;
  if (rest === null || rest === '' || rest.includes('/')) return { kind: 'not-found' };
  const id = decodeSegment(rest);
  if (id === null) return { kind: 'not-found' };
  if (method !== 'GET') return { kind: 'method-not-allowed', allow: 'GET' };
  return pathname.startsWith(TICKET_PAGE_PATH)
    ? { kind: 'page', id }
    : { kind: 'route', route: 'get', id };
}

/** The path of a request target; a target that is not a URL path is kept as it is (404). */
function pathOf(target: string): string {
  try {
    return new URL(target, 'http://simulator.invalid').pathname;
  } catch {
    return target;
  }
}

function sameSecret(a: string, b: string): boolean {
  const hash = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(hash(a), hash(b));
}

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
  private readonly tokens = new Map<string, { expiresAt: number }>();
  private readonly log: SimulatorRequestLog[] = [];
  private readonly tickets: TroubleTicket[];
  private readonly now: () => number;
  private readonly clientId: string;
  private readonly clientSecret: string;
  private readonly ttlSeconds: number;
  private readonly ledgerFile: string | undefined;
  private latencyMs: number;
  private nextNumber: number;
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
    this.clientId = options.clientId ?? DEMO_CREDENTIALS.clientId;
    this.clientSecret = options.clientSecret ?? DEMO_CREDENTIALS.clientSecret;
    this.ttlSeconds = options.tokenTtlSeconds ?? 3600;
    this.latencyMs = options.latencyMs ?? 0;
    this.ledgerFile = options.ledgerFile;
    this.tickets = this.ledgerFile ? loadLedger(this.ledgerFile) : [];
    this.nextNumber =
      1 + Math.max(0, ...this.tickets.map((t) => Number(/^OCE-(\d+)$/.exec(t.id)?.[1] ?? 0)));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(): Promise<void> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `${this.options.tls ? 'https' : 'http'}://${urlHost(host)}:${this.port}`;
  }

  api(): RunningSimulator {
    return {
      url: this.url,
      port: this.port,
      close: () => this.close(),
      ledger: () => structuredClone(this.tickets),
      requests: () => structuredClone(this.log),
      inject: (route, fault, times = 1) => this.inject(route, fault, times),
      clearFaults: () => this.faults.clear(),
      revokeTokens: () => this.revokeTokens(),
      setLatency: (ms) => this.setLatency(ms),
    };
  }

  private inject(route: SimulatorRoute, fault: SimulatorFault, times: number): void {
    const parsed = simulatorFaultSchema.safeParse(fault);
    if (!parsed.success) throw new Error(`Invalid simulator fault: ${parsed.error.message}`);
    if (!isValidTimes(times)) throw new Error(`Invalid fault repeat count: ${times}`);
    this.faults.push(route, parsed.data, times);
  }

  private revokeTokens(): void {
    for (const token of this.tokens.values()) token.expiresAt = Number.NEGATIVE_INFINITY;
  }

  private setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`Invalid latency: ${ms}`);
    this.latencyMs = ms;
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
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
    const pathname = pathOf(target);
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
      this.send(res, entry, this.control(method, pathname, body));
      return;
    }

    const resolved = resolveTarget(method, pathname);
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

    const answer = this.serve(
      resolved.route,
      resolved.id,
      req,
      body,
      target,
      fault?.kind === 'expire-token',
    );
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
        const ticket = this.tickets.find((t) => t.id === target.id);
        return ticket
          ? { status: 200, headers: PAGE_HEADERS, body: renderTicketPage(ticket) }
          : { status: 404, headers: PAGE_HEADERS, body: renderMissingTicketPage(target.id) };
      }
      case 'method-not-allowed':
        return errorAnswer(
          orangeError(405, 61, 'Method not allowed', `Allowed methods: ${target.allow}`, {
            Allow: target.allow,
          }),
        );
      case 'not-found':
        return errorAnswer(
          orangeError(404, ORANGE_CODES.notFound, 'Resource not found', 'No such resource'),
        );
    }
  }

  private serve(
    route: SimulatorRoute,
    id: string | undefined,
    req: http.IncomingMessage,
    body: Buffer,
    target: string,
    expireToken: boolean,
  ): Answer {
    if (route === 'token') return this.issueToken(req, body, expireToken);
    const refusal = this.checkBearer(req.headers.authorization, expireToken);
    if (refusal) return errorAnswer(refusal);
    if (route === 'create') return this.create(req, body);
    if (route === 'find') return this.find(target);
    const ticket = this.tickets.find((t) => t.id === id);
    return ticket
      ? json(200, ticket)
      : errorAnswer(
          orangeError(
            404,
            ORANGE_CODES.notFound,
            'Resource not found',
            `No trouble ticket has the id ${JSON.stringify(id)}`,
          ),
        );
  }

  /** Section 1: client credentials in Basic auth, form body, grant_type=client_credentials. */
  private issueToken(req: http.IncomingMessage, body: Buffer, expireEarly: boolean): Answer {
    const basic = { 'WWW-Authenticate': 'Basic realm="oceane"' };
    const header = req.headers.authorization;
    if (!header) {
      return errorAnswer(
        orangeError(
          401,
          ORANGE_CODES.missingCredentials,
          'Missing credentials',
          'The Authorization header is missing',
          basic,
        ),
      );
    }
    const match = /^Basic\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      return errorAnswer(
        orangeError(
          401,
          ORANGE_CODES.missingCredentials,
          'Missing credentials',
          'The Authorization header must use the Basic scheme',
          basic,
        ),
      );
    }
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const id = colon < 0 ? decoded : decoded.slice(0, colon);
    const secret = colon < 0 ? '' : decoded.slice(colon + 1);
    if (!(sameSecret(id, this.clientId) && sameSecret(secret, this.clientSecret))) {
      return errorAnswer(
        orangeError(
          401,
          ORANGE_CODES.invalidCredentials,
          'Invalid credentials',
          'The Client ID or Client Secret is not valid',
          basic,
        ),
      );
    }
    if (mediaType(req.headers['content-type']) !== 'application/x-www-form-urlencoded') {
      return errorAnswer(
        orangeError(
          400,
          ORANGE_CODES.invalidHeader,
          'Invalid header',
          "Content-Type must be 'application/x-www-form-urlencoded'",
        ),
      );
    }
    const grantType = new URLSearchParams(body.toString('utf8')).get('grant_type');
    if (grantType === null) {
      return errorAnswer(
        orangeError(
          400,
          ORANGE_CODES.missingBodyField,
          'Missing body field',
          "Missing body field 'grant_type'",
        ),
      );
    }
    if (grantType !== 'client_credentials') {
      return errorAnswer(
        orangeError(
          400,
          ORANGE_CODES.invalidBodyField,
          'Invalid body field',
          "Invalid body field 'grant_type': must be 'client_credentials'",
        ),
      );
    }
    const token = randomBytes(24).toString('base64url');
    // An early-expiring token (fault) is issued as usual but is already dead on first use.
    const expiresAt = expireEarly ? Number.NEGATIVE_INFINITY : this.now() + this.ttlSeconds * 1000;
    this.tokens.set(token, { expiresAt });
    return json(
      200,
      { token_type: 'Bearer', access_token: token, expires_in: this.ttlSeconds },
      { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    );
  }

  /** 401 code 40 (missing), 41 (unknown) or 42 (expired or revoked); null when valid. */
  private checkBearer(header: string | undefined, expire: boolean): ErrorAnswer | null {
    const bearer = { 'WWW-Authenticate': 'Bearer realm="oceane"' };
    if (!header) {
      return orangeError(
        401,
        ORANGE_CODES.missingCredentials,
        'Missing credentials',
        'The Authorization header is missing',
        bearer,
      );
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const token = match?.[1];
    if (!token) {
      return orangeError(
        401,
        ORANGE_CODES.missingCredentials,
        'Missing credentials',
        'The Authorization header must be "Bearer <token>"',
        bearer,
      );
    }
    const known = this.tokens.get(token);
    if (!known) {
      return orangeError(
        401,
        ORANGE_CODES.invalidCredentials,
        'Invalid credentials',
        'The access token is not valid',
        bearer,
      );
    }
    if (expire) known.expiresAt = Number.NEGATIVE_INFINITY;
    if (this.now() >= known.expiresAt) {
      return orangeError(
        401,
        ORANGE_CODES.expiredCredentials,
        'Expired credentials',
        'The access token has expired',
        {
          'WWW-Authenticate': 'Bearer realm="oceane", error="invalid_token"',
        },
      );
    }
    return null;
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
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      const detail = body.length === 0 ? 'The body is empty' : 'The body is not valid JSON';
      return errorAnswer(orangeError(400, ORANGE_CODES.invalidBody, 'Invalid body', detail));
    }
    const checked = validateTicketBody(parsed);
    if (!checked.ok) return errorAnswer(checked.error);
    const id = `OCE-${String(this.nextNumber).padStart(6, '0')}`;
    const at = new Date(this.now()).toISOString();
    const href = `${this.url}${TROUBLE_TICKET_PATH}/${encodeURIComponent(id)}`;
    const ticket: TroubleTicket = {
      id,
      href,
      ...checked.value,
      status: 'acknowledged',
      creationDate: at,
      lastUpdate: at,
    };
    this.tickets.push(ticket);
    this.nextNumber += 1;
    if (this.ledgerFile) saveLedger(this.ledgerFile, this.tickets);
    return json(201, ticket, { Location: href });
  }

  /** Section 3: `?externalIdentifier.id=<DMA ID>/<Alarm ID>`; without it, every ticket. */
  private find(target: string): Answer {
    const query = target.indexOf('?');
    const params = new URLSearchParams(query < 0 ? '' : target.slice(query + 1));
    const wanted = params.get('externalIdentifier.id');
    const found =
      wanted === null
        ? this.tickets
        : this.tickets.filter((t) => t.externalIdentifier.some((x) => x.id === wanted));
    const count = String(found.length);
    return json(200, found, { 'X-Total-Count': count, 'X-Result-Count': count });
  }

  /** The `/__simulator/` routes: scripting and inspection for tests and manual use. */
  private control(method: string, pathname: string, body: Buffer): Answer {
    const name = pathname.slice(CONTROL_PATH.length);
    const allow = (methods: string): Answer =>
      errorAnswer(
        orangeError(405, 61, 'Method not allowed', `Allowed methods: ${methods}`, {
          Allow: methods,
        }),
      );
    switch (name) {
      case 'faults': {
        if (method === 'DELETE') {
          this.faults.clear();
          return { status: 204, headers: {}, body: '' };
        }
        if (method !== 'POST') return allow('POST, DELETE');
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          return errorAnswer(
            orangeError(
              400,
              ORANGE_CODES.invalidBody,
              'Invalid body',
              'The body is not valid JSON',
            ),
          );
        }
        const request = faultRequestSchema.safeParse(parsed);
        if (!request.success) {
          return errorAnswer(
            orangeError(
              400,
              ORANGE_CODES.invalidBodyField,
              'Invalid body field',
              request.error.message,
            ),
          );
        }
        const { route, fault, times = 1 } = request.data;
        this.faults.push(route, fault, times);
        return json(200, { route, fault, times });
      }
      case 'revoke-tokens':
        if (method !== 'POST') return allow('POST');
        this.revokeTokens();
        return { status: 204, headers: {}, body: '' };
      case 'latency': {
        if (method !== 'POST') return allow('POST');
        let ms: unknown;
        try {
          ms = (JSON.parse(body.toString('utf8')) as { ms?: unknown } | null)?.ms;
        } catch {
          ms = undefined;
        }
        if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
          return errorAnswer(
            orangeError(
              400,
              ORANGE_CODES.invalidBodyField,
              'Invalid body field',
              'Send { "ms": <number >= 0> }',
            ),
          );
        }
        this.latencyMs = ms;
        return { status: 204, headers: {}, body: '' };
      }
      case 'ledger':
        return method === 'GET' ? json(200, this.tickets) : allow('GET');
      case 'requests':
        return method === 'GET' ? json(200, this.log) : allow('GET');
      default:
        return errorAnswer(
          orangeError(404, ORANGE_CODES.notFound, 'Resource not found', 'No such control route'),
        );
    }
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
