/**
 * Whether a request without an answer may have reached Oceane (review F6): only a failure
 * while connecting (or finding the host) proves it did not. The errors are shaped as Node's
 * fetch (undici) reports them: a TypeError whose cause carries the system error.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describeNetworkError, httpExchange } from './http-exchange.js';

function fetchFailure(cause: Record<string, unknown>): TypeError {
  const error = new TypeError('fetch failed');
  (error as { cause?: unknown }).cause = Object.assign(new Error(String(cause.code)), cause);
  return error;
}

describe('a request without an answer: may it have reached Oceane?', () => {
  it.each([
    ['ETIMEDOUT', 'connect', false],
    ['EHOSTUNREACH', 'connect', false],
    ['ENETUNREACH', 'connect', false],
    ['ETIMEDOUT', 'read', true],
    ['EHOSTUNREACH', 'write', true],
    ['ENETUNREACH', undefined, true],
    ['ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC', 'read', true],
    ['CERT_HAS_EXPIRED', undefined, false],
    ['ENOTFOUND', 'getaddrinfo', false],
    ['UND_ERR_CONNECT_TIMEOUT', undefined, false],
    ['ECONNRESET', 'read', true],
  ] as const)('%s during %s: maybe sent %s', (code, syscall, maybeSent) => {
    const outcome = describeNetworkError(fetchFailure({ code, syscall }), 'oceane.example.com');
    expect(outcome).toMatchObject({ kind: 'no-answer', maybeSent });
  });

  it('a refused connection on a real port was never sent', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const outcome = await httpExchange({
      url: `http://127.0.0.1:${port}/x`,
      method: 'POST',
      headers: {},
      body: '{}',
      timeoutMs: 5_000,
    });
    expect(outcome).toMatchObject({ kind: 'no-answer', cause: 'refused', maybeSent: false });
  });
});

describe('an exchange with a real server', () => {
  async function serve(
    handler: (req: IncomingMessage, res: ServerResponse) => void,
  ): Promise<{ url: string; close: () => Promise<void> }> {
    const server = createHttpServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    return {
      url: `http://127.0.0.1:${port}/x`,
      close: () =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }

  it('sends the User-Agent of the transport through its fetch, and reads the answer', async () => {
    let agent = '';
    const server = await serve((req, res) => {
      agent = req.headers['user-agent'] ?? '';
      res.writeHead(201, { 'Content-Type': 'application/json' }).end('{"id":"é1"}');
    });
    let fetched = 0;
    const outcome = await httpExchange({
      url: server.url,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
      timeoutMs: 5_000,
      transport: {
        fetch: (input, init) => {
          fetched++;
          return fetch(input, init);
        },
        userAgent: 'OceaneAlarmConsole/9.9.9',
      },
    });
    await server.close();
    expect(outcome).toMatchObject({ kind: 'answer', status: 201, body: '{"id":"é1"}' });
    expect(agent).toBe('OceaneAlarmConsole/9.9.9');
    expect(fetched).toBe(1);
  });

  it('times out a server that never answers: maybe sent', async () => {
    const server = await serve(() => undefined);
    const outcome = await httpExchange({
      url: server.url,
      method: 'POST',
      headers: {},
      body: '{}',
      timeoutMs: 200,
    });
    await server.close();
    expect(outcome).toEqual({
      kind: 'no-answer',
      cause: 'timeout',
      message: 'Timed out after 0.2 s',
      maybeSent: true,
    });
  });

  it('times out a body that never ends', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"id":');
    });
    const outcome = await httpExchange({
      url: server.url,
      method: 'GET',
      headers: {},
      timeoutMs: 200,
    });
    await server.close();
    expect(outcome).toMatchObject({ kind: 'no-answer', cause: 'timeout', maybeSent: true });
  });

  it('is cancelled by the outer signal (the connector closing)', async () => {
    const server = await serve(() => undefined);
    const outer = new AbortController();
    const pending = httpExchange({
      url: server.url,
      method: 'POST',
      headers: {},
      body: '{}',
      timeoutMs: 30_000,
      signal: outer.signal,
    });
    setTimeout(() => outer.abort(), 50);
    const outcome = await pending;
    await server.close();
    expect(outcome).toEqual({
      kind: 'no-answer',
      cause: 'aborted',
      message: 'Cancelled',
      maybeSent: true,
    });
  });

  it('keeps only the start of a body beyond the cap, declared or not', async () => {
    const big = 'x'.repeat(5_000);
    const server = await serve((req, res) => {
      if (req.url === '/x?declared') {
        res.writeHead(200, { 'Content-Length': String(big.length) }).end(big);
      } else {
        res.writeHead(200);
        res.write(big.slice(0, 2_500));
        setTimeout(() => res.end(big.slice(2_500)), 10);
      }
    });
    const read = (query: string) =>
      httpExchange({
        url: `${server.url}?${query}`,
        method: 'GET',
        headers: {},
        timeoutMs: 5_000,
        maxBodyBytes: 1_000,
      });
    const declared = await read('declared');
    const streamed = await read('streamed');
    const whole = await httpExchange({
      url: `${server.url}?declared`,
      method: 'GET',
      headers: {},
      timeoutMs: 5_000,
    });
    await server.close();
    expect(declared).toMatchObject({ kind: 'answer', body: 'x'.repeat(1_000), truncated: true });
    expect(streamed).toMatchObject({ kind: 'answer', body: 'x'.repeat(1_000), truncated: true });
    expect(whole).toMatchObject({ kind: 'answer', body: big, truncated: false });
  });
});
