/**
 * The events listener of oceane-api.md 7.5 (issue 13): with a listener address set, the app
 * listens there over HTTP, subscribes to Oceane's ticket events at start and unsubscribes at
 * stop. Each event POSTed to `{address}/listener/{eventName}` is read, applied at once (the
 * same event twice changes nothing) and answered 204; an unreadable one is answered 400.
 * Polling goes on, slower, as the safety net (ticket-poll-loop.ts).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './ports.js';
import { parseTicketEvent } from './oceane-lifecycle-responses.js';
import type { TicketLife } from './ticket-life.js';

/** The largest event body read. */
const MAX_EVENT_BYTES = 1_000_000;

/** Listens for Oceane's events. */
export class TicketEventListener {
  private server: http.Server | null = null;
  /** Events applied, and repeats that changed nothing (tests, the log). */
  readonly counters = { received: 0, applied: 0, refused: 0 };

  constructor(private readonly deps: { life: TicketLife; logger: Logger }) {}

  /** The address the server listens on (with the port the OS gave for port 0), or null. */
  url: string | null = null;

  /** Listens at `address` (http://host:port[/path]) and subscribes. */
  async start(address: string): Promise<void> {
    const target = new URL(address);
    const base = target.pathname.replace(/\/+$/, '');
    const server = http.createServer((req, res) => this.handle(base, req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(Number(target.port), target.hostname.replace(/^\[|\]$/g, ''), () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const port = (server.address() as AddressInfo).port;
    target.port = String(port);
    this.url = `${target.origin}${base}`;
    const subscribed = await this.deps.life.subscribe(this.url);
    if (!subscribed) this.deps.logger.warn('Oceane events: not subscribed, polling only');
  }

  private handle(base: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method !== 'POST' || !path.startsWith(`${base}/listener/`)) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_EVENT_BYTES) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      this.counters.received++;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      const event = parseTicketEvent(body);
      if (!event.ok) {
        this.counters.refused++;
        this.deps.logger.warn('Oceane event refused', { problem: event.problem });
        res.writeHead(400).end();
        return;
      }
      this.deps.life.applyEvent([event.change]).then(
        (changed) => {
          this.counters.applied += changed;
          res.writeHead(204).end();
        },
        (error: unknown) => {
          // Not stored: Oceane delivers it again (and the polls would find it anyway).
          this.deps.logger.warn('Oceane event not stored', { error: String(error) });
          res.writeHead(503).end();
        },
      );
    });
  }

  /** Unsubscribes and stops listening. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await this.deps.life.unsubscribe();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
  }
}
