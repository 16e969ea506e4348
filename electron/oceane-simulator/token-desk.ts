/**
 * The token side of the simulator (oceane-api.md section 1): client credentials checked in
 * constant time, tokens issued and remembered with their expiry, Bearer headers checked on
 * every ticket route (401 code 40, 41 or 42), and the faults that expire tokens early.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type * as http from 'node:http';
import { errorAnswer, json, mediaType, type Answer } from './http-answers.js';
import { ORANGE_CODES, orangeError, type ErrorAnswer } from './orange-errors.js';

function sameSecret(a: string, b: string): boolean {
  const hash = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(hash(a), hash(b));
}

/** Issues and checks tokens. */
export class TokenDesk {
  private readonly tokens = new Map<string, { expiresAt: number }>();

  constructor(
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {}

  /** Every token issued so far expires (401 code 42). */
  revokeAll(): void {
    for (const token of this.tokens.values()) token.expiresAt = Number.NEGATIVE_INFINITY;
  }

  /** Section 1: client credentials in Basic auth, form body, grant_type=client_credentials. */
  issue(req: http.IncomingMessage, body: Buffer, expireEarly: boolean): Answer {
    const basic = { 'WWW-Authenticate': 'Basic realm="oceane"' };
    const header = req.headers.authorization;
    const missing = (description: string): Answer =>
      errorAnswer(
        orangeError(
          401,
          ORANGE_CODES.missingCredentials,
          'Missing credentials',
          description,
          basic,
        ),
      );
    if (!header) return missing('The Authorization header is missing');
    const match = /^Basic\s+(\S+)$/i.exec(header);
    if (!match?.[1]) return missing('The Authorization header must use the Basic scheme');
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
  checkBearer(header: string | undefined, expire: boolean): ErrorAnswer | null {
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
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
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
        { 'WWW-Authenticate': 'Bearer realm="oceane", error="invalid_token"' },
      );
    }
    return null;
  }
}
