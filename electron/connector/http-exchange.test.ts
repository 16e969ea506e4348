/**
 * Whether a request without an answer may have reached Oceane (review F6): only a failure
 * while connecting (or finding the host) proves it did not. The errors are shaped as Node's
 * fetch (undici) reports them: a TypeError whose cause carries the system error.
 */
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
