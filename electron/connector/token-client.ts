/**
 * The OAuth2 client-credentials token of oceane-api.md section 1. The token lives in memory
 * only, is renewed when less than 60 s of life remain (or half its life, for very short
 * tokens), is fetched once for any number of concurrent callers (single flight), and is
 * renewed in the background before it expires, so that tickets do not wait for it.
 */
import type { AuthResult, OceaneError } from '../../shared/domain.js';
import { httpExchange } from './http-exchange.js';
import type { HttpTransport } from './http-transport.js';
import { errorFromAnswer, noAnswerError, parseTokenAnswer } from './oceane-responses.js';
import type { Clock, Logger } from './ports.js';
import { isRetryableStatus } from './retry-policy.js';

/** Path of the token endpoint, relative to the Base URL. */
export const TOKEN_PATH = '/oauth/v3/token';
/** A token with less life left than this is renewed before use. */
export const RENEW_MARGIN_MS = 60_000;
/** The background renewal runs this long before the margin is reached. */
export const BACKGROUND_LEAD_MS = 30_000;

/** What the token call needs; null fields mean "not configured". */
export interface TokenConfig {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  /** The fetch and User-Agent (Electron's net.fetch in the app). */
  transport?: HttpTransport;
}

/** A token, or why none could be had. */
export type TokenOutcome =
  | { ok: true; token: string; waited: boolean }
  | { ok: false; error: OceaneError; retryable: boolean };

interface CachedToken {
  token: string;
  tokenType: string;
  expiresAt: number;
  usableUntil: number;
  configKey: string;
}

type FetchResult =
  { ok: true; cached: CachedToken } | { ok: false; error: OceaneError; retryable: boolean };

/** Dependencies of the token client. */
export interface TokenClientDeps {
  /** The current credentials, or a sentence saying what is missing. */
  config: () => TokenConfig | string;
  clock: Clock;
  logger: Logger;
  /** Aborted when the connector closes. */
  signal?: AbortSignal;
}

function configKey(config: TokenConfig): string {
  return `${config.baseUrl}\u0000${config.clientId}\u0000${config.clientSecret}`;
}

/** Basic credentials of section 1: base64(clientId:clientSecret). */
export function basicCredentials(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64')}`;
}

/** Keeps one token and renews it. */
export class TokenClient {
  private cached: CachedToken | null = null;
  private inflight: Promise<FetchResult> | null = null;
  private generation = 0;
  private renewTimer: unknown = null;
  private closed = false;
  /** Token requests sent so far (benchmarks and tests). */
  requestsSent = 0;

  constructor(private readonly deps: TokenClientDeps) {}

  /** A usable cached token, or null. */
  private usable(): CachedToken | null {
    const config = this.deps.config();
    const cached = this.cached;
    if (!cached || typeof config === 'string') return null;
    if (cached.configKey !== configKey(config)) return null;
    return this.deps.clock.now() < cached.usableUntil ? cached : null;
  }

  /** The cached token, or a new one (shared by concurrent callers). */
  async get(): Promise<TokenOutcome> {
    const cached = this.usable();
    if (cached) return { ok: true, token: cached.token, waited: false };
    const result = await this.fetchShared();
    return result.ok
      ? { ok: true, token: result.cached.token, waited: true }
      : { ok: false, error: result.error, retryable: result.retryable };
  }

  /** True when `get` answers at once, with the cached token (no request to Oceane first). */
  hasUsableToken(): boolean {
    return this.usable() !== null;
  }

  /** When the cached token expires (ms since the epoch), or null when there is none. */
  expiresAt(): number | null {
    return this.cached?.expiresAt ?? null;
  }

  /** Resolves once no token request is in flight (tests, and the connector's whenIdle). */
  async settled(): Promise<void> {
    while (this.inflight) await this.inflight;
  }

  /** Forgets the token (credentials changed, or Oceane refused it). */
  invalidate(): void {
    this.generation++;
    this.cached = null;
    this.inflight = null;
    this.cancelRenewal();
  }

  /** Forgets the token only if it is still `token` (concurrent refusals renew once). */
  invalidateToken(token: string): void {
    if (this.cached?.token === token) this.invalidate();
  }

  /** The Authenticate button: a fresh token request, and until when it is valid. */
  async authenticate(): Promise<AuthResult> {
    this.invalidate();
    const result = await this.fetchShared();
    if (!result.ok) return { ok: false, error: result.error };
    return {
      ok: true,
      validUntil: new Date(result.cached.expiresAt).toISOString(),
      tokenType: result.cached.tokenType,
    };
  }

  /** Stops the background renewal. */
  close(): void {
    this.closed = true;
    this.cancelRenewal();
  }

  private cancelRenewal(): void {
    if (this.renewTimer !== null) this.deps.clock.clearTimeout(this.renewTimer);
    this.renewTimer = null;
  }

  private fetchShared(): Promise<FetchResult> {
    if (this.inflight) return this.inflight;
    const generation = this.generation;
    const promise = this.fetchToken().then((result) => {
      if (this.generation === generation) {
        this.inflight = null;
        if (result.ok) {
          this.cached = result.cached;
          this.scheduleRenewal(result.cached);
        }
      }
      return result;
    });
    this.inflight = promise;
    return promise;
  }

  private scheduleRenewal(token: CachedToken): void {
    this.cancelRenewal();
    if (this.closed) return;
    const now = this.deps.clock.now();
    const life = token.expiresAt - now;
    const delay = Math.max(token.usableUntil - now - BACKGROUND_LEAD_MS, life / 2, 0);
    this.renewTimer = this.deps.clock.setTimeout(() => {
      this.renewTimer = null;
      if (this.closed || this.cached !== token) return;
      void this.fetchShared().then((result) => {
        if (!result.ok) {
          this.deps.logger.warn('Background token renewal failed', {
            httpStatus: result.error.httpStatus,
            message: result.error.message,
          });
        }
      });
    }, delay);
  }

  private async fetchToken(): Promise<FetchResult> {
    const config = this.deps.config();
    if (typeof config === 'string') {
      return {
        ok: false,
        retryable: false,
        error: { httpStatus: null, appCode: '', message: config, description: '' },
      };
    }
    this.requestsSent++;
    const started = this.deps.clock.now();
    const outcome = await httpExchange({
      url: `${config.baseUrl}${TOKEN_PATH}`,
      method: 'POST',
      headers: {
        Authorization: basicCredentials(config.clientId, config.clientSecret),
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
      timeoutMs: config.timeoutMs,
      transport: config.transport,
      signal: this.deps.signal,
    });
    if (outcome.kind === 'no-answer') {
      this.deps.logger.warn('Token request got no answer', { cause: outcome.message });
      return { ok: false, retryable: true, error: noAnswerError(outcome.message) };
    }
    if (outcome.status !== 200) {
      const error = errorFromAnswer(outcome);
      this.deps.logger.warn('Token request refused', {
        httpStatus: error.httpStatus,
        appCode: error.appCode,
        message: error.message,
      });
      return { ok: false, retryable: isRetryableStatus(outcome.status), error };
    }
    const parsed = parseTokenAnswer(outcome);
    if (!parsed.ok) return { ok: false, retryable: false, error: parsed.error };
    const lifeMs = parsed.expiresInSeconds * 1000;
    const expiresAt = started + lifeMs;
    this.deps.logger.info('Token obtained', { expiresInSeconds: parsed.expiresInSeconds });
    return {
      ok: true,
      cached: {
        token: parsed.accessToken,
        tokenType: parsed.tokenType,
        expiresAt,
        usableUntil: expiresAt - Math.min(RENEW_MARGIN_MS, lifeMs / 2),
        configKey: configKey(config),
      },
    };
  }
}
