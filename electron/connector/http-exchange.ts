/**
 * One HTTP exchange with Oceane through ky, reduced to data: either the answer (status,
 * headers, a body read up to a cap) or the reason there was none, in words an operator can
 * act on. Nothing here throws for network trouble or hostile answers; ky's own retries and
 * time-outs are off, the connector decides both (oceane-api.md sections 4 and 5).
 */
import ky from 'ky';
import { STATUS_CODES } from 'node:http';
import type { HttpTransport } from './http-transport.js';

/** Largest body read from an answer; the rest is discarded (hostile or broken servers). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What went wrong when no HTTP answer arrived. */
export type NoAnswerCause = 'timeout' | 'refused' | 'closed' | 'dns' | 'tls' | 'aborted' | 'other';

/** The outcome of an exchange. */
export type HttpOutcome =
  | {
      kind: 'answer';
      status: number;
      statusText: string;
      headers: Headers;
      contentType: string;
      body: string;
      /** True when the body was longer than the cap (only the start was kept). */
      truncated: boolean;
    }
  | {
      kind: 'no-answer';
      cause: NoAnswerCause;
      message: string;
      /**
       * False only when the request was certainly never written to the connection: the
       * connection or the name look-up failed (review F6). Anything later, even on a reused
       * keep-alive connection, may have reached Oceane.
       */
      maybeSent: boolean;
    };

/** One request. */
export interface HttpRequest {
  url: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  /** Covers the whole exchange, body included (a real timer: network time is real time). */
  timeoutMs: number;
  /** Aborts the exchange from outside (closing the connector). */
  signal?: AbortSignal;
  maxBodyBytes?: number;
  /** The fetch and User-Agent to send with (default: Node's fetch, no User-Agent of ours). */
  transport?: HttpTransport | undefined;
}

/** "30 s", "0.5 s": how a time-out is named in messages. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : Number(s.toFixed(2))} s`;
}

/** Decodes every body (stateless between calls: each decode is whole, not streamed). */
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Sends the request and never throws for anything the network or the server does. */
export async function httpExchange(request: HttpRequest): Promise<HttpOutcome> {
  const controller = new AbortController();
  const signal = controller.signal;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  const outer = request.signal;
  const onOuterAbort = () => controller.abort();
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  const transport = request.transport;
  const send = transport?.fetch ?? globalThis.fetch;
  try {
    const response = await ky(request.url, {
      method: request.method,
      headers: transport
        ? { ...request.headers, 'User-Agent': transport.userAgent }
        : request.headers,
      // The signal goes to fetch itself, not through ky: given to ky, it would be merged with
      // ky's own (unused: no ky time-out, no retry) by an AbortSignal.any per request.
      fetch: (input, init) => send(input, { ...init, signal }),
      body: request.body,
      throwHttpErrors: false,
      retry: 0,
      timeout: false,
      redirect: 'manual',
    });
    const { text, truncated } = await readCapped(response, request.maxBodyBytes ?? MAX_BODY_BYTES);
    return {
      kind: 'answer',
      status: response.status,
      statusText: response.statusText || STATUS_CODES[response.status] || '',
      headers: response.headers,
      contentType: response.headers.get('content-type') ?? '',
      body: text,
      truncated,
    };
  } catch (error) {
    if (timedOut) {
      return {
        kind: 'no-answer',
        cause: 'timeout',
        message: `Timed out after ${formatSeconds(request.timeoutMs)}`,
        maybeSent: true,
      };
    }
    if (outer?.aborted) {
      return { kind: 'no-answer', cause: 'aborted', message: 'Cancelled', maybeSent: true };
    }
    return describeNetworkError(error, hostOf(request.url));
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
  }
}

async function readCapped(
  response: Response,
  cap: number,
): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  // The usual answer declares a length within the cap: read it in one go (the hot path of
  // every ticket, issue 6); the client stops at the declared length whatever the server sends.
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isInteger(declared) && declared >= 0 && declared <= cap) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength <= cap) return { text: utf8.decode(bytes), truncated: false };
    return { text: utf8.decode(bytes.subarray(0, cap)), truncated: true };
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = cap - size;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      size += room;
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { text: utf8.decode(Buffer.concat(chunks, size)), truncated };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

interface ErrorWithCause {
  code?: unknown;
  syscall?: unknown;
  message?: unknown;
  cause?: unknown;
  address?: unknown;
  port?: unknown;
}

function errorChain(error: unknown): ErrorWithCause[] {
  const chain: ErrorWithCause[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && chain.length < 5) {
    const link: ErrorWithCause = current;
    chain.push(link);
    current = link.cause;
  }
  return chain;
}

/** What to do about a certificate Oceane presented that is not trusted. */
export const UNTRUSTED_CERTIFICATE_HINT =
  "If Oceane uses your company's own certificate authority, paste that CA certificate (PEM) into Settings → API Settings → Extra trusted CA certificate; otherwise ask your network team whether a proxy replaces Oceane's certificate.";

const UNTRUSTED_CODES =
  /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT|CERT_UNTRUSTED|CERT_AUTHORITY_INVALID|ERR_CERT_INVALID|CERT_SIGNATURE_FAILURE/;

function tlsMessage(host: string, code: string): string {
  if (UNTRUSTED_CODES.test(code)) {
    return `The certificate of ${host} is not trusted (${code}). ${UNTRUSTED_CERTIFICATE_HINT}`;
  }
  return `TLS error with ${host}: ${code}`;
}

/** Names the cause of a failed fetch the way an operator would say it. */
export function describeNetworkError(error: unknown, host: string): HttpOutcome {
  const chain = errorChain(error);
  const codes = chain.map((e) => (typeof e.code === 'string' ? e.code : '')).filter(Boolean);
  const has = (...wanted: string[]) => codes.some((c) => wanted.includes(c));
  // Failed while connecting: the request was not written yet.
  const connecting = has('UND_ERR_CONNECT_TIMEOUT') || chain.some((e) => e.syscall === 'connect');
  const withCode = chain.find((e) => typeof e.code === 'string' && typeof e.address === 'string');
  const target =
    withCode && typeof withCode.address === 'string'
      ? `${withCode.address}${typeof withCode.port === 'number' ? `:${withCode.port}` : ''}`
      : host;
  if (has('ECONNREFUSED')) {
    return {
      kind: 'no-answer',
      cause: 'refused',
      message: `Connection refused by ${target}`,
      maybeSent: false,
    };
  }
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME')) {
    return {
      kind: 'no-answer',
      cause: 'dns',
      message: `Host not found: ${host}`,
      maybeSent: false,
    };
  }
  if (has('UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH')) {
    return {
      kind: 'no-answer',
      cause: connecting ? 'refused' : 'closed',
      message: connecting
        ? `Could not connect to ${target} (${codes[codes.length - 1] ?? 'unreachable'})`
        : `Connection to ${target} lost before an answer (${codes[codes.length - 1] ?? 'unreachable'})`,
      maybeSent: !connecting,
    };
  }
  const netError = chain
    .map((e) => (typeof e.message === 'string' ? /net::(ERR_[A-Z_]+)/.exec(e.message)?.[1] : ''))
    .find(Boolean);
  const tls =
    codes.find(
      (c) =>
        c.startsWith('ERR_TLS') ||
        c.includes('CERT') ||
        c.startsWith('ERR_SSL') ||
        UNTRUSTED_CODES.test(c),
    ) ?? (netError && /CERT|SSL/.test(netError) ? netError : undefined);
  if (tls) {
    return {
      kind: 'no-answer',
      cause: 'tls',
      message: tlsMessage(host, tls),
      // A certificate is checked in the handshake, before anything is sent; other TLS errors
      // can end a connection that already carried the request.
      maybeSent: !(connecting || tls.includes('CERT') || UNTRUSTED_CODES.test(tls)),
    };
  }
  if (has('ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED', 'ECONNABORTED')) {
    return {
      kind: 'no-answer',
      cause: 'closed',
      message: 'Connection closed before an answer',
      maybeSent: true,
    };
  }
  const last = chain[chain.length - 1];
  const detail = last && typeof last.message === 'string' ? last.message : 'unknown error';
  return {
    kind: 'no-answer',
    cause: 'other',
    message: `Network error: ${detail.slice(0, 200)}`,
    maybeSent: true,
  };
}
